import { describe, expect, it } from 'vitest';

import { ExitCode, ObjectReadError, WazuhUnreachableError, WodleError } from '../src/errors.js';
import { Logger } from '../src/log.js';
import type { ObjectRef, WazuhEvent } from '../src/model.js';
import { drainQueue, type DrainDeps, type DrainSettings } from '../src/pipeline/drain-queue.js';
import { RunStats } from '../src/stats.js';
import { FakeQueue, message } from './support/fake-queue.js';
import {
  RecordingSink,
  eventsOfTestObject,
  parseTestBody,
  serializeTestEvents,
} from './support/fake-stages.js';

const SETTINGS: DrainSettings = {
  skipOnError: false,
  deleteMessages: true,
  maxInFlight: 4,
  firstWaitSec: 20,
  drainWaitSec: 2,
  visibilityTimeoutSec: 30,
  deleteLingerMs: 1,
};

interface Harness {
  deps: DrainDeps;
  queue: FakeQueue;
  sink: RecordingSink;
  lines: string[];
  stats: RunStats;
}

function harness(queue: FakeQueue, overrides: Partial<DrainDeps> = {}): Harness {
  const lines: string[] = [];
  const sink = new RecordingSink();
  const stats = new RunStats();
  const deps: DrainDeps = {
    queue,
    sink,
    logger: new Logger(1, (line) => lines.push(line)),
    stats,
    parseNotification: parseTestBody,
    events: eventsOfTestObject,
    serializeEvents: serializeTestEvents,
    ...overrides,
  };
  return { deps, queue, sink, lines, stats };
}

const errorLines = (lines: string[]): string[] => lines.filter((line) => line.startsWith('ERROR:'));

async function* failingEvents(error: Error): AsyncIterable<readonly WazuhEvent[]> {
  yield* [];
  throw error;
}

