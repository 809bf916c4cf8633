import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { WodleError, ExitCode } from '../src/errors.js';
import { Logger } from '../src/log.js';
import { DeleteBatcher } from '../src/queue/delete-batcher.js';
import { VisibilityKeeper } from '../src/queue/keepalive.js';
import { FakeQueue, message } from './support/fake-queue.js';

function staleHandleError(): WodleError {
  const cause = Object.assign(new Error('Message does not exist'), { name: 'MessageNotInflight' });
  return new WodleError(ExitCode.queueOperationFailed, 'stale', { cause });
}

const quiet = new Logger(0, () => {});

/** The receipt handles and seconds of each ChangeMessageVisibility call. */
function extensions(queue: FakeQueue): { calls: Array<[string, number]> } {
  const calls: Array<[string, number]> = [];
  const extend = queue.extendVisibility.bind(queue);
  queue.extendVisibility = async (target, timeoutSec) => {
    calls.push([target.receiptHandle, timeoutSec]);
    return extend(target, timeoutSec);
  };
  return { calls };
}

describe('the visibility keepalive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('first extends at half the queue timeout, by at least 60 s, then every 20 s until stopped', async () => {
    const queue = new FakeQueue([]);
    const { calls } = extensions(queue);
    const keepalive = new VisibilityKeeper(queue, 30, quiet).keep(message('m1', '{}'));

    await vi.advanceTimersByTimeAsync(14_000);
    expect(calls).toEqual([]);

    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toEqual([['handle-m1', 60], ['handle-m1', 60]]);

    keepalive.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(2);
  });

  it.each([0, 1, 5])('extends at once by 60 s when the queue timeout is %i s', async (timeoutSec) => {
    const queue = new FakeQueue([]);
    const { calls } = extensions(queue);
    const keepalive = new VisibilityKeeper(queue, timeoutSec, quiet).keep(message('m1', '{}'));

    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([['handle-m1', 60]]);

    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toEqual([['handle-m1', 60], ['handle-m1', 60]]);
    keepalive.stop();
  });

  it('extends by the queue timeout when it is longer than 60 s', async () => {
    const queue = new FakeQueue([]);
    const { calls } = extensions(queue);
    const keepalive = new VisibilityKeeper(queue, 900, quiet).keep(message('m1', '{}'));

    await vi.advanceTimersByTimeAsync(450_000);
    keepalive.stop();

    expect(calls).toEqual([['handle-m1', 900]]);
  });

  it('extends a message delivered again at once, under its new receipt handle', async () => {
    const queue = new FakeQueue([]);
    const { calls } = extensions(queue);
    const keepalive = new VisibilityKeeper(queue, 30, quiet).keep(message('m1', '{}'));
    await vi.advanceTimersByTimeAsync(5_000);

    keepalive.renew({ ...message('m1', '{}', 2), receiptHandle: 'handle-m1-again' });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([['handle-m1-again', 60]]);

    await vi.advanceTimersByTimeAsync(20_000);
    keepalive.stop();
    expect(keepalive.message.receiptHandle).toBe('handle-m1-again');
    expect(calls).toEqual([['handle-m1-again', 60], ['handle-m1-again', 60]]);
  });

  it('stops on its own once the receipt handle is no longer valid', async () => {
    const queue = new FakeQueue([]);
    queue.extendError = staleHandleError();
    const extend = vi.spyOn(queue, 'extendVisibility');
    new VisibilityKeeper(queue, 10, quiet).keep(message('m1', '{}'));

    await vi.advanceTimersByTimeAsync(600_000);

    expect(extend).toHaveBeenCalledTimes(1);
  });

  it('goes on under the new receipt handle when the old one went stale meanwhile', async () => {
    const queue = new FakeQueue([]);
    const { calls } = extensions(queue);
    let release = (): void => {};
    const extend = queue.extendVisibility.bind(queue);
    queue.extendVisibility = async (target, timeoutSec) => {
      if (target.receiptHandle !== 'handle-m1') return extend(target, timeoutSec);
      await new Promise<void>((resolve) => { release = resolve; });
      throw staleHandleError();
    };
    const keepalive = new VisibilityKeeper(queue, 0, quiet).keep(message('m1', '{}'));
    await vi.advanceTimersByTimeAsync(0);

    keepalive.renew({ ...message('m1', '{}', 2), receiptHandle: 'handle-m1-again' });
    release();
    await vi.advanceTimersByTimeAsync(0);
    keepalive.stop();

    expect(calls).toEqual([['handle-m1-again', 60]]);
  });

  it('warns once per run when the policy does not allow extending, naming the permission', async () => {
    const lines: string[] = [];
    const queue = new FakeQueue([]);
    queue.extendError = new WodleError(ExitCode.invalidCredentials, 'AccessDenied');
    const extend = vi.spyOn(queue, 'extendVisibility');
    const keeper = new VisibilityKeeper(queue, 30, new Logger(0, (line) => lines.push(line)));

    keeper.keep(message('m1', '{}'));
    keeper.keep(message('m2', '{}'));
    await vi.advanceTimersByTimeAsync(15_000);
    keeper.keep(message('m3', '{}')).renew(message('m3', '{}', 2));
    await vi.advanceTimersByTimeAsync(600_000);

    expect(extend).toHaveBeenCalledTimes(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^WARNING: AccessDenied\. Without sqs:ChangeMessageVisibility/);
    expect(lines[0]).toContain("longer than the queue's visibility timeout (30 s)");
    expect(lines[0]).toContain('Grant sqs:ChangeMessageVisibility');
  });

  it('keeps trying after other failures and warns only once for all messages', async () => {
    const lines: string[] = [];
    const queue = new FakeQueue([]);
    queue.extendError = new WodleError(ExitCode.throttled, 'throttled');
    const extend = vi.spyOn(queue, 'extendVisibility');
    const keeper = new VisibilityKeeper(queue, 2, new Logger(0, (line) => lines.push(line)));

    const first = keeper.keep(message('m1', '{}'));
    const second = keeper.keep(message('m2', '{}'));
    await vi.advanceTimersByTimeAsync(40_000);
    first.stop();
    second.stop();

    expect(extend).toHaveBeenCalledTimes(6);
    expect(lines.filter((line) => line.startsWith('WARNING:'))).toHaveLength(1);
  });
});

