// The objects a notification body names, worked out here independently of
// src/notifications, so the end-to-end tests can upload them where the program will look.

export interface NamedObject {
  readonly bucket: string;
  readonly key: string;
}

type Json = Record<string, unknown>;

/** Objects named by an S3, SNS-wrapped or EventBridge body; [] for a test event. */
export function objectsNamedBy(body: string): NamedObject[] {
  let document = JSON.parse(body) as Json;
  if (document.Type === 'Notification' && typeof document.Message === 'string') {
    document = JSON.parse(document.Message) as Json;
  }

  if (Array.isArray(document.Records)) return document.Records.flatMap(objectOfRecord);
  const detail = document.detail as Json | undefined;
  if (document['detail-type'] === 'Object Created' && detail !== undefined) {
    const bucket = (detail.bucket as Json).name as string;
    return [{ bucket, key: (detail.object as Json).key as string }];
  }
  return [];
}

function objectOfRecord(record: Json): NamedObject[] {
  const s3 = record.s3 as Json | undefined;
  const name = String(record.eventName ?? '');
  if (s3 === undefined || !name.startsWith('ObjectCreated')) return [];

  const rawKey = (s3.object as Json).key as string;
  // S3 notifications carry keys form-urlencoded: '+' is a space, %XX an escaped byte.
  const key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
  return [{ bucket: (s3.bucket as Json).name as string, key }];
}
