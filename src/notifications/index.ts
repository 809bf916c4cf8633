// Turns one SQS message body into the objects it names. The shape is read from the body
// itself, whatever the subscriber type: S3 event notifications (one or many records), the
// same inside an SNS envelope, EventBridge S3 events, CloudTrail's SNS notification, and the
// s3:TestEvent S3 sends when notifications are configured. Anything else is a
// NotificationError: the message stays in the queue for its dead-letter queue.

import { NotificationError } from '../errors.js';
import type { Notification } from '../model.js';
import { isCloudTrailNotification, parseCloudTrailNotification } from './cloudtrail.js';
import { isEventBridgeS3Event, parseEventBridgeEvent } from './eventbridge.js';
import { type JsonObject, isJsonObject } from './json.js';
import { parseS3Event } from './s3-event.js';

/** SNS sends these to a new subscriber; confirming is the administrator's job, not ours. */
const SNS_SUBSCRIPTION_TYPES = new Set(['SubscriptionConfirmation', 'UnsubscribeConfirmation']);

export function parseNotification(body: string): Notification {
  const document = parseJsonObject(body, 'message body');
  if (typeof document.Type === 'string' && SNS_SUBSCRIPTION_TYPES.has(document.Type)) {
    return { kind: 'acknowledge', reason: `SNS ${document.Type}` };
  }
  return parseDocument(isSnsEnvelope(document) ? snsMessage(document) : document);
}

function parseDocument(document: JsonObject): Notification {
  if (document.Event === 's3:TestEvent') return { kind: 'acknowledge', reason: 's3:TestEvent' };
  if (Array.isArray(document.Records)) return parseS3Event(document.Records);
  if (isEventBridgeS3Event(document)) return parseEventBridgeEvent(document);
  if (isCloudTrailNotification(document)) return parseCloudTrailNotification(document);

  throw new NotificationError(`unknown notification shape (members: ${describeMembers(document)})`);
}

function isSnsEnvelope(document: JsonObject): boolean {
  return document.Type === 'Notification' && 'Message' in document;
}

/** The notification inside an SNS envelope: a JSON string, or an object in hand-made bodies. */
function snsMessage(envelope: JsonObject): JsonObject {
  const message = envelope.Message;
  if (isJsonObject(message)) return message;
  if (typeof message !== 'string') throw new NotificationError('SNS Message is not a string');
  return parseJsonObject(message, 'SNS Message');
}

function parseJsonObject(text: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NotificationError(`${what} is not JSON (${(error as Error).message})`);
  }
  if (!isJsonObject(value)) throw new NotificationError(`${what} is JSON but not an object`);
  return value;
}

function describeMembers(document: JsonObject): string {
  const names = Object.keys(document);
  if (names.length === 0) return 'none';
  return names.slice(0, 8).join(', ') + (names.length > 8 ? ', ...' : '');
}
