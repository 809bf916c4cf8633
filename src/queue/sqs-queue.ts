// MessageQueue over SQS: receive with long polling, delete in batches, extend visibility.
// Every SDK failure leaves here as a WodleError mapped by aws/errors.ts.

import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';

import { mapAwsError, type AwsOperation } from '../aws/errors.js';
import type { DeleteBatchResult, MessageQueue, QueueMessage } from './message-queue.js';
import type { QueueRef } from './queue-ref.js';

/** SQS's own default, used when the queue's attribute cannot be read. */
export const DEFAULT_VISIBILITY_TIMEOUT_SEC = 30;

export class SqsQueue implements MessageQueue {
  readonly label: string;
  private readonly sqs: SQSClient;
  private readonly url: string;

  constructor(sqs: SQSClient, url: string, label: string) {
    this.sqs = sqs;
    this.url = url;
    this.label = label;
  }

  /** A queue named by URL or ARN needs no request; a bare name costs one GetQueueUrl. */
  static async open(sqs: SQSClient, ref: QueueRef): Promise<SqsQueue> {
    if (ref.kind !== 'name') return new SqsQueue(sqs, ref.url, ref.name);

    const result = await call('getQueueUrl', ref.name, () =>
      sqs.send(new GetQueueUrlCommand({ QueueName: ref.name })),
    );
    return new SqsQueue(sqs, result.QueueUrl ?? '', ref.name);
  }

  async receive(maxMessages: number, waitTimeSec: number): Promise<QueueMessage[]> {
    const command = new ReceiveMessageCommand({
      QueueUrl: this.url,
      MaxNumberOfMessages: maxMessages,
      WaitTimeSeconds: waitTimeSec,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    const result = await call('receive', this.label, () => this.sqs.send(command));
    return (result.Messages ?? []).map(toQueueMessage);
  }

  async deleteBatch(messages: readonly QueueMessage[]): Promise<DeleteBatchResult> {
    const entries = messages.map((message, index) => ({
      Id: String(index),
      ReceiptHandle: message.receiptHandle,
    }));
    const command = new DeleteMessageBatchCommand({ QueueUrl: this.url, Entries: entries });
    const result = await call('delete', this.label, () => this.sqs.send(command));

    const failed = (result.Failed ?? []).map((entry) => ({
      message: messages[Number(entry.Id)] as QueueMessage,
      code: entry.Code ?? 'Unknown',
      reason: entry.Message ?? '',
    }));
    const failedIds = new Set(failed.map((failure) => failure.message.id));
    const deleted = messages.filter((message) => !failedIds.has(message.id));
    return { deleted, failed };
  }

  async extendVisibility(message: QueueMessage, timeoutSec: number): Promise<void> {
    const command = new ChangeMessageVisibilityCommand({
      QueueUrl: this.url,
      ReceiptHandle: message.receiptHandle,
      VisibilityTimeout: timeoutSec,
    });
    await call('changeVisibility', this.label, () => this.sqs.send(command));
  }

  async visibilityTimeoutSec(): Promise<number> {
    const command = new GetQueueAttributesCommand({
      QueueUrl: this.url,
      AttributeNames: ['VisibilityTimeout'],
    });
    const result = await call('getQueueAttributes', this.label, () => this.sqs.send(command));
    const seconds = Number(result.Attributes?.VisibilityTimeout);
    return Number.isFinite(seconds) ? seconds : DEFAULT_VISIBILITY_TIMEOUT_SEC;
  }
}

async function call<T>(
  operation: AwsOperation,
  subject: string,
  send: () => Promise<T>,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw mapAwsError(error, operation, subject);
  }
}

function toQueueMessage(message: Message): QueueMessage {
  return {
    id: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
  };
}
