import { describe, expect, it } from 'vitest';

import { DeliveryLedger } from '../src/pipeline/delivery-ledger.js';
import type { VisibilityKeepalive } from '../src/queue/keepalive.js';

const keepalive = {} as VisibilityKeepalive;

describe('the delivery ledger', () => {
  it('tells a message in processing from one sent or left, and knows nothing of others', () => {
    const ledger = new DeliveryLedger();
    ledger.begin('a', keepalive);
    ledger.begin('b', keepalive);
    ledger.begin('c', keepalive);
    ledger.finish('b', 'sent');
    ledger.finish('c', 'left');

    expect(ledger.lookup('a')).toEqual({ state: 'processing', keepalive });
    expect(ledger.lookup('b')).toEqual({ state: 'sent' });
    expect(ledger.lookup('c')).toEqual({ state: 'left' });
    expect(ledger.lookup('d')).toBeUndefined();
  });

  it('forgets the oldest finished ids past 100,000, so a long run stays bounded', () => {
    const ledger = new DeliveryLedger();
    for (let index = 0; index <= 100_000; index++) {
      ledger.begin(`m${index}`, keepalive);
      ledger.finish(`m${index}`, 'sent');
    }

    expect(ledger.lookup('m0')).toBeUndefined();
    expect(ledger.lookup('m1')).toEqual({ state: 'sent' });
    expect(ledger.lookup('m100000')).toEqual({ state: 'sent' });
  });
});
