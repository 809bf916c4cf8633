import { describe, expect, it } from 'vitest';

import { ExitCode, ObjectReadError, WazuhUnreachableError, WodleError } from '../src/errors.js';
import { Logger } from '../src/log.js';
import type { ObjectRef, WazuhEvent } from '../src/model.js';
import {
  MAX_FRUITLESS_RECEIVES,
  drainQueue,
  type DrainDeps,
  type DrainSettings,
} from '../src/pipeline/drain-queue.js';
import { REPORTS_IN_FULL } from '../src/pipeline/folded-reports.js';
import { summaryLine } from '../src/pipeline/summary.js';
import type { QueueMessage } from '../src/queue/message-queue.js';
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

/** The message as SQS hands it out again: same id and body, a new receipt handle. */
function again(original: QueueMessage, delivery: number): QueueMessage {
  return {
    ...original,
    receiptHandle: `${original.receiptHandle}-${delivery}`,
    receiveCount: original.receiveCount + delivery - 1,
  };
}

/**
 * A queue whose receives follow a script: receive N runs step N, which may wait for the run
 * to get somewhere first; past the script, the queue is empty. Records deleted receipt handles.
 */
class ScriptedQueue extends FakeQueue {
  readonly deletedHandles: string[] = [];
  private readonly steps: Array<() => Promise<QueueMessage[]>>;

  constructor(steps: Array<() => Promise<QueueMessage[]>>, timeoutSec = 30) {
    super([], timeoutSec);
    this.steps = steps;
  }

  override async receive(_maxMessages: number, waitTimeSec: number): Promise<QueueMessage[]> {
    this.receiveWaits.push(waitTimeSec);
    return (await this.steps.shift()?.()) ?? [];
  }

  override async deleteBatch(messages: readonly QueueMessage[]) {
    this.deletedHandles.push(...messages.map((entry) => entry.receiptHandle));
    return super.deleteBatch(messages);
  }
}

