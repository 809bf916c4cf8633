// CloudTrail's own SNS notification: `{"s3Bucket":"b","s3ObjectKey":["AWSLogs/..."]}`, sent
// once per delivered log file batch. CloudTrail names its keys itself, so they are not encoded.

import { NotificationError } from '../errors.js';
import type { Notification } from '../model.js';
import type { JsonObject } from './json.js';

export function isCloudTrailNotification(document: JsonObject): boolean {
  return 's3Bucket' in document && 's3ObjectKey' in document;
}

export function parseCloudTrailNotification(document: JsonObject): Notification {
  const bucket = document.s3Bucket;
  const keys = document.s3ObjectKey;
  if (typeof bucket !== 'string' || bucket === '') {
    throw new NotificationError('CloudTrail notification has no s3Bucket');
  }
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string' && key !== '')) {
    throw new NotificationError('CloudTrail notification s3ObjectKey is not a list of keys');
  }

  if (keys.length === 0) {
    return { kind: 'acknowledge', reason: 'CloudTrail notification without keys' };
  }
  return { kind: 'objects', objects: keys.map((key: string) => ({ bucket, key })) };
}
