// Plays analysisd: binds a datagram socket and collects what arrives. Used by the demo and
// the integration tests, with the wodle running in another process.

import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';

const require = createRequire(import.meta.url);
const addon = require('../../build/Release/datagram.node');

// analysisd reads up to 64 KiB per datagram; a larger slot shows if we ever send more.
const SLOT_SIZE = 128 * 1024;
const SLOTS = 64;

export function startReceiver(path, { keep = true } = {}) {
  rmSync(path, { force: true });
  const fd = addon.bind(path);
  addon.setBufferSize(fd, 'receive', 8 * 1024 * 1024);

  const data = Buffer.alloc(SLOT_SIZE * SLOTS);
  const lengths = new Uint32Array(SLOTS);
  const datagrams = [];
  let count = 0;
  let bytes = 0;
  let running = true;
  let timer;

  function drain() {
    let received;
    do {
      received = addon.receiveBatch(fd, data, SLOT_SIZE, lengths);
      for (let i = 0; i < received; i++) {
        count++;
        bytes += lengths[i];
        if (keep) {
          const start = i * SLOT_SIZE;
          datagrams.push(data.toString('utf8', start, start + lengths[i]));
        }
      }
    } while (received > 0);
  }

  function poll() {
    if (!running) return;
    drain();
    timer = setTimeout(poll, 1);
  }
  poll();

  return {
    path,
    /** Every datagram received so far, as text (empty when keep is false). */
    datagrams,
    get count() { return count; },
    get bytes() { return bytes; },
    /** Resolves once count reaches n, or rejects after timeoutMs. */
    async waitFor(n, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (count < n) {
        if (Date.now() > deadline) throw new Error(`receiver: ${count} of ${n} datagrams`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    stop() {
      running = false;
      clearTimeout(timer);
      drain();
      addon.close(fd);
      rmSync(path, { force: true });
    },
  };
}
