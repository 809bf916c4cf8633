// EventBridge events from S3 (`"source":"aws.s3"`), as Security Lake subscribers and
// EventBridge-to-SQS rules deliver them. Only "Object Created" names something to fetch.

import { NotificationError } from '../errors.js';
import type { Notification } from '../model.js';
import { readEventBridgeKey } from './keys.js';
import { type JsonObject, isJsonObject, sizeAt, stringAt } from './json.js';

const OBJECT_CREATED = 'Object Created';

/** Whether the body is an EventBridge event about an S3 object. */
export function isEventBridgeS3Event(document: JsonObject): boolean {
  return typeof document['detail-type'] === 'string' && isJsonObject(document.detail) &&
    (document.source === 'aws.s3' || isJsonObject(document.detail.object));
}

export function parseEventBridgeEvent(document: JsonObject): Notification {
  const detailType = document['detail-type'] as string;
  if (detailType !== OBJECT_CREATED) {
    return { kind: 'acknowledge', reason: `nothing to fetch for EventBridge "${detailType}"` };
  }

  const bucket = stringAt(document, 'detail.bucket.name');
  const key = stringAt(document, 'detail.object.key');
  if (!bucket) throw missing('detail.bucket.name');
  if (!key) throw missing('detail.object.key');

  const size = sizeAt(document, 'detail.object.size');
  const object = { bucket, key: readEventBridgeKey(key) };
  return { kind: 'objects', objects: [size === undefined ? object : { ...object, size }] };
}

function missing(member: string): NotificationError {
  return new NotificationError(`EventBridge "${OBJECT_CREATED}" has no ${member}`);
}
