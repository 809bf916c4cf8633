import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { NotificationError } from '../src/errors.js';
import type { Notification } from '../src/model.js';
import { parseNotification } from '../src/notifications/index.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(CORPUS);
if (!haveCorpus) console.log(`notifications corpus tests skipped: ${CORPUS} is missing`);

function corpusBody(path: string): string {
  return readFileSync(CORPUS + path, 'utf8');
}

function objectsOf(notification: Notification) {
  if (notification.kind !== 'objects')
    throw new Error(`expected objects, got ${notification.reason}`);
  return notification.objects;
}

function reasonOf(body: string): string {
  try {
    parseNotification(body);
  } catch (error) {
    expect(error).toBeInstanceOf(NotificationError);
    return (error as Error).message;
  }
  throw new Error('expected a NotificationError');
}

describe.skipIf(!haveCorpus)('notification corpus', () => {
  it.each([
    [
      'notifications/awslambdago-s3-event-v2.0-percent20-key.json',
      'sourcebucket',
      'Happy Face.jpg',
      1024,
    ],
    ['notifications/datadog-s3-to-sqs-minimal-body.json', 'my-bucket', 'my-key.log', 1234],
    ['notifications/datadog-sns-wrapped-s3-body.json', 'my-bucket', 'my-key.log', 1234],
    ['notifications/eventbridge-object-created-docs.json', 'DOC-EXAMPLE-BUCKET1', 'example-key', 5],
    ['notifications/loki-eventbridge-s3-object-created.json', 'bucket', 'pizza.txt', 100],
    [
      'notifications/powertools-eventbridge-object-created.json',
      'example-bucket',
      'IMG_m7fzo3.jpg',
      184662,
    ],
    ['notifications/powertools-s3-to-sqs-body.json', 'xxx', 'test.pdf', 104681],
    ['notifications/s3-put-v2.1-docs.json', 'mybucket', 'HappyFace.jpg', 1024],
    ['notifications/sns-envelope-s3-put.json', 'mybucket', 'HappyFace.jpg', 1024],
    ['bad/notification-sns-message-as-object.json', 'mybucket', 'HappyFace.jpg', 1024],
  ])('reads %s as one object', (path, bucket, key, size) => {
    expect(objectsOf(parseNotification(corpusBody(path)))).toEqual([{ bucket, key, size }]);
  });

  it('reads a multipart upload notification with its size', () => {
    const [object] = objectsOf(
      parseNotification(corpusBody('notifications/s3-completemultipartupload-v2.1.json')),
    );
    expect(object?.size).toBe(104857600);
    expect(object?.key).toMatch(/_CloudTrail_us-west-2_20240307T0010Z_bigfile1234567\.json\.gz$/);
  });

  it('reads every record of a notification, not only the first', () => {
    const objects = objectsOf(
      parseNotification(corpusBody('notifications/s3-put-multiple-records.json')),
    );
    expect(objects.map((object) => object.size)).toEqual([1159, 265, 483]);
    expect(objects.map((object) => object.key.split('/')[2])).toEqual([
      'CloudTrail',
      'vpcflowlogs',
      'elasticloadbalancing',
    ]);
    expect(new Set(objects.map((object) => object.bucket))).toEqual(
      new Set(['amzn-s3-demo-bucket']),
    );
  });

  it('decodes form-encoded keys: + is a space, %2B a plus, UTF-8 escapes', () => {
    const [plus] = objectsOf(
      parseNotification(corpusBody('notifications/s3-put-urlencoded-key-plus-spaces.json')),
    );
    expect(plus?.key).toBe('exports/red flower (copy) #2 café+tea.log.gz');
    const [config] = objectsOf(
      parseNotification(corpusBody('notifications/s3-put-urlencoded-key-config-history.json')),
    );
    expect(config?.key).toContain('_ConfigHistory_AWS::EC2::Volume_20240307T034718Z_');
  });

  it('keeps a plain EventBridge key with a literal "=" as it is', () => {
    const [object] = objectsOf(
      parseNotification(corpusBody('notifications/eventbridge-object-created-securitylake.json')),
    );
    expect(object).toEqual({
      bucket: 'aws-security-data-lake-us-east-1-o2ksbbesv5j1xxqvduqtilcfh5f5cc',
      key:
        'aws/CLOUD_TRAIL_MGMT/2.0/region=us-east-1/accountId=111122223333/eventDay=20240307/' +
        'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6.gz.parquet',
      size: 16262,
    });
  });

  it('decodes an EventBridge key that can only be percent-encoded', () => {
    const [object] = objectsOf(
      parseNotification(corpusBody('bad/notification-eventbridge-key-urlencoded.json')),
    );
    expect(object?.key).toBe(
      'aws/CLOUD_TRAIL_MGMT/2.0/region=us-east-1/accountId=111122223333/eventDay=20240307/x.gz.parquet',
    );
  });

  it.each([
    ['notifications/s3-test-event.json', 's3:TestEvent'],
    ['notifications/sns-envelope-s3-test-event.json', 's3:TestEvent'],
    ['bad/notification-object-removed.json', 'ObjectRemoved:Delete'],
    ['bad/notification-records-empty.json', 'without records'],
  ])('acknowledges %s without fetching anything', (path, reason) => {
    const notification = parseNotification(corpusBody(path));
    expect(notification.kind).toBe('acknowledge');
    expect(notification.kind === 'acknowledge' && notification.reason).toContain(reason);
  });

  it.each([
    ['bad/notification-not-json.txt', 'message body is not JSON'],
    ['bad/notification-missing-object-key.json', 'record 1 of 1 has no s3.object.key'],
    ['bad/notification-sns-message-truncated.json', 'SNS Message is not JSON'],
  ])('rejects %s with a short reason', (path, reason) => {
    expect(reasonOf(corpusBody(path))).toContain(reason);
  });
});