/** Resolves once the condition holds, checking every millisecond. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

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

  it('deletes a failed message only with --skip_on_error, and then ends with 0', async () => {
    const run = harness(new FakeQueue([message('bad', 'objects:b/broken')]));

    const code = await drainQueue(run.deps, { ...SETTINGS, skipOnError: true });

    expect(code).toBe(ExitCode.success);
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

  it('logs a delete SQS refused, goes on with the run, and ends with exit 21', async () => {
    const queue = new FakeQueue([message('m1', 'objects:b/n1'), message('m2', 'objects:b/n1')]);
    queue.refuseDelete.add('m2');
    const run = harness(queue);

    const code = await drainQueue(run.deps, SETTINGS);

    expect(code).toBe(ExitCode.queueOperationFailed);
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

describe('a message delivered again within one run', () => {
  it('is processed once when it comes back while in processing, and deleted by its newest receipt handle', async () => {
    const first = message('m1', 'objects:b/n3');
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => { release = resolve; });
    async function* slowEvents(ref: ObjectRef): AsyncIterable<readonly WazuhEvent[]> {
      await gate;
      yield* eventsOfTestObject(ref);
    }
    const queue = new ScriptedQueue([
      async () => [first],
      async () => [again(first, 2)],
      async () => [again(first, 3)],
      async () => { release(); return []; },
    ]);
    const run = harness(queue, { events: slowEvents });

    const code = await drainQueue(run.deps, SETTINGS);

    expect(code).toBe(0);
    expect(run.sink.written).toHaveLength(3);
    expect(queue.deletedHandles).toEqual(['handle-m1-3']);
    expect(run.stats).toMatchObject({ messagesReceived: 1, deliveriesRepeated: 2, messagesDeleted: 1 });
    expect(run.lines).toContain(
      'DEBUG: Message m1 delivered again (receive count 3) while in processing; not processed twice');
    expect(summaryLine(run.stats)).toContain('2 repeated deliveries not processed again');
  });

  it('is deleted again, not processed, when it comes back after its events were sent', async () => {
    const first = message('m1', 'objects:b/n2');
    const queue = new ScriptedQueue([
      async () => [first],
      async () => {
        await until(() => queue.deleted.includes('m1'));
        return [again(first, 2)];
      },
    ]);
    const run = harness(queue);

    await drainQueue(run.deps, SETTINGS);

    expect(run.sink.written).toHaveLength(2);
    expect(queue.deletedHandles).toEqual(['handle-m1', 'handle-m1-2']);
    expect(run.stats).toMatchObject({ messagesDeleted: 1, deliveriesRepeated: 1 });
  });

  it('is deleted again by its newest receipt handle when it came back while the delete was on its way', async () => {
    const first = message('m1', 'objects:b/n2');
    let deleting = false;
    const queue = new ScriptedQueue([
      async () => [first],
      async () => {
        await until(() => deleting);
        return [again(first, 2)];
      },
    ]);
    const deleteBatch = queue.deleteBatch.bind(queue);
    queue.deleteBatch = async (messages) => {
      deleting = true;
      await until(() => run.stats.deliveriesRepeated === 1);
      return deleteBatch(messages);
    };
    const run = harness(queue);

    await drainQueue(run.deps, SETTINGS);

    expect(run.sink.written).toHaveLength(2);
    expect(queue.deletedHandles).toEqual(['handle-m1', 'handle-m1-2']);
  });

  it('is neither processed nor reported again when it failed and was left in the queue', async () => {
    const bad = message('bad', 'objects:b/broken');
    const queue = new ScriptedQueue([
      async () => [bad],
      async () => {
        await until(() => run.stats.messagesFailed === 1);
        return [again(bad, 2), message('ok', 'objects:b/n1')];
      },
    ]);
    const run = harness(queue);

    const code = await drainQueue(run.deps, SETTINGS);

    expect(code).toBe(ExitCode.parseFailed);
    expect(errorLines(run.lines)).toHaveLength(1);
    expect(queue.deleted).toEqual(['ok']);
    expect(run.lines).toContain(
      'DEBUG: Message bad delivered again (receive count 2); it stays in the queue for a later run');
  });

  it('cannot keep a run going forever by coming back at every receive', async () => {
    const bad = message('bad', 'not a notification');
    let deliveries = 0;
    const queue = new ScriptedQueue([]);
    queue.receive = async (_maxMessages, waitTimeSec) => {
      // A timer turn per receive, so a run that loops still lets the test time out.
      await new Promise((resolve) => setTimeout(resolve, 0));
      queue.receiveWaits.push(waitTimeSec);
      deliveries++;
      return [again(bad, deliveries)];
    };
    const run = harness(queue);

    const code = await drainQueue(run.deps, SETTINGS);

    expect(code).toBe(ExitCode.unexpected);
    expect(queue.receiveWaits).toHaveLength(1 + MAX_FRUITLESS_RECEIVES);
    expect(errorLines(run.lines)).toHaveLength(1);
    expect(run.stats).toMatchObject({ messagesReceived: 1, deliveriesRepeated: MAX_FRUITLESS_RECEIVES });
  });
});

describe('reports of many failing messages', () => {
  it('prints the first few failures of a kind in full and folds the rest into one closing line', async () => {
    const junk = Array.from({ length: 12 }, (_, index) => message(`j${index}`, `junk body ${index}`));
    const run = harness(new FakeQueue(junk));

    await drainQueue(run.deps, { ...SETTINGS, maxInFlight: 1 });

    const errors = errorLines(run.lines);
    expect(errors).toHaveLength(REPORTS_IN_FULL + 1);
    expect(errors[0]).toContain('Message j0 (receive count 1) is not a notification we can read');
    expect(errors[0]).toContain('body starts: junk body 0');
    expect(errors.at(-1)).toBe(
      'ERROR: 7 more messages could not be read as notifications; left in the queue ' +
        '(ids j5, j6, j7, j8, j9, ...)');
    expect(run.lines.filter((line) => line.startsWith('DEBUG: Message j11 (receive count 1)')))
      .toHaveLength(1);
  });

  it('folds each way of failing on its own, in the order they first came', async () => {
    const messages = [
      ...Array.from({ length: 7 }, (_, index) => message(`p${index}`, `objects:b/broken-${index}`)),
      ...Array.from({ length: 6 }, (_, index) => message(`j${index}`, 'junk')),
    ];
    const run = harness(new FakeQueue(messages));

    await drainQueue(run.deps, { ...SETTINGS, maxInFlight: 1 });

    const closing = errorLines(run.lines).slice(2 * REPORTS_IN_FULL);
    expect(closing).toEqual([
      'ERROR: 2 more messages had an object that could not be parsed (exit 9); left in the queue ' +
        '(ids p5, p6)',
      'ERROR: 1 more messages could not be read as notifications; left in the queue (ids j5)',
    ]);
    expect(errorLines(run.lines)[0]).toContain('s3://b/broken-0');
  });

  it('folds the per-object WARNING about trimmed and too-large events the same way', async () => {
    async function* oversized(): AsyncIterable<readonly WazuhEvent[]> {
      yield [{ long: true }, { big: true }];
    }
    const keys = Array.from({ length: 8 }, (_, index) => `b/k${index}`).join(',');
    const run = harness(new FakeQueue([message('m1', `objects:${keys}`)]), { events: oversized });

    await drainQueue(run.deps, SETTINGS);

    const warnings = run.lines.filter((line) => line.startsWith('WARNING:'));
    expect(warnings).toHaveLength(REPORTS_IN_FULL + 1);
    expect(warnings.at(-1)).toBe('WARNING: 3 more objects had events trimmed to fit a datagram ' +
      'or too large to send (objects s3://b/k5, s3://b/k6, s3://b/k7)');
    expect(run.stats).toMatchObject({ eventsTrimmed: 8, eventsTooLarge: 8 });
  });
});


/** Resolves once the signal fires; never, without one. */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Objects keyed `slow...` send one event, then hold on until the run's stop aborts their
 * stream, and end without an error: the worst case, a stream cut short that looks complete.
 * The others are eventsOfTestObject's. Records the keys whose streams were started.
 */
