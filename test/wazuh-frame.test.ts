import { describe, expect, it } from 'vitest';

import {
  DATAGRAM_HEADER,
  MAX_DATAGRAM_BYTES,
  MAX_EVENT_JSON_BYTES,
  serializeEvent,
  serializeEvents,
} from '../src/wazuh/frame.js';

/** An event whose JSON is exactly jsonBytes long, most of it one ASCII string. */
function eventOfJsonBytes(jsonBytes: number): Record<string, unknown> {
  const skeleton = JSON.stringify({ integration: 'aws', full_log: '' });
  return { integration: 'aws', full_log: 'a'.repeat(jsonBytes - skeleton.length) };
}

function datagramBytes(json: string): number {
  return Buffer.byteLength(DATAGRAM_HEADER + json);
}

const TRIM_MARKER = /\.\.\.\[trimmed \d+ bytes\]$/;

describe('serializeEvent', () => {
  it('limits a datagram to 65535 bytes, the header included', () => {
    expect(MAX_DATAGRAM_BYTES).toBe(65_535);
    expect(Buffer.byteLength(DATAGRAM_HEADER)).toBe(12);
    expect(MAX_EVENT_JSON_BYTES).toBe(65_523);
  });

  it('returns a small event as its plain JSON, untrimmed', () => {
    const event = { integration: 'aws', aws: { source: 'custom', n: 1, list: [1, 'x', null] } };

    expect(serializeEvent(event)).toEqual({ json: JSON.stringify(event), trimmed: false });
  });

  it('leaves an event alone whose datagram is exactly 65535 bytes', () => {
    const event = eventOfJsonBytes(MAX_EVENT_JSON_BYTES);

    const result = serializeEvent(event);

    expect(result).toEqual({ json: JSON.stringify(event), trimmed: false });
    expect(datagramBytes(result!.json)).toBe(MAX_DATAGRAM_BYTES);
  });

  it('trims an event whose datagram would be 65536 bytes', () => {
    const result = serializeEvent(eventOfJsonBytes(MAX_EVENT_JSON_BYTES + 1));

    expect(result?.trimmed).toBe(true);
    expect(datagramBytes(result!.json)).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
  });

  it.each([
    ['64 KiB - 1', 64 * 1024 - 1],
    ['64 KiB', 64 * 1024],
    ['1 MiB', 1024 * 1024],
  ])('trims an event of %s to a datagram that fits, keeping the rest intact', (_, bytes) => {
    const event = eventOfJsonBytes(bytes);

    const result = serializeEvent(event);

    expect(result?.trimmed).toBe(true);
    expect(datagramBytes(result!.json)).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
    const parsed = JSON.parse(result!.json) as { integration: string; full_log: string };
    expect(parsed.integration).toBe('aws');
    expect(parsed.full_log).toMatch(TRIM_MARKER);
    const kept = parsed.full_log.replace(TRIM_MARKER, '');
    expect((event.full_log as string).startsWith(kept)).toBe(true);
    // Only as much as needed is cut: the datagram stays close to the limit.
    expect(datagramBytes(result!.json)).toBeGreaterThan(MAX_DATAGRAM_BYTES - 64);
  });

  it('says in the marker how many bytes were cut', () => {
    const event = eventOfJsonBytes(100_000);

    const parsed = JSON.parse(serializeEvent(event)!.json) as { full_log: string };

    const cut = Number(/trimmed (\d+) bytes/.exec(parsed.full_log)![1]);
    const kept = parsed.full_log.replace(TRIM_MARKER, '');
    expect(kept.length + cut).toBe((event.full_log as string).length);
  });

  it('cuts the longest string first and leaves shorter ones whole', () => {
    const event = {
      request: 'r'.repeat(90_000),
      policy: 'p'.repeat(20_000),
      user: 'alice',
    };

    const parsed = JSON.parse(serializeEvent(event)!.json) as typeof event;

    expect(parsed.policy).toBe(event.policy);
    expect(parsed.user).toBe('alice');
    expect(parsed.request).toMatch(TRIM_MARKER);
  });

  it('cuts several strings when the longest alone is not enough', () => {
    const event = { a: 'a'.repeat(40_000), b: 'b'.repeat(40_000), c: 'c'.repeat(40_000) };

    const result = serializeEvent(event);

    const parsed = JSON.parse(result!.json) as typeof event;
    const cut = [parsed.a, parsed.b, parsed.c].filter((value) => TRIM_MARKER.test(value));
    expect(cut.length).toBeGreaterThanOrEqual(2);
    expect(datagramBytes(result!.json)).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
  });

  it('counts multi-byte characters and escapes in bytes, never splitting a character', () => {
    const event = {
      euro: '\u20ac'.repeat(30_000),
      emoji: '\u{1F600}'.repeat(20_000),
      quotes: '"\n'.repeat(20_000),
    };

    const result = serializeEvent(event);

    expect(datagramBytes(result!.json)).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
    const parsed = JSON.parse(result!.json) as typeof event;
    expect(parsed.emoji.replace(TRIM_MARKER, '')).toMatch(/^(\u{1F600})*$/u);
    expect(parsed.euro.replace(TRIM_MARKER, '')).toMatch(/^\u20ac*$/);
  });

  it('trims strings inside arrays and nested objects', () => {
    const event = { aws: { records: [{ body: 'x'.repeat(70_000) }, { body: 'short' }] } };

    const parsed = JSON.parse(serializeEvent(event)!.json) as typeof event;

    expect(parsed.aws.records[0]!.body).toMatch(TRIM_MARKER);
    expect(parsed.aws.records[1]!.body).toBe('short');
  });

  it('gives up on an event that no string trimming can fit', () => {
    const event = { numbers: Array.from({ length: 20_000 }, (_, i) => i * 1000) };

    expect(serializeEvent(event)).toBeUndefined();
  });

  it('does not change the caller event while trimming', () => {
    const event = eventOfJsonBytes(80_000);
    const before = JSON.stringify(event);

    serializeEvent(event);

    expect(JSON.stringify(event)).toBe(before);
  });
});

describe('serializeEvents', () => {
  it('returns the sendable JSON in order with counts of trimmed and too-large events', () => {
    const events = [
      { n: 1 },
      eventOfJsonBytes(70_000),
      { numbers: Array.from({ length: 20_000 }, (_, i) => i * 1000) },
      { n: 2 },
    ];

    const batch = serializeEvents(events);

    expect(batch.trimmed).toBe(1);
    expect(batch.tooLarge).toBe(1);
    expect(batch.json).toHaveLength(3);
    expect(batch.json[0]).toBe('{"n":1}');
    expect(batch.json[2]).toBe('{"n":2}');
  });
});
