// Types for the JavaScript helpers in scripts/lib, and reading what the receiver got.

import type { SQSClient } from '@aws-sdk/client-sqs';
import type { S3Client } from '@aws-sdk/client-s3';

export interface LocalAws {
  readonly endpoint: string;
  readonly region: string;
  readonly env: Record<string, string>;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  createQueue(name: string, attributes?: Record<string, string>): Promise<string>;
  createBucket(name: string): Promise<void>;
  putObject(bucket: string, key: string, body: string | Uint8Array): Promise<number>;
  sendMessage(queueUrl: string, body: string): Promise<void>;
  putAndNotify(queueUrl: string, bucket: string, key: string, body: string | Uint8Array): Promise<number>;
  queueDepth(queueUrl: string): Promise<number>;
  stop(): Promise<void>;
}

export interface Receiver {
  readonly path: string;
  readonly datagrams: string[];
  readonly count: number;
  stop(): void;
}

/** The fields every `buckets` event carries, as the tests read them. */
export interface BucketsEvent {
  readonly integration: string;
  readonly aws: {
    readonly source: string;
    readonly log_info: { readonly log_file: string; readonly s3bucket: string };
    readonly [field: string]: unknown;
  };
}

export const DATAGRAM_HEADER = '1:Wazuh-AWS:';

/** Every datagram received so far for one bucket, parsed; throws on a malformed datagram. */
export function datagramsOfBucket(receiver: Receiver, bucket: string): BucketsEvent[] {
  return receiver.datagrams.map(parseDatagram).filter((event) => event.aws?.log_info?.s3bucket === bucket);
}

export function parseDatagram(datagram: string): BucketsEvent {
  if (!datagram.startsWith(DATAGRAM_HEADER)) {
    throw new Error(`datagram without the ${DATAGRAM_HEADER} header: ${datagram.slice(0, 80)}`);
  }
  return JSON.parse(datagram.slice(DATAGRAM_HEADER.length)) as BucketsEvent;
}
