import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { WodleError, ExitCode } from '../src/errors.js';
import { Logger } from '../src/log.js';
import { DeleteBatcher } from '../src/queue/delete-batcher.js';
import { VisibilityKeepalive } from '../src/queue/keepalive.js';
import { FakeQueue, message } from './support/fake-queue.js';

function staleHandleError(): WodleError {
  const cause = Object.assign(new Error('Message does not exist'), { name: 'MessageNotInflight' });
  return new WodleError(ExitCode.queueOperationFailed, 'stale', { cause });
}

describe('the visibility keepalive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('extends the message at half the visibility timeout until stopped', async () => {
    const queue = new FakeQueue([]);
    const keepalive = new VisibilityKeepalive(queue, message('m1', '{}'), 30, new Logger(0, () => {}));

    keepalive.start();
    await vi.advanceTimersByTimeAsync(14_000);
    expect(queue.extended).toEqual([]);

    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(queue.extended).toEqual(['m1', 'm1']);

    keepalive.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(queue.extended).toHaveLength(2);
  });

  it('stops on its own once the receipt handle is no longer valid', async () => {
    const queue = new FakeQueue([]);
    queue.extendError = staleHandleError();
    const extend = vi.spyOn(queue, 'extendVisibility');
    const keepalive = new VisibilityKeepalive(queue, message('m1', '{}'), 10, new Logger(0, () => {}));

    keepalive.start();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(extend).toHaveBeenCalledTimes(1);
  });

  it('stops quietly when the policy does not allow extending visibility', async () => {
    const lines: string[] = [];
    const queue = new FakeQueue([]);
    queue.extendError = new WodleError(ExitCode.invalidCredentials, 'AccessDenied');
    const extend = vi.spyOn(queue, 'extendVisibility');
    const keepalive = new VisibilityKeepalive(queue, message('m1', '{}'), 10,
      new Logger(0, (line) => lines.push(line)));

    keepalive.start();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(extend).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([]);
  });

  it('keeps trying after other failures and warns only once', async () => {
    const lines: string[] = [];
    const queue = new FakeQueue([]);
    queue.extendError = new WodleError(ExitCode.throttled, 'throttled');
    const extend = vi.spyOn(queue, 'extendVisibility');
    const keepalive = new VisibilityKeepalive(queue, message('m1', '{}'), 10,
      new Logger(0, (line) => lines.push(line)));

    keepalive.start();
    await vi.advanceTimersByTimeAsync(20_000);
    keepalive.stop();

    expect(extend).toHaveBeenCalledTimes(4);
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
