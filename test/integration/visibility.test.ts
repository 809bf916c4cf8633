// End to end on a queue whose visibility timeout (1 s) is far shorter than the time an object
// takes: analysisd's socket is not read for the first seconds of the run, so the sends block
// and the message outlives its visibility timeout. Every event must still arrive once.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @ts-expect-error plain JavaScript helper without type declarations
import { startLocalAws } from '../../scripts/lib/local-aws.mjs';
import { loadDatagramAddon } from '../../src/wazuh/native.js';
import { parseDatagram, type LocalAws } from '../support/local-harness.js';
import { missingBuild, runWodle, wodleEnv, type WodleRun } from '../support/wodle-process.js';

const buildProblem = missingBuild();
if (buildProblem !== undefined) console.log(`skipping visibility end-to-end tests: ${buildProblem}`);

const EVENTS = 400;

/** How long analysisd's socket goes unread, so the object outlives the 1 s timeout. */
const UNREAD_MS = 3500;

describe.skipIf(buildProblem !== undefined)('a message that outlives its visibility timeout', () => {
  let aws: LocalAws;
  let wazuhDir: string;

  beforeAll(async () => {
    wazuhDir = mkdtempSync(join(tmpdir(), 'wodle-visibility-'));
    mkdirSync(join(wazuhDir, 'queue', 'sockets'), { recursive: true });
    aws = await startLocalAws();
  });

  afterAll(async () => {
    await aws?.stop();
    rmSync(wazuhDir, { recursive: true, force: true });
  });

  async function queueWithSlowObject(name: string): Promise<string> {
    const queueUrl = await aws.createQueue(name, { VisibilityTimeout: '1' });
    await aws.createBucket(name);
    const lines = Array.from({ length: EVENTS }, (_, index) => JSON.stringify({ i: index }));
    await aws.putAndNotify(queueUrl, name, 'slow.jsonl', `${lines.join('\n')}\n`);
    return queueUrl;
  }

  async function subscribeSlowly(queue: string, env: NodeJS.ProcessEnv): Promise<{
    run: WodleRun;
    indexes: number[];
  }> {
    const receiver = unreadSocket(join(wazuhDir, 'queue', 'sockets', 'queue'));
    const running = runWodle(['--subscriber', 'buckets', '--queue', queue], env);
    setTimeout(() => receiver.startReading(), UNREAD_MS);

    const run = await running;
    const indexes = receiver.stop().map((datagram) => Number(parseDatagram(datagram).aws.i));
    return { run, indexes };
  }

  it('sends each event once when the keepalive may extend the visibility', async () => {
    const queueUrl = await queueWithSlowObject('e2e-visibility-kept');

    const { run, indexes } = await subscribeSlowly('e2e-visibility-kept',
      wodleEnv(aws.env, wazuhDir));

    expect(run.exitCode, run.stdout).toBe(0);
    expect(indexes.sort((a, b) => a - b)).toEqual(Array.from({ length: EVENTS }, (_, i) => i));
    expect(run.lines.filter((line) => /^(WARNING|ERROR):/.test(line))).toEqual([]);
    expect(await aws.queueDepth(queueUrl)).toBe(0);
  });

  it('sends each event once, and warns once, when the policy refuses to extend', async () => {
    const queueUrl = await queueWithSlowObject('e2e-visibility-refused');
    const proxy = await refuseVisibilityChanges(aws.endpoint);

    const { run, indexes } = await subscribeSlowly('e2e-visibility-refused',
      { ...wodleEnv(aws.env, wazuhDir), AWS_ENDPOINT_URL: proxy.endpoint });
    proxy.close();

    expect(run.exitCode, run.stdout).toBe(0);
    expect(indexes.sort((a, b) => a - b)).toEqual(Array.from({ length: EVENTS }, (_, i) => i));
    expect(proxy.refused()).toBe(1);
    const warnings = run.lines.filter((line) => line.startsWith('WARNING:'));
    expect(warnings).toEqual([expect.stringContaining('Grant sqs:ChangeMessageVisibility')]);
    expect(run.lines.at(-1)).toMatch(/^INFO: Processed 1 messages \(1 deleted\).*repeated deliveries/);
    expect(await aws.queueDepth(queueUrl)).toBe(0);
  });
});

/** A datagram socket at path, playing analysisd, that reads nothing until told to. */
function unreadSocket(path: string): { startReading(): void; stop(): string[] } {
  const addon = loadDatagramAddon();
  rmSync(path, { force: true });
  const fd = addon.bind(path);
  const slotSize = 128 * 1024;
  const data = Buffer.alloc(slotSize * 16);
  const lengths = new Uint32Array(16);
  const datagrams: string[] = [];
  let timer: NodeJS.Timeout | undefined;

  const drain = (): void => {
    let received = 0;
    do {
      received = addon.receiveBatch(fd, data, slotSize, lengths);
      for (let slot = 0; slot < received; slot++) {
        const start = slot * slotSize;
        datagrams.push(data.toString('utf8', start, start + (lengths[slot] ?? 0)));
      }
    } while (received > 0);
  };
  const poll = (): void => {
    drain();
    timer = setTimeout(poll, 1);
  };

  return {
    startReading: poll,
    stop: () => {
      clearTimeout(timer);
      drain();
      addon.close(fd);
      rmSync(path, { force: true });
      return datagrams;
    },
  };
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the emulator that answers every
 * ChangeMessageVisibility with AccessDenied, as an IAM policy written for Wazuh's wodle does.
 */
async function refuseVisibilityChanges(upstream: string): Promise<{
  endpoint: string;
  refused(): number;
  close(): void;
}> {
  const target = new URL(upstream);
  let refused = 0;
  const server = http.createServer((request, response) => {
    const operation = String(request.headers['x-amz-target'] ?? '');
    if (operation.endsWith('.ChangeMessageVisibility')) {
      refused++;
      request.resume();
      response.writeHead(403, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({
        __type: 'com.amazonaws.sqs#AccessDenied',
        message: 'not authorized to perform: sqs:ChangeMessageVisibility',
      }));
      return;
    }

    const forward = http.request({
      host: target.hostname, port: target.port, method: request.method, path: request.url,
      headers: request.headers,
    }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    refused: () => refused,
    close: () => server.close(),
  };
}
