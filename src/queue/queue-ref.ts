// How the user named the queue: Wazuh passes a bare name; a queue URL or ARN is accepted too,
// and both already say where the queue is, so they need no GetQueueUrl call.

import { ArgumentError } from '../errors.js';

export type QueueRef =
  | { readonly kind: 'name'; readonly name: string; readonly region?: undefined }
  | { readonly kind: 'url'; readonly url: string; readonly name: string; readonly region?: string }
  | { readonly kind: 'arn'; readonly url: string; readonly name: string; readonly region: string };

const ARN_PATTERN = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+)$/;

// sqs.REGION.amazonaws.com, REGION.queue.amazonaws.com and their .cn forms.
const URL_REGION_PATTERNS = [/^sqs\.([a-z0-9-]+)\./, /^([a-z]{2}-[a-z-]+-\d+)\.queue\./];

export function parseQueueRef(queue: string): QueueRef {
  const arn = ARN_PATTERN.exec(queue);
  if (arn !== null) {
    const [, partition, region, account, name] = arn as unknown as string[];
    const url = `https://sqs.${region}.${domainOf(partition)}/${account}/${name}`;
    return { kind: 'arn', url, name, region };
  }

  if (/^https?:\/\//.test(queue)) {
    const url = URL.canParse(queue) ? new URL(queue) : undefined;
    if (url === undefined) throw new ArgumentError(`invalid queue URL '${queue}'`);
    const name = url.pathname.split('/').filter(Boolean).pop() ?? '';
    return { kind: 'url', url: queue, name, region: regionOfHost(url.hostname) };
  }
  return { kind: 'name', name: queue };
}

function regionOfHost(hostname: string): string | undefined {
  for (const pattern of URL_REGION_PATTERNS) {
    const match = pattern.exec(hostname);
    if (match !== null) return match[1];
  }
  return undefined;
}

function domainOf(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}
