// Turns an event into the text analysisd reads: `1:Wazuh-AWS:` followed by the event's JSON.
//
// analysisd receives each datagram into a buffer of OS_MAXSTR (65536) bytes and keeps one for
// the terminating NUL, so a datagram longer than 65535 bytes arrives cut: the JSON is broken
// and the rules never match it. Policy for an event that does not fit, header included:
// 1. shorten its longest string values first (the usual culprits: a raw log line, a policy
//    document, a request body), each only as far as needed, ending the kept prefix with a
//    visible marker `...[trimmed N bytes]`, until the whole datagram fits;
// 2. if trimming every string worth trimming is not enough (huge arrays of numbers, thousands
//    of keys), the event is not sent at all: serializeEvent returns undefined and the caller
//    counts it as too large.
// A cut datagram is never produced.

import type { WazuhEvent } from '../model.js';

/** What precedes every event: localfile queue id `1`, then the location the AWS rules match. */
export const DATAGRAM_HEADER = '1:Wazuh-AWS:';

/** Longest datagram analysisd reads whole: OS_MAXSTR - 1 bytes. */
export const MAX_DATAGRAM_BYTES = 65_535;

/** Longest event JSON that fits after the header, in UTF-8 bytes. */
export const MAX_EVENT_JSON_BYTES = MAX_DATAGRAM_BYTES - Buffer.byteLength(DATAGRAM_HEADER);

/** Strings whose JSON is shorter than this are never trimmed: the marker would cost more. */
const MIN_TRIMMABLE_BYTES = 128;

/** A serialised event: the JSON that follows the header, and whether strings were cut. */
export interface SerializedEvent {
  readonly json: string;
  readonly trimmed: boolean;
}

/** The events of a batch that can be sent, and how many were trimmed or left out. */
export interface SerializedBatch {
  readonly json: string[];
  readonly trimmed: number;
  readonly tooLarge: number;
}

/** The event's JSON, trimmed to fit one datagram; undefined when it cannot fit (see top). */
export function serializeEvent(event: WazuhEvent): SerializedEvent | undefined {
  const json = JSON.stringify(event);
  if (fitsDatagram(json)) return { json, trimmed: false };

  const trimmed = trimToFit(JSON.parse(json) as WazuhEvent, Buffer.byteLength(json));
  return trimmed === undefined ? undefined : { json: trimmed, trimmed: true };
}

/** serializeEvent over many events, with the counts the caller reports once per object. */
export function serializeEvents(events: Iterable<WazuhEvent>): SerializedBatch {
  const batch = { json: [] as string[], trimmed: 0, tooLarge: 0 };
  for (const event of events) {
    const serialized = serializeEvent(event);
    if (serialized === undefined) {
      batch.tooLarge++;
      continue;
    }
    batch.json.push(serialized.json);
    if (serialized.trimmed) batch.trimmed++;
  }
  return batch;
}

/** Whether `header + json` is at most MAX_DATAGRAM_BYTES long. */
export function fitsDatagram(json: string): boolean {
  // A UTF-16 code unit takes at most 3 UTF-8 bytes: most events need no exact count.
  if (json.length * 3 <= MAX_EVENT_JSON_BYTES) return true;
  return Buffer.byteLength(json) <= MAX_EVENT_JSON_BYTES;
}

/** A string value inside the event, and where it sits, so it can be replaced. */
interface StringSlot {
  readonly holder: Record<string, unknown> | unknown[];
  readonly key: string | number;
  readonly value: string;
  readonly jsonBytes: number;
}

function trimToFit(event: WazuhEvent, eventBytes: number): string | undefined {
  const slots = collectStrings(event).sort((a, b) => b.jsonBytes - a.jsonBytes);
  let bytes = eventBytes;

  for (const slot of slots) {
    if (bytes <= MAX_EVENT_JSON_BYTES) break;
    if (slot.jsonBytes < MIN_TRIMMABLE_BYTES) break;

    const shortened = shortenString(slot, slot.jsonBytes - (bytes - MAX_EVENT_JSON_BYTES));
    bytes -= slot.jsonBytes - jsonByteLength(shortened);
    (slot.holder as Record<string | number, unknown>)[slot.key] = shortened;
  }

  const json = JSON.stringify(event);
  return fitsDatagram(json) ? json : undefined;
}

function collectStrings(root: unknown): StringSlot[] {
  const slots: StringSlot[] = [];
  const visit = (holder: StringSlot['holder'], key: string | number, value: unknown): void => {
    if (typeof value === 'string') {
      slots.push({ holder, key, value, jsonBytes: jsonByteLength(value) });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(value, index, item));
    } else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      for (const [name, member] of Object.entries(object)) visit(object, name, member);
    }
  };

  visit([root], 0, root);
  return slots;
}

/**
 * The longest prefix of the slot's string that, with the marker appended, takes at most
 * targetBytes as JSON (never less than the marker alone).
 */
function shortenString(slot: StringSlot, targetBytes: number): string {
  const { value } = slot;
  const marker = `...[trimmed ${Buffer.byteLength(value)} bytes]`;
  const budget = targetBytes - jsonByteLength(marker) + 2;
  let keep = largestPrefixWithin(value, budget);
  if (isHighSurrogate(value.charCodeAt(keep - 1))) keep--;

  const removedBytes = Buffer.byteLength(value) - Buffer.byteLength(value.slice(0, keep));
  return `${value.slice(0, keep)}...[trimmed ${removedBytes} bytes]`;
}

/** Binary search: the longest prefix whose JSON (quotes included) is at most budget bytes. */
function largestPrefixWithin(value: string, budget: number): number {
  let low = 0;
  let high = Math.max(0, Math.min(value.length, budget - 2));
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (jsonByteLength(value.slice(0, middle)) <= budget) low = middle;
    else high = middle - 1;
  }
  return low;
}

function jsonByteLength(value: string): number {
  return Buffer.byteLength(JSON.stringify(value));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