function stoppableEvents(started: string[]) {
  return async function* events(
    ref: ObjectRef,
    signal?: AbortSignal,
  ): AsyncIterable<readonly WazuhEvent[]> {
    started.push(ref.key);
    if (!ref.key.startsWith('slow')) {
      yield* eventsOfTestObject(ref);
      return;
    }
    yield [{ key: ref.key, index: 0 }];
    await aborted(signal);
  };
}

const finishedLine = (id: string) => (line: string) => line.startsWith(`DEBUG: Message ${id}:`);

describe('a run asked to stop', () => {
  /** Deletes wait in the batcher until the stop sends them, as they may when a signal comes. */
  const LINGERING: DrainSettings = { ...SETTINGS, deleteLingerMs: 60_000 };

  it('deletes the messages finished before the stop and leaves those in processing', async () => {
    const queue = new FakeQueue([
      message('done1', 'objects:b/n2'),
      message('slow1', 'objects:b/slow1'),
      message('done2', 'objects:b/n1'),
      message('slow2', 'objects:b/slow2,b/n4'),
    ]);
    const started: string[] = [];
    const run = harness(queue, { events: stoppableEvents(started) });
    const stop = new AbortController();

    const draining = drainQueue(run.deps, LINGERING, stop.signal);
    await until(() => ['done1', 'done2'].every((id) => run.lines.some(finishedLine(id))) &&
      started.filter((key) => key.startsWith('slow')).length === 2);
    expect(queue.deleted).toEqual([]);
    stop.abort();
    const code = await draining;

    expect(code).toBe(0);
    expect(queue.deleted.sort()).toEqual(['done1', 'done2']);
    expect(run.stats.messagesDeleted).toBe(2);
    // slow2's second object is never started once the stop came.
    expect(started).not.toContain('n4');
    expect(run.lines.filter(finishedLine('slow1'))).toEqual([
      'DEBUG: Message slow1: in processing at the stop; it stays in the queue',
    ]);
    expect(errorLines(run.lines)).toEqual([]);
  });

  it('leaves a message cut short by the stop even with --skip_on_error', async () => {
    const queue = new FakeQueue([message('done', 'objects:b/n1'), message('slow', 'objects:b/slow')]);
    const run = harness(queue, {
      events: async function* (ref, signal) {
        if (ref.key.startsWith('slow')) {
          await aborted(signal);
          throw new Error('The operation was aborted');
        }
        yield* eventsOfTestObject(ref);
      },
    });
    const stop = new AbortController();

    const draining = drainQueue(run.deps, { ...LINGERING, skipOnError: true }, stop.signal);
    await until(() => run.lines.some(finishedLine('done')));
    stop.abort();
    await draining;

    expect(queue.deleted).toEqual(['done']);
    expect(errorLines(run.lines)).toEqual([]);
  });

  it('abandons a receive in progress and receives no more', async () => {
    let receives = 0;
    const queue = new ScriptedQueue([
      async () => [message('done', 'objects:b/n1')],
      () => { receives++; return new Promise<QueueMessage[]>(() => {}); },
      async () => { receives++; return [message('late', 'objects:b/n1')]; },
    ]);
    const run = harness(queue);
    const stop = new AbortController();

    const draining = drainQueue(run.deps, LINGERING, stop.signal);
    await until(() => receives === 1 && run.lines.some(finishedLine('done')));
    stop.abort();
    const code = await draining;

    expect(code).toBe(0);
    expect(queue.deleted).toEqual(['done']);
    expect(receives).toBe(1);
  });

  it('receives nothing when stopped before it starts', async () => {
    const queue = new FakeQueue([message('m1', 'objects:b/n1')]);
    const run = harness(queue);
    const stop = new AbortController();
    stop.abort();

    const code = await drainQueue(run.deps, SETTINGS, stop.signal);

    expect(code).toBe(0);
    expect(queue.receiveWaits).toEqual([]);
    expect(run.sink.written).toEqual([]);
  });
});

describe('the closing summary line', () => {
  it('says how many messages stay in the queue for a later run', () => {
    const stats = new RunStats();
    Object.assign(stats, { messagesReceived: 5, messagesDeleted: 2, messagesFailed: 1 });

    expect(summaryLine(stats)).toMatch(
      /^Processed 5 messages \(2 deleted, 1 failed, 3 left in the queue\), 0 objects/,
    );
  });

  it('mentions nothing left when every message was deleted', () => {
    const stats = new RunStats();
    Object.assign(stats, { messagesReceived: 3, messagesDeleted: 3 });

    expect(summaryLine(stats)).toMatch(/^Processed 3 messages \(3 deleted\), /);
  });
});