describe('the delete batcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a full batch of ten at once and the rest after a short linger', async () => {
    const queue = new FakeQueue([]);
    const batcher = new DeleteBatcher(queue, 20);
    const ids = Array.from({ length: 13 }, (_, index) => `m${index}`);

    const outcomes = ids.map((id) => batcher.delete(message(id, '{}')));
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.deleteCalls).toEqual([10]);

    await vi.advanceTimersByTimeAsync(20);
    expect(queue.deleteCalls).toEqual([10, 3]);
    expect(await Promise.all(outcomes)).toEqual(ids.map(() => ({ kind: 'deleted' })));
  });

  it('tells each caller whether SQS refused its own entry', async () => {
    const queue = new FakeQueue([]);
    queue.refuseDelete.add('b');
    const batcher = new DeleteBatcher(queue);

    const first = batcher.delete(message('a', '{}'));
    const second = batcher.delete(message('b', '{}'));
    await batcher.flush();

    expect(await first).toEqual({ kind: 'deleted' });
    expect(await second).toEqual({ kind: 'refused', code: 'ReceiptHandleIsInvalid', reason: 'stale' });
  });

  it('rejects every caller of a batch whose call failed', async () => {
    const queue = new FakeQueue([]);
    queue.deleteError = new WodleError(ExitCode.queueOperationFailed, 'down');
    const batcher = new DeleteBatcher(queue);

    const outcome = batcher.delete(message('a', '{}'));
    const settled = expect(outcome).rejects.toMatchObject({ exitCode: ExitCode.queueOperationFailed });
    await batcher.flush();
    await settled;
  });
});
