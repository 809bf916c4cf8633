// security_hub: objects of EventBridge events from Security Hub, as Firehose or a Lambda
// writes them (newline separated, run together, or gzip compressed: the generic record
// reader takes care of that). Each finding becomes its own Wazuh event; Wazuh's wodle sends
// only the first finding of each event and drops the rest.
//
// Shape: `{"integration":"aws","aws":{"log_info":{"log_file":KEY,"s3bucket":BUCKET},
// "source":"securityhub","detail_type":...,"finding":{...}}}`. Every other member of
// `detail` is copied beside `finding` unchanged: `actionName` and `actionDescription` of
// custom actions, `insightName`, `insightArn`, `resultType` and `insightResults` of insight
// results (one event per insight result set, which has no findings). A record that is a bare
// ASFF finding (an export of GetFindings) is sent as one event without `detail_type`.

import { type ObjectLocation, ParseError } from '../errors.js';
import type { ObjectRef, WazuhEvent } from '../model.js';
import type { RunStats } from '../stats.js';
import type { Subscriber } from './subscriber.js';

/** A record as the generic reader yields it; only JSON records can be Security Hub events. */
export interface SourceRecord {
  readonly kind: string;
  readonly value?: unknown;
}

export type RecordReader =
  (ref: ObjectRef, signal?: AbortSignal) => AsyncIterable<readonly SourceRecord[]>;

export interface SecurityHubOptions {
  readonly readRecords: RecordReader;
  readonly stats?: RunStats;
  /** Given the `aws` member of an event; true to leave the event out. */
  readonly discard?: (aws: Record<string, unknown>) => boolean;
}

type JsonObject = Record<string, unknown>;

export class SecurityHubSubscriber implements Subscriber {
  private readonly options: SecurityHubOptions;

  constructor(options: SecurityHubOptions) {
    this.options = options;
  }

  async *events(ref: ObjectRef, signal?: AbortSignal): AsyncGenerator<readonly WazuhEvent[]> {
    for await (const records of this.options.readRecords(ref, signal)) {
      const events = records.flatMap((record) => securityHubEvents(jsonOf(record, ref), ref));
      const kept = this.keep(events);
      if (kept.length > 0) yield kept;
    }
  }

  private keep(events: WazuhEvent[]): WazuhEvent[] {
    const { discard, stats } = this.options;
    if (!discard) return events;

    const kept = events.filter((event) => !discard(event.aws as JsonObject));
    if (stats) stats.eventsDiscarded += events.length - kept.length;
    return kept;
  }
}

/** The Wazuh events of one EventBridge event from Security Hub. */
export function securityHubEvents(event: unknown, location: ObjectLocation): WazuhEvent[] {
  if (!isObject(event)) throw new ParseError(location, 'a record is not a JSON object');
  const detail = isObject(event.detail) ? event.detail : undefined;
  if (!detail) return [bareFinding(event, location)];

  const { findings, ...rest } = detail;
  const common = { ...envelopeFields(event, location), ...rest };
  if (findings === undefined) return [wrap(common)];
  return findingList(findings).map((finding) => wrap({ ...common, finding }));
}

/**
 * `findings` is a list of ASFF objects; a lone object (seen in hand-written and converted
 * events) is a list of one, and entries that are no object (null) hold no finding to send.
 */
function findingList(findings: unknown): JsonObject[] {
  const list = Array.isArray(findings) ? findings : [findings];
  return list.filter(isObject);
}

function envelopeFields(event: JsonObject, location: ObjectLocation): JsonObject {
  const fields: JsonObject = {
    log_info: { log_file: location.key, s3bucket: location.bucket },
    source: 'securityhub',
  };
  if (event['detail-type'] !== undefined) fields.detail_type = event['detail-type'];
  return fields;
}

function wrap(aws: JsonObject): WazuhEvent {
  return { integration: 'aws', aws };
}

function jsonOf(record: SourceRecord, location: ObjectLocation): unknown {
  if (record.kind !== 'json') {
    throw new ParseError(location, `holds ${record.kind} records, not Security Hub JSON events`);
  }
  return record.value;
}

/** A bare finding, as exports of GetFindings write them, rather than an EventBridge event. */
function bareFinding(record: JsonObject, location: ObjectLocation): WazuhEvent {
  const isFinding =
    typeof record.SchemaVersion === 'string' && typeof record.ProductArn === 'string';
  if (!isFinding) {
    throw new ParseError(location, 'a record has no detail: not an EventBridge event');
  }
  return wrap({ ...envelopeFields(record, location), finding: record });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