describe('parseNotification', () => {
  const record = (eventName: string, key: string, bucket = 'b') => ({
    eventName,
    s3: { bucket: { name: bucket }, object: { key } },
  });

  it('fetches only the created objects of a notification that mixes event names', () => {
    const body = JSON.stringify({
      Records: [record('ObjectRemoved:Delete', 'gone'), record('ObjectCreated:Copy', 'new')],
    });
    expect(objectsOf(parseNotification(body))).toEqual([{ bucket: 'b', key: 'new' }]);
  });

  it('fetches the object of a record without eventName, as hand-made notifications have', () => {
    const record = { s3: { bucket: { name: 'b' }, object: { key: 'a+b' } } };
    const body = JSON.stringify({ Records: [record] });
    expect(objectsOf(parseNotification(body))).toEqual([{ bucket: 'b', key: 'a b' }]);
  });

  it('names the event it acknowledges when nothing was created', () => {
    const body = JSON.stringify({ Records: [record('ObjectRestore:Completed', 'k')] });
    expect(parseNotification(body)).toEqual({
      kind: 'acknowledge',
      reason: 'nothing to fetch for ObjectRestore:Completed',
    });
  });

  it('reads every key of a CloudTrail SNS notification, wrapped or raw', () => {
    const digest = {
      s3Bucket: 'trail',
      s3ObjectKey: ['AWSLogs/1/CloudTrail/a.json.gz', 'AWSLogs/1/CloudTrail/b.json.gz'],
    };
    const wrapped = JSON.stringify({ Type: 'Notification', Message: JSON.stringify(digest) });
    const expected = [
      { bucket: 'trail', key: digest.s3ObjectKey[0] },
      { bucket: 'trail', key: digest.s3ObjectKey[1] },
    ];
    expect(objectsOf(parseNotification(wrapped))).toEqual(expected);
    expect(objectsOf(parseNotification(JSON.stringify(digest)))).toEqual(expected);
  });

  it('rejects a CloudTrail notification whose keys are not a list of strings', () => {
    expect(reasonOf(JSON.stringify({ s3Bucket: 'trail', s3ObjectKey: 'one.json.gz' }))).toContain(
      'not a list of keys',
    );
  });

  it('acknowledges SNS subscription messages without following their URL', () => {
    const body = JSON.stringify({
      Type: 'SubscriptionConfirmation',
      Message:
        'You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.',
      SubscribeURL: 'https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription',
    });
    expect(parseNotification(body)).toEqual({
      kind: 'acknowledge',
      reason: 'SNS SubscriptionConfirmation',
    });
  });

  it('acknowledges EventBridge events other than Object Created', () => {
    const body = JSON.stringify({
      'detail-type': 'Object Deleted',
      source: 'aws.s3',
      detail: { bucket: { name: 'b' }, object: { key: 'k' } },
    });
    expect(parseNotification(body)).toEqual({
      kind: 'acknowledge',
      reason: 'nothing to fetch for EventBridge "Object Deleted"',
    });
  });

  it('keeps a plain EventBridge key with a plus sign as it is', () => {
    const body = JSON.stringify({
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: 'b' }, object: { key: 'c++/a b.log' } },
    });
    expect(objectsOf(parseNotification(body))).toEqual([{ bucket: 'b', key: 'c++/a b.log' }]);
  });

  it('leaves out a size that is not a byte count', () => {
    const body = JSON.stringify({
      Records: [
        {
          ...record('ObjectCreated:Put', 'k'),
          s3: { bucket: { name: 'b' }, object: { key: 'k', size: 'big' } },
        },
      ],
    });
    expect(objectsOf(parseNotification(body))).toEqual([{ bucket: 'b', key: 'k' }]);
  });

  it.each([
    ['null', 'JSON but not an object'],
    ['[{"Records":[]}]', 'JSON but not an object'],
    ['{"hello":"world"}', 'unknown notification shape (members: hello)'],
    ['{}', 'unknown notification shape (members: none)'],
    ['{"Records":[{"s3":{}}]}', 'record 1 of 1 has no s3.bucket.name'],
    [
      '{"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"k"}}}]}',
      'has no s3.bucket.name',
    ],
    [
      '{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"100%"}}}]}',
      'not valid URL encoding',
    ],
    ['{"Type":"Notification","Message":42}', 'SNS Message is not a string'],
    ['{"Type":"Notification","Message":"[1]"}', 'SNS Message is JSON but not an object'],
    [
      '{"detail-type":"Object Created","source":"aws.s3","detail":{"object":{"key":"k"}}}',
      'no detail.bucket.name',
    ],
  ])('rejects %s', (body, reason) => {
    expect(reasonOf(body)).toContain(reason);
  });
});