describe('draining the queue', () => {
  it('sends every event of a message, then deletes it', async () => {
    const queue = new FakeQueue([message('m1', 'objects:b/n3,b/n2'), message('m2', 'objects:b/n1')]);
    const run = harness(queue);
    let acceptedAtDelete = -1;
    const deleteBatch = queue.deleteBatch.bind(queue);
    queue.deleteBatch = async (messages) => {
      acceptedAtDelete = run.sink.accepted;
      return deleteBatch(messages);
    };

    const code = await drainQueue(run.deps, SETTINGS);

    expect(code).toBe(0);
    expect(run.sink.written).toHaveLength(6);
    expect(acceptedAtDelete).toBe(6);
    expect(queue.deleted.sort()).toEqual(['m1', 'm2']);
    expect(run.stats).toMatchObject({ messagesReceived: 2, messagesDeleted: 2, objects: 3 });
  });

  it('acknowledges a message with nothing to fetch with one DEBUG line', async () => {
    const run = harness(new FakeQueue([message('t1', 'ack')]));

    await drainQueue(run.deps, SETTINGS);

    expect(run.queue.deleted).toEqual(['t1']);
    expect(run.lines.filter((line) => line.includes('t1'))).toEqual([
      'DEBUG: Message t1: nothing to fetch (s3:TestEvent); acknowledged',
    ]);
  });

  it('leaves a message whose object fails, names bucket and key once, and goes on', async () => {
    const queue = new FakeQueue([
      message('ok1', 'objects:b/n2'),
      message('bad', 'objects:logs/n1,logs/broken.json', 4),
      message('ok2', 'objects:b/n1'),
    ]);
    const run = harness(queue);

    const code = await drainQueue(run.deps, SETTINGS);

    expect(code).toBe(ExitCode.parseFailed);
    expect(queue.deleted.sort()).toEqual(['ok1', 'ok2']);
    expect(errorLines(run.lines)).toEqual([
      'ERROR: s3://logs/broken.json: not JSON at byte 7 (message bad, receive count 4); ' +
        'left in the queue',
    ]);
    expect(run.stats.messagesFailed).toBe(1);
  });

  it('goes on past an object S3 refuses to read, and ends with exit 3', async () => {
    const denied = new ObjectReadError(
      { bucket: 'private', key: 'a.log' }, 'accessDenied', 'AccessDenied: Access Denied');
    const queue = new FakeQueue([
      message('denied', 'objects:private/a.log'),
      message('ok', 'objects:b/n2'),
    ]);
    const run = harness(queue, {
      events: (ref) => (ref.bucket === 'private' ? failingEvents(denied) : eventsOfTestObject(ref)),
    });

    const code = await drainQueue(run.deps, SETTINGS);

    expect(code).toBe(ExitCode.invalidCredentials);
    expect(queue.deleted).toEqual(['ok']);
    expect(run.sink.written).toHaveLength(2);
    expect(errorLines(run.lines)).toHaveLength(1);
    expect(errorLines(run.lines)[0]).toContain('s3://private/a.log: AccessDenied');
  });

  it('reports an unreadable body with its id, receive count and first 200 characters', async () => {
    const body = `garbage ${'x'.repeat(300)}`;
    const run = harness(new FakeQueue([message('junk', body, 7)]));

    const code = await drainQueue(run.deps, SETTINGS);

    expect(code).toBe(ExitCode.unexpected);
    expect(run.queue.deleted).toEqual([]);
    const [line] = errorLines(run.lines);
    expect(line).toContain('Message junk (receive count 7)');
    expect(line).toContain(`body starts: ${body.slice(0, 200)}`);
    expect(line).not.toContain(body.slice(0, 201));
  });

  it('deletes a failed message only with --skip_on_error', async () => {
    const run = harness(new FakeQueue([message('bad', 'objects:b/broken')]));

    const code = await drainQueue(run.deps, { ...SETTINGS, skipOnError: true });

    expect(code).toBe(ExitCode.parseFailed);
    expect(run.queue.deleted).toEqual(['bad']);
    expect(errorLines(run.lines)[0]).toContain('deleted anyway (--skip_on_error)');
  });

  it('never has more messages in processing than the bound', async () => {
    const messages = Array.from({ length: 25 }, (_, index) => message(`m${index}`, 'objects:b/n1'));
    let active = 0;
    let mostActive = 0;
    async function* slowEvents(ref: ObjectRef): AsyncIterable<readonly WazuhEvent[]> {
      active++;
      mostActive = Math.max(mostActive, active);
      await new Promise((resolve) => setTimeout(resolve, 2));
      active--;
      yield* eventsOfTestObject(ref);
    }
    const run = harness(new FakeQueue(messages), { events: slowEvents });

    await drainQueue(run.deps, { ...SETTINGS, maxInFlight: 3 });

    expect(mostActive).toBe(3);
    expect(run.queue.deleted).toHaveLength(25);
  });

  it('long-polls 20 s first, then waits briefly once messages came, and stops when empty', async () => {
    const run = harness(new FakeQueue([message('m1', 'objects:b/n1')]));

    await drainQueue(run.deps, SETTINGS);

    expect(run.queue.receiveWaits).toEqual([20, 2]);
  });

  it('ends with the sink error, stops receiving, and deletes nothing unaccepted', async () => {
    const messages = Array.from({ length: 12 }, (_, index) => message(`m${index}`, 'objects:b/n1'));
    const queue = new FakeQueue(messages);
    const run = harness(queue);
    run.sink.flushError = new WazuhUnreachableError('/x/queue/sockets/queue');

    const failure = await drainQueue(run.deps, SETTINGS).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(WazuhUnreachableError);
    expect(queue.deleted).toEqual([]);
    expect(run.stats.messagesReceived).toBe(SETTINGS.maxInFlight);
    expect(errorLines(run.lines)).toEqual([]);
  });

  it('logs a delete SQS refused and goes on with the run', async () => {
    const queue = new FakeQueue([message('m1', 'objects:b/n1'), message('m2', 'objects:b/n1')]);
    queue.refuseDelete.add('m2');
    const run = harness(queue);

    const code = await drainQueue(run.deps, SETTINGS);

    expect(code).toBe(0);
    expect(queue.deleted).toEqual(['m1']);
    expect(run.stats.messagesDeleted).toBe(1);
    expect(errorLines(run.lines)).toEqual([
      'ERROR: SQS refused to delete message m2 (ReceiptHandleIsInvalid: stale); ' +
        'it will be delivered again and its events sent twice',
    ]);
  });

  it('ends with exit 21 when the delete call itself fails', async () => {
    const queue = new FakeQueue([message('m1', 'objects:b/n1')]);
    queue.deleteError = new WodleError(ExitCode.queueOperationFailed, 'delete failed');
    const run = harness(queue);

    await expect(drainQueue(run.deps, SETTINGS)).rejects.toMatchObject({
      exitCode: ExitCode.queueOperationFailed });
  });

  it('prints one WARNING per object with its trimmed and too-large counts', async () => {
    async function* mixed(): AsyncIterable<readonly WazuhEvent[]> {
      yield [{ long: true }, { big: true }, {}];
      yield [{ long: true }, { big: true }];
    }
    const run = harness(new FakeQueue([message('m1', 'objects:b/k')]), { events: mixed });

    await drainQueue(run.deps, SETTINGS);

    expect(run.lines.filter((line) => line.startsWith('WARNING:'))).toEqual([
      'WARNING: s3://b/k: 2 events trimmed to fit a datagram, 2 events too large to send were skipped',
    ]);
    expect(run.stats).toMatchObject({ eventsTrimmed: 2, eventsTooLarge: 2 });
  });

  it('lets the messages in flight finish before ending with a failed receive', async () => {
    const queue = new FakeQueue([message('m1', 'objects:b/n2'), message('m2', 'objects:b/n1')]);
    const receive = queue.receive.bind(queue);
    let receives = 0;
    queue.receive = async (maxMessages, waitTimeSec) => {
      receives++;
      if (receives > 1) throw new WodleError(ExitCode.queueOperationFailed, 'receive failed');
      return receive(maxMessages, waitTimeSec);
    };
    const run = harness(queue);

    await expect(drainQueue(run.deps, SETTINGS)).rejects.toMatchObject({
      exitCode: ExitCode.queueOperationFailed });
    expect(queue.deleted.sort()).toEqual(['m1', 'm2']);
    expect(run.sink.written).toHaveLength(3);
  });

  it('shows message bodies at debug level 3 only', async () => {
    const body = 'objects:b/n1';
    const atLevel = async (level: 1 | 2 | 3): Promise<string[]> => {
      const run = harness(new FakeQueue([message('m1', body)]));
      const lines: string[] = [];
      await drainQueue({ ...run.deps, logger: new Logger(level, (line) => lines.push(line)) },
        SETTINGS);
      return lines.filter((line) => line.includes(body));
    };

    expect(await atLevel(2)).toEqual([]);
    expect(await atLevel(3)).toEqual([`DEBUG: Message m1 body: ${body}`]);
  });

  it('deletes nothing in a dry run', async () => {
    const run = harness(new FakeQueue([message('m1', 'objects:b/n1'), message('t', 'ack')]));

    await drainQueue(run.deps, { ...SETTINGS, deleteMessages: false });

    expect(run.sink.written).toHaveLength(1);
    expect(run.queue.deleteCalls).toEqual([]);
  });
});
