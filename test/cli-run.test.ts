// Runs of the real wrapper against a local fauxqs S3/SQS on 127.0.0.1: the dry run (events as
// JSON lines, no message deleted), SIGINT (exit 2 with one ERROR line, as Wazuh's wodle) and
// SIGTERM (exit 143 once the finished messages are deleted; the others stay in the queue).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadDatagramAddon } from '../src/wazuh/native.js';
import { parseDatagram } from './support/local-harness.js';
import { useWodleHarness } from './support/wodle-harness.js';

// @ts-expect-error: plain JavaScript helper without type declarations
import { startLocalAws } from '../scripts/lib/local-aws.mjs';
// @ts-expect-error: plain JavaScript helper without type declarations
import { startReceiver } from '../scripts/lib/receiver.mjs';

const WRAPPER = resolve(import.meta.dirname, '..', 'wodle/aws-s3');
const BUCKET = 'cli-run-logs';
const JSON_LINES = '{"id":1,"action":"allow"}\n{"id":2,"action":"deny"}\n{"id":3,"action":"allow"}\n';
const PLAIN_LINES = 'first line\nsecond line\n';
const EVENTS_IN_QUEUE = 5;

/** What this test uses of scripts/lib/local-aws.mjs. */
interface LocalAws {
  readonly env: Record<string, string>;
  createBucket(name: string): Promise<void>;
  createQueue(name: string): Promise<string>;
  putAndNotify(queueUrl: string, bucket: string, key: string, body: string): Promise<number>;
  queueDepth(queueUrl: string): Promise<number>;
  stop(): Promise<void>;
}

let aws: LocalAws;
let wazuhDir: string;

beforeAll(async () => {
  aws = await startLocalAws();
  await aws.createBucket(BUCKET);
  wazuhDir = mkdtempSync(join(tmpdir(), 'cli-run-wazuh-'));
});

afterAll(async () => {
  await aws?.stop();
  rmSync(wazuhDir, { recursive: true, force: true });
});

function wodleEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, WAZUH_PATH: wazuhDir, ...aws.env };
}

/** Asynchronous: fauxqs serves from this process, so the test must not block while it runs. */
function runWrapper(args: readonly string[]): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(WRAPPER, args, { env: wodleEnv() });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  return new Promise((resolveRun) => child.on('close', (status) => resolveRun({ status, stdout })));
}

async function queueWithTwoObjects(name: string): Promise<string> {
  const queueUrl = await aws.createQueue(name);
  await aws.putAndNotify(queueUrl, BUCKET, `${name}/waf.jsonl`, JSON_LINES);
  await aws.putAndNotify(queueUrl, BUCKET, `${name}/app.log`, PLAIN_LINES);
  return queueUrl;
}

describe('a dry run', () => {
  it('writes every event as one JSON line to --output and deletes no message', async () => {
    const queueUrl = await queueWithTwoObjects('dry-run-file');
    const output = join(wazuhDir, 'events.jsonl');
    const args = ['-sb', 'buckets', '-q', 'dry-run-file', '--output', output];

    const result = await runWrapper(args);

    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(/^ERROR:/m);
    const events = readFileSync(output, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(events).toHaveLength(EVENTS_IN_QUEUE);
    expect(events.map((event) => event.aws.log_info.s3bucket))
      .toEqual(Array(EVENTS_IN_QUEUE).fill(BUCKET));
    expect(await aws.queueDepth(queueUrl)).toBe(2);
  });

  it('writes the events to stdout with --dry-run alone, between the log lines', async () => {
    await queueWithTwoObjects('dry-run-stdout');
    const args = ['--subscriber', 'buckets', '--queue', 'dry-run-stdout', '--dry-run'];

    const result = await runWrapper(args);

    expect(result.status).toBe(0);
    const eventLines = result.stdout.split('\n').filter((line) => line.startsWith('{'));
    expect(eventLines.map((line) => JSON.parse(line).integration))
      .toEqual(Array(EVENTS_IN_QUEUE).fill('aws'));
  });

  it('leaves out the events a Python-syntax --discard-regex matches', async () => {
    await queueWithTwoObjects('dry-run-discard');
    const output = join(wazuhDir, 'kept.jsonl');
    const args = ['-sb', 'buckets', '-q', 'dry-run-discard', '--output', output,
      '--discard-field', 'action', '--discard-regex', '(?i)(?P<verdict>DENY)'];

    const result = await runWrapper(args);

    expect(result.status).toBe(0);
    const events = readFileSync(output, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(events).toHaveLength(EVENTS_IN_QUEUE - 1);
    expect(events.some((event) => event.aws.action === 'deny')).toBe(false);
  });
});

describe('SIGINT', () => {
  it('ends a run waiting on an empty queue at once with exit 2 and "ERROR: SIGINT received."', async () => {
    await aws.createQueue('sigint-empty');
    mkdirSync(join(wazuhDir, 'queue/sockets'), { recursive: true });
    const receiver = startReceiver(join(wazuhDir, 'queue/sockets/queue'));
    try {
      const child = spawn(WRAPPER, ['-sb', 'buckets', '-q', 'sigint-empty', '-d', '1'], {
        env: wodleEnv(),
      });
      let stdout = '';
      child.stdout.setEncoding('utf8');
      const started = new Promise<void>((resolveStarted) => {
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          if (stdout.includes('Reading queue')) resolveStarted();
        });
      });
      const exited = new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));

      await started;
      child.kill('SIGINT');

      expect(await exited).toBe(2);
      expect(stdout.split('\n').filter((line) => line.startsWith('ERROR:'))).toEqual([
        'ERROR: SIGINT received. 0 messages whose events were all sent were deleted; ' +
          'the others stay in the queue.',
      ]);
    } finally {
      receiver.stop();
    }
  });
});

