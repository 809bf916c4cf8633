import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

import { ExitCode } from '../src/errors.js';
import { parseQueueRef } from '../src/queue/queue-ref.js';
import { SqsQueue } from '../src/queue/sqs-queue.js';
import { message } from './support/fake-queue.js';

const sqs = new SQSClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
});
const sqsMock = mockClient(sqs);
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/wazuh-queue';

afterEach(() => sqsMock.reset());

describe('naming the queue', () => {
  it('takes a bare name as it is, to be looked up', () => {
    expect(parseQueueRef('wazuh-queue')).toEqual({ kind: 'name', name: 'wazuh-queue' });
  });

  it('reads the region and name from a queue URL', () => {
    expect(parseQueueRef('https://sqs.eu-west-3.amazonaws.com/111122223333/q1')).toEqual({
      kind: 'url', url: 'https://sqs.eu-west-3.amazonaws.com/111122223333/q1', name: 'q1',
      region: 'eu-west-3',
    });
  });

  it('builds the queue URL from an ARN', () => {
    expect(parseQueueRef('arn:aws:sqs:ap-south-1:111122223333:q2')).toEqual({
      kind: 'arn', url: 'https://sqs.ap-south-1.amazonaws.com/111122223333/q2', name: 'q2',
      region: 'ap-south-1',
    });
  });
});

describe('SqsQueue', () => {
  it('looks a bare name up with GetQueueUrl, and a URL or ARN not at all', async () => {
    sqsMock.on(GetQueueUrlCommand, { QueueName: 'wazuh-queue' }).resolves({ QueueUrl: QUEUE_URL });

    await SqsQueue.open(sqs, parseQueueRef('wazuh-queue'));
    await SqsQueue.open(sqs, parseQueueRef(QUEUE_URL));
    await SqsQueue.open(sqs, parseQueueRef('arn:aws:sqs:us-east-1:111122223333:wazuh-queue'));

    expect(sqsMock.commandCalls(GetQueueUrlCommand)).toHaveLength(1);
  });

  it('ends with exit 20 when the queue does not exist', async () => {
    sqsMock.on(GetQueueUrlCommand).rejects(
      new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} }));

    await expect(SqsQueue.open(sqs, parseQueueRef('missing'))).rejects.toMatchObject({
      exitCode: ExitCode.queueNotFound,
    });
  });

  it('long-polls for up to ten messages and asks for their receive count', async () => {
    sqsMock.on(ReceiveMessageCommand).resolves({
      Messages: [{ MessageId: 'm1', ReceiptHandle: 'h1', Body: '{}',
        Attributes: { ApproximateReceiveCount: '3' } }],
    });
    const queue = new SqsQueue(sqs, QUEUE_URL, 'wazuh-queue');

    const messages = await queue.receive(10, 20);

    expect(messages).toEqual([{ id: 'm1', receiptHandle: 'h1', body: '{}', receiveCount: 3 }]);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 20,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
  });

  it('reports the entries of a batch SQS refused to delete, apart from the deleted ones', async () => {
    sqsMock.on(DeleteMessageBatchCommand).resolves({
      Successful: [{ Id: '0' }],
      Failed: [{ Id: '1', Code: 'ReceiptHandleIsInvalid', Message: 'stale', SenderFault: true }],
    });
    const queue = new SqsQueue(sqs, QUEUE_URL, 'wazuh-queue');

    const result = await queue.deleteBatch([message('a', '{}'), message('b', '{}')]);

    expect(result.deleted.map((entry) => entry.id)).toEqual(['a']);
    expect(result.failed).toEqual([
      { message: message('b', '{}'), code: 'ReceiptHandleIsInvalid', reason: 'stale' },
    ]);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)[0]?.args[0].input.Entries).toEqual([
      { Id: '0', ReceiptHandle: 'handle-a' },
      { Id: '1', ReceiptHandle: 'handle-b' },
    ]);
  });

  it('maps a failed receive or delete call to exit 21', async () => {
    sqsMock.on(ReceiveMessageCommand).rejects(new Error('socket hang up'));
    sqsMock.on(DeleteMessageBatchCommand).rejects(new Error('socket hang up'));
    const queue = new SqsQueue(sqs, QUEUE_URL, 'wazuh-queue');

    await expect(queue.receive(10, 20)).rejects.toMatchObject({
      exitCode: ExitCode.queueOperationFailed });
    await expect(queue.deleteBatch([message('a', '{}')])).rejects.toMatchObject({
      exitCode: ExitCode.queueOperationFailed });
  });

  it('extends visibility by the given timeout and reads the queue timeout', async () => {
    sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { VisibilityTimeout: '45' } });
    const queue = new SqsQueue(sqs, QUEUE_URL, 'wazuh-queue');

    await queue.extendVisibility(message('a', '{}'), 45);

    expect(await queue.visibilityTimeoutSec()).toBe(45);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL, ReceiptHandle: 'handle-a', VisibilityTimeout: 45 });
  });
});
