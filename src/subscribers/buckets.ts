// `buckets`: objects holding any text log, each record sent as
//   {"integration":"aws","aws":{"log_info":{"log_file":KEY,"s3bucket":BUCKET},
//    ...record fields..., "source":"custom"}}
// A JSON record with a `detail` object (EventBridge events) contributes `detail` instead of
// itself; a plain line becomes `{"full_log": LINE}`; a CSV row its fields by header name.
// Null members are dropped at every depth; a record left with no fields (`{}`, `null`) is no
// event. A JSON value that is not an object becomes `{"full_log": its JSON text}`.
// CloudTrail's integrity digests are not events: objects under a `CloudTrail-Digest/` path
// are not read at all, and a JSON document shaped like a digest (digestSignatureAlgorithm
// and logFiles members) found under any other key is skipped too.
//
// readObjectRecords is the reading half on its own (S3 bytes -> decompress -> decode ->
// records), for every subscriber that reads text logs (security_hub uses it too):
//   readObjectRecords(reader, ref, signal?, warn?): AsyncIterable<readonly RawRecord[]>
// It yields records in batches as the object streams in and throws DecompressError or
// ParseError naming the object; batches yielded before an error are complete and valid.
// `warn` hears about damaged data that was still kept (see objects/gzip.ts), once each, and
// once per object about records longer than MAX_RECORD_CHARS (lines cut, JSON skipped).

import { decodeText } from '../formats/text.js';
import { type OversizedRecords, readTextRecords, type RawRecord } from '../formats/index.js';
import { MAX_RECORD_CHARS } from '../formats/records.js';
import { Logger } from '../log.js';
import type { ObjectRef, WazuhEvent } from '../model.js';
import { decompress, type WarningSink } from '../objects/decompress.js';
import type { ObjectReader } from '../objects/reader.js';
import type { RunStats } from '../stats.js';
import { type DiscardFilter, keepEverything } from './discard.js';
import type { Subscriber } from './subscriber.js';

export type { RawRecord } from '../formats/index.js';

type Fields = Record<string, unknown>;

export interface BucketsSubscriberDeps {
  readonly reader: ObjectReader;
  readonly discard?: DiscardFilter;
  /** Counts discarded events (eventsDiscarded). */
  readonly stats?: RunStats;
  readonly logger?: Logger;
}

/** Every record of one object, whatever its compression and text format, in batches. */
export async function* readObjectRecords(
  reader: ObjectReader,
  ref: ObjectRef,
  signal?: AbortSignal,
  warn?: WarningSink,
): AsyncGenerator<RawRecord[]> {
  const oversized: OversizedRecords = { linesCut: 0, jsonSkipped: 0 };
  const stored = await reader.stream(ref, signal);
  for await (const part of decompress(stored, ref, warn)) {
    yield* readTextRecords(decodeText(part.bytes), ref, oversized);
  }
  if (warn !== undefined) reportOversized(oversized, ref, warn);
}

function reportOversized(oversized: OversizedRecords, ref: ObjectRef, warn: WarningSink): void {
  const { linesCut, jsonSkipped } = oversized;
  if (linesCut === 0 && jsonSkipped === 0) return;

  warn(
    `s3://${ref.bucket}/${ref.key}: records longer than ${MAX_RECORD_CHARS} characters: ` +
      `${linesCut} lines cut to that length, ${jsonSkipped} JSON records skipped`,
  );
}

/** CloudTrail writes its digest files under `.../CloudTrail-Digest/...`. */
export function isCloudTrailDigest(key: string): boolean {
  return /(^|\/)CloudTrail-Digest\//.test(key);
}

function isCloudTrailDigestDocument(value: Fields): boolean {
  return 'digestSignatureAlgorithm' in value && Array.isArray(value.logFiles);
}

export class BucketsSubscriber implements Subscriber {
  private readonly reader: ObjectReader;
  private readonly discard: DiscardFilter;
  private readonly stats: RunStats | undefined;
  private readonly logger: Logger;

  constructor(deps: BucketsSubscriberDeps) {
    this.reader = deps.reader;
    this.discard = deps.discard ?? keepEverything;
    this.stats = deps.stats;
    this.logger = deps.logger ?? new Logger(0, () => {});
  }

  async *events(ref: ObjectRef, signal?: AbortSignal): AsyncGenerator<readonly WazuhEvent[]> {
    if (isCloudTrailDigest(ref.key)) {
      this.logger.debug(1, `Skipping CloudTrail digest file s3://${ref.bucket}/${ref.key}`);
      return;
    }

    const logInfo = { log_file: ref.key, s3bucket: ref.bucket };
    const warn = (message: string): void => this.logger.warning(message);
    for await (const records of readObjectRecords(this.reader, ref, signal, warn)) {
      const events = this.shapeAll(records, logInfo);
      if (events.length > 0) yield events;
    }
  }

  private shapeAll(records: readonly RawRecord[], logInfo: Fields): WazuhEvent[] {
    const events: WazuhEvent[] = [];
    let discarded = 0;
    for (const record of records) {
      const fields = recordFields(record);
      if (fields === undefined) continue;
      if (this.discard(record.kind === 'line' ? record.text : fields)) {
        discarded++;
        continue;
      }
      events.push(bucketsEvent(fields, logInfo));
    }
    if (this.stats !== undefined) this.stats.eventsDiscarded += discarded;
    return events;
  }
}

/** The members a record contributes inside `aws`; undefined when it has none. */
export function recordFields(record: RawRecord): Fields | undefined {
  switch (record.kind) {
    case 'line':
      return { full_log: record.text };
    case 'csv':
      return record.fields;
    case 'json':
      return jsonFields(record.value);
  }
}

function jsonFields(value: unknown): Fields | undefined {
  if (value === null) return undefined;
  if (!isPlainObject(value)) {
    return { full_log: typeof value === 'string' ? value : JSON.stringify(value) };
  }
  if (isCloudTrailDigestDocument(value)) return undefined;

  const fields = isPlainObject(value.detail) ? value.detail : value;
  dropNulls(fields);
  return Object.keys(fields).length > 0 ? fields : undefined;
}

export function bucketsEvent(fields: Fields, logInfo: Fields): WazuhEvent {
  const aws: Fields = { log_info: logInfo, ...fields, source: 'custom' };
  if ('log_info' in fields) aws.log_info = logInfo;
  return { integration: 'aws', aws };
}

function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes null members in place, at every depth (inside arrays too; array slots stay). */
function dropNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropNulls(item);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member === null) delete value[key];
    else if (typeof member === 'object') dropNulls(member);
  }
}
