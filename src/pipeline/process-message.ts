// Processing of one message: body -> notification -> objects -> events -> sink. Returns how it
// ended instead of throwing, so the caller decides the message's fate in one place.

import { mapAwsError } from '../aws/errors.js';
import { WodleError, ExitCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { Notification, ObjectRef, WazuhEvent } from '../model.js';
import type { QueueMessage } from '../queue/message-queue.js';
import type { RunStats } from '../stats.js';
import type { EventSink } from '../wazuh/sink.js';
import type { MessageResult } from './disposition.js';
import type { FoldedReports, ReportKind } from './folded-reports.js';

/** The parts of the other stages a message needs, injected so tests can hand in fakes. */
export interface MessageStages {
  readonly parseNotification: (body: string) => Notification;
  readonly events: (ref: ObjectRef, signal?: AbortSignal) => AsyncIterable<readonly WazuhEvent[]>;
  readonly serializeEvents: (events: readonly WazuhEvent[]) => SerializedEvents;
  readonly sink: EventSink;
  readonly logger: Logger;
  readonly stats: RunStats;
}

/** What one message is processed with: the stages, and where per-object warnings go. */
export interface MessageContext extends MessageStages {
  readonly reports: FoldedReports;
}

/** What serializeEvents (wazuh/frame.ts) gives back for one batch. */
export interface SerializedEvents {
  readonly json: string[];
  readonly trimmed: number;
  readonly tooLarge: number;
}

/** Per-object counts, reported once per object. */
interface ObjectCounts {
  events: number;
  trimmed: number;
  tooLarge: number;
}

export async function processMessage(
  message: QueueMessage,
  stages: MessageContext,
  runError: () => WodleError | undefined,
): Promise<MessageResult> {
  stages.logger.debug(3, `Message ${message.id} body: ${message.body}`);
  let notification: Notification;
  try {
    notification = stages.parseNotification(message.body);
  } catch (error) {
    return { kind: 'failed', stage: 'body', error: asWodleError(error, 'message body') };
  }
  if (notification.kind === 'acknowledge') {
    return { kind: 'acknowledged', reason: notification.reason };
  }

  let events = 0;
  for (const ref of notification.objects) {
    // Once the run is ending, unsent work stays in the queue for the next run.
    const fatal = runError();
    if (fatal !== undefined) return { kind: 'failed', stage: 'run', error: fatal };

    try {
      events += await deliverObject(ref, stages);
    } catch (error) {
      const failure = asWodleError(error, describeRef(ref));
      return { kind: 'failed', stage: 'object', error: failure, object: ref };
    }
  }
  return flushed(stages, notification.objects.length, events);
}

/**
 * The message counts as sent only once the sink has accepted every event written. (The sink
 * counts what it sends in RunStats itself.)
 */
async function flushed(
  stages: MessageStages,
  objects: number,
  events: number,
): Promise<MessageResult> {
  try {
    await stages.sink.flush();
  } catch (error) {
    return { kind: 'failed', stage: 'sink', error: asWodleError(error, 'Wazuh socket') };
  }

  return { kind: 'processed', objects, events };
}

async function deliverObject(ref: ObjectRef, stages: MessageContext): Promise<number> {
  const counts: ObjectCounts = { events: 0, trimmed: 0, tooLarge: 0 };
  stages.stats.objects++;

  for await (const batch of stages.events(ref)) {
    const serialized = stages.serializeEvents(batch);
    counts.events += serialized.json.length;
    counts.trimmed += serialized.trimmed;
    counts.tooLarge += serialized.tooLarge;
    if (serialized.json.length > 0) await stages.sink.write(serialized.json);
  }

  reportObject(ref, counts, stages);
  return counts.events;
}

const OVERSIZED_EVENTS: ReportKind = {
  key: 'oversized-events',
  more: 'objects had events trimmed to fit a datagram or too large to send',
  subjects: 'objects',
};

function reportObject(ref: ObjectRef, counts: ObjectCounts, stages: MessageContext): void {
  stages.stats.eventsTrimmed += counts.trimmed;
  stages.stats.eventsTooLarge += counts.tooLarge;
  const location = describeRef(ref);
  stages.logger.debug(2, `${location}: ${counts.events} events`);
  if (counts.trimmed === 0 && counts.tooLarge === 0) return;

  stages.reports.warning(
    OVERSIZED_EVENTS,
    location,
    `${location}: ${counts.trimmed} events trimmed to fit a datagram, ` +
      `${counts.tooLarge} events too large to send were skipped`,
  );
}

export function describeRef(ref: ObjectRef): string {
  return `s3://${ref.bucket}/${ref.key}`;
}

/** Our own errors pass through; SDK errors are mapped; anything else is unexpected (12). */
function asWodleError(error: unknown, subject: string): WodleError {
  if (error instanceof WodleError) return error;
  if (isSdkError(error)) return mapAwsError(error, 'getObject', subject);

  const reason = error instanceof Error ? error.message : String(error);
  return new WodleError(ExitCode.unexpected, `${subject}: ${reason}`, { cause: error });
}

function isSdkError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return '$metadata' in error || (error as Error).name === 'CredentialsProviderError';
}
