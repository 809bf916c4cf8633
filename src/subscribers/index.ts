// Builds the subscriber for a run's --subscriber type. The Security Lake module is imported
// only when it is asked for: it pulls in hyparquet and its decompressors, which buckets and
// security_hub runs never need, so those runs neither load nor parse that code.

import type { Logger } from '../log.js';
import type { SubscriberType } from '../model.js';
import type { ObjectReader } from '../objects/reader.js';
import type { RunStats } from '../stats.js';
import { BucketsSubscriber, readObjectRecords } from './buckets.js';
import type { DiscardFilter } from './discard.js';
import { SecurityHubSubscriber } from './security-hub.js';
import type { Subscriber } from './subscriber.js';

export interface SubscriberDeps {
  readonly reader: ObjectReader;
  /** Counts the events the discard filter leaves out. */
  readonly stats?: RunStats;
  /** From --discard-field and --discard-regex (createDiscardFilter); none keeps everything. */
  readonly discard?: DiscardFilter;
  readonly logger?: Logger;
}

export async function createSubscriber(
  type: SubscriberType,
  deps: SubscriberDeps,
): Promise<Subscriber> {
  switch (type) {
    case 'buckets':
      return new BucketsSubscriber(deps);
    case 'security_hub': {
      // Damaged gzip that was still read, or records cut for their size: one WARNING each.
      const warn = (message: string): void => deps.logger?.warning(message);
      return new SecurityHubSubscriber({
        ...deps,
        readRecords: (ref, signal) => readObjectRecords(deps.reader, ref, signal, warn),
      });
    }
    case 'security_lake': {
      const { SecurityLakeSubscriber } = await import('./security-lake.js');
      return new SecurityLakeSubscriber(deps);
    }
  }
}
