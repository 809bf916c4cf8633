// A local S3 + SQS for the demo, the benchmarks and the integration tests: the fauxqs emulator
// listening on 127.0.0.1 only, with SDK clients pointed at it. fauxqs never emits bucket
// notifications, so notify() puts the S3 event notification on the queue the way S3 would.

import { buildApp } from 'fauxqs';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

// fauxqs accepts request bodies up to 11 MiB; larger objects go up in parts of this size.
const PART_SIZE = 8 * 1024 * 1024;

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** URL-encodes a key the way S3 event notifications carry it ('+' for a space). */
export function encodeKeyLikeS3(key) {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/** The body of an S3 ObjectCreated:Put notification for one object. */
export function s3Notification(bucket, key, size, region = 'us-east-1') {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeKeyLikeS3(key), size },
        },
      },
    ],
  });
}

/** The body of an EventBridge "Object Created" event, as Security Lake subscribers get it. */
export function eventBridgeNotification(bucket, key, size, region = 'us-east-1') {
  return JSON.stringify({
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '111122223333',
    time: new Date().toISOString(),
    region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size },
      reason: 'PutObject',
    },
  });
}

export async function startLocalAws({ region = 'us-east-1' } = {}) {
  const app = buildApp({ logger: false, defaultRegion: region });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const endpoint = `http://127.0.0.1:${app.server.address().port}`;

  const clientConfig = { region, endpoint, credentials: CREDENTIALS };
  const sqs = new SQSClient(clientConfig);
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });

  // What a child process (the wodle) needs to talk to this emulator and nothing else.
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  };

  async function createQueue(name, attributes = {}) {
    const result = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    return result.QueueUrl;
  }

  async function createBucket(name) {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  }

  async function putObject(bucket, key, body) {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    if (bytes.length <= PART_SIZE) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
      return bytes.length;
    }

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const parts = [];
    for (let start = 0, number = 1; start < bytes.length; start += PART_SIZE, number++) {
      const part = bytes.subarray(start, start + PART_SIZE);
      const upload = new UploadPartCommand({
        Bucket: bucket, Key: key, UploadId, PartNumber: number, Body: part,
      });
      const { ETag } = await s3.send(upload);
      parts.push({ ETag, PartNumber: number });
    }
    await s3.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts },
    }));
    return bytes.length;
  }

  async function sendMessage(queueUrl, body) {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  }

  /** Uploads an object and queues its S3 notification, as a configured bucket would. */
  async function putAndNotify(queueUrl, bucket, key, body) {
    const size = await putObject(bucket, key, body);
    await sendMessage(queueUrl, s3Notification(bucket, key, size, region));
    return size;
  }

  /** Messages still in the queue, visible or in flight. */
  async function queueDepth(queueUrl) {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }));
    return Number(Attributes.ApproximateNumberOfMessages) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible);
  }

  async function stop() {
    sqs.destroy();
    s3.destroy();
    await app.close();
  }

  return {
    endpoint, region, env, sqs, s3,
    createQueue, createBucket, putObject, sendMessage, putAndNotify, queueDepth, stop,
  };
}