/**
 * Plays an analysisd that reads until a condition on what it got holds, then reads no more:
 * its socket fills (a few datagrams on Linux), and the events still to send wait for room.
 */
function stallingAnalysisd(socketPath: string, stallOnce: (logFiles: string[]) => boolean) {
  const addon = loadDatagramAddon();
  const fd = addon.bind(socketPath);
  const slotBytes = 128 * 1024;
  const data = Buffer.alloc(slotBytes * 16);
  const lengths = new Uint32Array(16);
  const logFiles: string[] = [];
  let reading = true;

  const timer = setInterval(() => {
    let received;
    while (reading && (received = addon.receiveBatch(fd, data, slotBytes, lengths)) > 0) {
      for (let i = 0; i < received; i++) {
        const text = data.toString('utf8', i * slotBytes, i * slotBytes + lengths[i]!);
        logFiles.push(parseDatagram(text).aws.log_info.log_file);
      }
      reading = !stallOnce(logFiles);
    }
  }, 1);
  return {
    get stalled() { return !reading; },
    close() { clearInterval(timer); addon.close(fd); },
  };
}

describe('SIGTERM', () => {
  const setting = useWodleHarness('cli-sigterm-');
  const smallKeys = ['small-1.jsonl', 'small-2.jsonl', 'small-3.jsonl'];
  const largeKeys = ['large-1.jsonl', 'large-2.jsonl'];
  const LARGE_EVENTS = 20_000;

  it('deletes the messages whose events were all sent, leaves the others and exits 143', async () => {
    const bucket = 'sigterm-logs';
    await setting.aws.createBucket(bucket);
    const queueUrl = await setting.aws.createQueue('sigterm-queue');
    for (const key of smallKeys) await setting.aws.putAndNotify(queueUrl, bucket, key, JSON_LINES);
    const large = Array.from({ length: LARGE_EVENTS }, (_, n) => `{"n":${n}}`).join('\n');
    for (const key of largeKeys) await setting.aws.putAndNotify(queueUrl, bucket, key, large);

    // Once every event of the small objects and some of each large one came, the large ones
    // can never finish: their messages are in processing at the signal.
    const wazuhDir = join(setting.wazuhDir, 'stalling');
    mkdirSync(join(wazuhDir, 'queue/sockets'), { recursive: true });
    const analysisd = stallingAnalysisd(join(wazuhDir, 'queue/sockets/queue'), (logFiles) =>
      smallKeys.every((key) => logFiles.filter((file) => file === key).length === 3) &&
      largeKeys.every((key) => logFiles.includes(key)));
    try {
      const child = spawn(WRAPPER, ['-sb', 'buckets', '-q', 'sigterm-queue', '-d', '1'], {
        env: { ...setting.env, WAZUH_PATH: wazuhDir },
      });
      let stdout = '';
      child.stdout.setEncoding('utf8');
      const smallDone = new Promise<void>((resolveDone) => {
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          const finished = stdout.match(/^DEBUG: Message \S+: 1 objects, 3 events sent$/gm);
          if (finished?.length === smallKeys.length) resolveDone();
        });
      });
      const exited = new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));

      await smallDone;
      while (!analysisd.stalled) await new Promise((resolveWait) => setTimeout(resolveWait, 5));
      child.kill('SIGTERM');

      expect(await exited).toBe(143);
      expect(stdout.split('\n').filter((line) => line.startsWith('ERROR:'))).toEqual([
        'ERROR: SIGTERM received. 3 messages whose events were all sent were deleted; ' +
          'the others stay in the queue.',
      ]);
      expect(await setting.aws.queueDepth(queueUrl)).toBe(largeKeys.length);
    } finally {
      analysisd.close();
    }
  });
});
