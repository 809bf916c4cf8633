import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isSystemError, loadDatagramAddon } from '../src/wazuh/native.js';

const addon = loadDatagramAddon();

/** Packs strings back to back, as sendBatch wants them. */
function pack(texts: string[]): { data: Buffer; offsets: Uint32Array } {
  const data = Buffer.from(texts.join(''));
  const offsets = new Uint32Array(texts.length + 1);
  texts.forEach((text, i) => (offsets[i + 1] = offsets[i]! + Buffer.byteLength(text)));
  return { data, offsets };
}

function receiveAll(fd: number): string[] {
  const slotSize = 70_000;
  const data = Buffer.alloc(slotSize * 16);
  const lengths = new Uint32Array(16);
  const texts: string[] = [];
  for (let n = addon.receiveBatch(fd, data, slotSize, lengths); n > 0; ) {
    for (let i = 0; i < n; i++) {
      texts.push(data.toString('utf8', i * slotSize, i * slotSize + lengths[i]!));
    }
    n = addon.receiveBatch(fd, data, slotSize, lengths);
  }
  return texts;
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isSystemError(error) ? error.code : 'not a system error';
  }
  return undefined;
}

describe('datagram addon', () => {
  let dir: string;
  let path: string;
  const fds: number[] = [];
  const track = (fd: number): number => (fds.push(fd), fd);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'datagram-'));
    path = join(dir, 'queue');
  });

  afterEach(() => {
    for (const fd of fds.splice(0)) addon.close(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a missing socket file as ENOENT', () => {
    const fd = track(addon.open());

    expect(codeOf(() => addon.connect(fd, path))).toBe('ENOENT');
  });

  it('reports a socket file nobody listens on as ECONNREFUSED', () => {
    addon.close(addon.bind(path));
    const fd = track(addon.open());

    expect(codeOf(() => addon.connect(fd, path))).toBe('ECONNREFUSED');
  });

  it('names errno in code, errno, syscall and path of the error', () => {
    const fd = track(addon.open());
    let error: unknown;
    try {
      addon.connect(fd, path);
    } catch (caught) {
      error = caught;
    }

    expect(error).toMatchObject({ code: 'ENOENT', errno: 2, syscall: 'connect', path });
  });

  it('rejects arguments of the wrong type with a TypeError', () => {
    expect(() => addon.connect('3' as unknown as number, path)).toThrow(TypeError);
    expect(() => addon.sendBatch(0, Buffer.alloc(1), new Uint32Array(1), 0, 1)).toThrow(
      RangeError,
    );
  });

  it('sends a batch of datagrams in order, each exactly as packed', () => {
    const receiver = track(addon.bind(path));
    const sender = track(addon.open());
    addon.connect(sender, path);
    const texts = ['one', 'two', '', 'three \u20ac'];
    const { data, offsets } = pack(texts);

    expect(addon.sendBatch(sender, data, offsets, 0, texts.length)).toBe(texts.length);
    expect(receiveAll(receiver)).toEqual(texts);
  });

  it('sends from the given first datagram only', () => {
    const receiver = track(addon.bind(path));
    const sender = track(addon.open());
    addon.connect(sender, path);
    const { data, offsets } = pack(['a', 'b', 'c', 'd']);

    expect(addon.sendBatch(sender, data, offsets, 2, 4)).toBe(2);
    expect(receiveAll(receiver)).toEqual(['c', 'd']);
  });

  it('never waits in sendBatch: a full receiver queue yields a short count, then EAGAIN', () => {
    track(addon.bind(path));
    const sender = track(addon.open());
    addon.connect(sender, path);
    const texts = Array.from({ length: 200 }, (_, i) => `event ${i}`);
    const { data, offsets } = pack(texts);

    const taken = addon.sendBatch(sender, data, offsets, 0, texts.length);
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(texts.length);
    expect(codeOf(() => addon.sendBatch(sender, data, offsets, taken, texts.length))).toBe(
      'EAGAIN',
    );
  });

  it('sendBatchAsync waits for the receiver to drain and sends the whole batch', async () => {
    const receiver = track(addon.bind(path));
    const sender = track(addon.open());
    addon.connect(sender, path);
    addon.setSendTimeout(sender, 5_000);
    // More than the 1024 one sendmmsg call takes: the addon makes as many calls as needed.
    const texts = Array.from({ length: 3000 }, (_, i) => `event ${i}`);
    const { data, offsets } = pack(texts);
    const received: string[] = [];
    const drainer = setInterval(() => received.push(...receiveAll(receiver)), 1);

    const taken = await addon.sendBatchAsync(sender, data, offsets, 0, texts.length);
    clearInterval(drainer);
    received.push(...receiveAll(receiver));

    expect(taken).toBe(texts.length);
    expect(received).toEqual(texts);
  });

  it('sendBatchAsync rejects with EAGAIN when the receiver stays full too long', async () => {
    track(addon.bind(path));
    const sender = track(addon.open());
    addon.connect(sender, path);
    addon.setSendTimeout(sender, 20);
    const { data, offsets } = pack(Array.from({ length: 50 }, () => 'x'));
    const taken = await addon.sendBatchAsync(sender, data, offsets, 0, 50);

    await expect(addon.sendBatchAsync(sender, data, offsets, taken, 50)).rejects.toMatchObject({
      code: 'EAGAIN',
      syscall: 'sendmmsg',
    });
  });

  it('reports a datagram larger than the send buffer as EMSGSIZE', () => {
    track(addon.bind(path));
    const sender = track(addon.open());
    addon.connect(sender, path);
    const granted = addon.setBufferSize(sender, 'send', 4096);
    const { data, offsets } = pack(['y'.repeat(granted * 2)]);

    expect(codeOf(() => addon.sendBatch(sender, data, offsets, 0, 1))).toBe('EMSGSIZE');
  });

  it('makes senders fail with EPIPE once the receiver shut down reading', () => {
    const receiver = track(addon.bind(path));
    const sender = track(addon.open());
    addon.connect(sender, path);
    addon.shutdown(receiver, 'read');
    const { data, offsets } = pack(['late']);

    expect(codeOf(() => addon.sendBatch(sender, data, offsets, 0, 1))).toBe('EPIPE');
  });

  it('reports ECONNREFUSED, then ENOTCONN, after the receiver closed', () => {
    const receiver = addon.bind(path);
    const sender = track(addon.open());
    addon.connect(sender, path);
    addon.close(receiver);
    const { data, offsets } = pack(['orphan']);

    expect(codeOf(() => addon.sendBatch(sender, data, offsets, 0, 1))).toBe('ECONNREFUSED');
    expect(codeOf(() => addon.sendBatch(sender, data, offsets, 0, 1))).toBe('ENOTCONN');
  });
});
