// S3 event notifications: `{"Records":[{"eventName":"ObjectCreated:Put","s3":{...}}, ...]}`,
// sent straight to SQS or through SNS. Every record counts, not only the first.

import { NotificationError } from '../errors.js';
import type { Notification, ObjectRef } from '../model.js';
import { decodeFormEncodedKey } from './keys.js';
import { sizeAt, stringAt } from './json.js';

const OBJECT_CREATED = /^(s3:)?ObjectCreated:/;

export function parseS3Event(records: readonly unknown[]): Notification {
  if (records.length === 0) {
    return { kind: 'acknowledge', reason: 'S3 notification without records' };
  }

  const objects: ObjectRef[] = [];
  const skippedEvents = new Set<string>();
  records.forEach((record, index) => {
    // Hand-made notifications often leave eventName out; Wazuh's wodle never reads it.
    const eventName = stringAt(record, 'eventName');
    if (eventName === undefined || OBJECT_CREATED.test(eventName)) {
      objects.push(objectOf(record, index, records.length));
    } else {
      skippedEvents.add(eventName);
    }
  });

  if (objects.length > 0) return { kind: 'objects', objects };
  return { kind: 'acknowledge', reason: `nothing to fetch for ${[...skippedEvents].join(', ')}` };
}

function objectOf(record: unknown, index: number, count: number): ObjectRef {
  const bucket = stringAt(record, 's3.bucket.name');
  const key = stringAt(record, 's3.object.key');
  if (!bucket) throw recordError(index, count, 'no s3.bucket.name');
  if (!key) throw recordError(index, count, 'no s3.object.key');

  const size = sizeAt(record, 's3.object.size');
  const decodedKey = decodeFormEncodedKey(key);
  return size === undefined ? { bucket, key: decodedKey } : { bucket, key: decodedKey, size };
}

function recordError(index: number, count: number, reason: string): NotificationError {
  return new NotificationError(`S3 notification record ${index + 1} of ${count} has ${reason}`);
}
