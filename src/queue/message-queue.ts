// What the pipeline needs of a queue. SqsQueue implements it over SQS; tests hand in fakes.

/** One received message, with what we need to process, extend and delete it. */
export interface QueueMessage {
  readonly id: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** How many times SQS has handed this message out, this time included. */
  readonly receiveCount: number;
}

/** One message a DeleteMessageBatch call did not delete, and SQS's reason. */
export interface DeleteFailure {
  readonly message: QueueMessage;
  readonly code: string;
  readonly reason: string;
}

export interface DeleteBatchResult {
  readonly deleted: readonly QueueMessage[];
  readonly failed: readonly DeleteFailure[];
}

export interface MessageQueue {
  /** The queue's name or URL, for log lines. */
  readonly label: string;

  /** Up to maxMessages (1..10), waiting up to waitTimeSec for the first to arrive. */
  receive(maxMessages: number, waitTimeSec: number): Promise<QueueMessage[]>;

  /** Deletes up to 10 messages in one call. Throws only when the call itself fails. */
  deleteBatch(messages: readonly QueueMessage[]): Promise<DeleteBatchResult>;

  /** Makes the message invisible for timeoutSec more seconds, counted from now. */
  extendVisibility(message: QueueMessage, timeoutSec: number): Promise<void>;

  /** The queue's visibility timeout, in seconds. */
  visibilityTimeoutSec(): Promise<number>;
}

/** SQS error names that mean a receipt handle can no longer be used. */
export const STALE_RECEIPT_CODES: ReadonlySet<string> = new Set([
  'ReceiptHandleIsInvalid',
  'MessageNotInflight',
  'AWS.SimpleQueueService.MessageNotInflight',
  'InvalidParameterValue',
]);
