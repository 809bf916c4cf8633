// Fakes for the stages around the pipeline: a sink that records what it accepted, and
// subscriber/notification stand-ins driven by plain data.

import { NotificationError, ParseError } from '../../src/errors.js';
import type { Notification, ObjectRef, WazuhEvent } from '../../src/model.js';
import type { SerializedEvents } from '../../src/pipeline/process-message.js';
import type { EventSink } from '../../src/wazuh/sink.js';

export class RecordingSink implements EventSink {
  readonly written: string[] = [];
  /** How many of the written events a flush has confirmed. */
  accepted = 0;
  flushError: Error | undefined;
  closed = false;

  async write(events: readonly string[]): Promise<void> {
    this.written.push(...events);
  }

  async flush(): Promise<void> {
    if (this.flushError !== undefined) throw this.flushError;
    this.accepted = this.written.length;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A body naming objects as `bucket/key` lines; `ack` is a test event; anything else fails. */
export function parseTestBody(body: string): Notification {
  if (body === 'ack') return { kind: 'acknowledge', reason: 's3:TestEvent' };
  if (!body.startsWith('objects:')) throw new NotificationError('unknown notification shape');

  const objects = body.slice('objects:'.length).split(',').map((path) => {
    const [bucket = '', key = ''] = path.split('/');
    return { bucket, key };
  });
  return { kind: 'objects', objects };
}

/** Each key says how many events it holds (`n3`) or that it is broken (`broken`). */
export async function* eventsOfTestObject(ref: ObjectRef): AsyncIterable<readonly WazuhEvent[]> {
  if (ref.key.startsWith('broken')) throw new ParseError(ref, 'not JSON at byte 7');

  const count = Number(/^n(\d+)/.exec(ref.key)?.[1] ?? 0);
  const events = Array.from({ length: count }, (_, index) => ({ key: ref.key, index }));
  yield events;
}

/** Serialises like frame.ts does, with events marked `big` counted as too large. */
export function serializeTestEvents(events: readonly WazuhEvent[]): SerializedEvents {
  const json: string[] = [];
  let tooLarge = 0;
  let trimmed = 0;
  for (const event of events) {
    if (event.big === true) tooLarge++;
    else json.push(JSON.stringify(event));
    if (event.long === true) trimmed++;
  }
  return { json, trimmed, tooLarge };
}
