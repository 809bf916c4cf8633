// What every subscriber type offers the pipeline: the Wazuh events of one object, in batches.

import type { ObjectRef, WazuhEvent } from '../model.js';

export interface Subscriber {
  /** Reads one object and yields its events, already shaped and filtered. */
  events(ref: ObjectRef, signal?: AbortSignal): AsyncIterable<readonly WazuhEvent[]>;
}
