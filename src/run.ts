// One subscriber run, start to end: check the AWS settings, open the sink (so a stopped Wazuh
// is exit 11 before any AWS request), get credentials, find the queue, drain it, and close
// with one summary line. Errors that end the run are thrown as WodleErrors for the CLI.

import { createAwsClients, type AwsClients } from './aws/clients.js';
import { mapAwsError } from './aws/errors.js';
import type { SubscriberOptions } from './cli/options.js';
import { ExitCode, WodleError } from './errors.js';
import type { Logger } from './log.js';
import { parseNotification } from './notifications/index.js';
import { S3ObjectReader } from './objects/s3-reader.js';
import { CountingSink } from './pipeline/counting-sink.js';
import { DEFAULT_DRAIN_SETTINGS, drainQueue } from './pipeline/drain-queue.js';
import { summaryLine } from './pipeline/summary.js';
import { parseQueueRef, type QueueRef } from './queue/queue-ref.js';
import { DEFAULT_VISIBILITY_TIMEOUT_SEC, SqsQueue } from './queue/sqs-queue.js';
import type { RunStats } from './stats.js';
import { createDiscardFilter } from './subscribers/discard.js';
import { createSubscriber } from './subscribers/index.js';
import { FileSink } from './wazuh/file-sink.js';
import { serializeEvents } from './wazuh/frame.js';
import { queueSocketPath, resolveWazuhDir } from './wazuh/paths.js';
import type { EventSink } from './wazuh/sink.js';
import { WazuhSocketSink } from './wazuh/socket-sink.js';

/**
 * Resolves with 0 or the exit code of the first message that failed. Once `stop` fires, the
 * run stops receiving, deletes the messages it had finished and resolves.
 */
export async function runSubscriber(
  options: SubscriberOptions,
  logger: Logger,
  stats: RunStats,
  stop?: AbortSignal,
): Promise<number> {
  const queueRef = parseQueueRef(options.queue);
  const aws = await createAwsClients({ ...options, queueRegion: queueRef.region });
  try {
    const sink = await openSink(options, stats, logger);
    const watchdog = watchForStall();
    try {
      const draining = drain(options, { aws, sink, queueRef, logger, stats, stop });
      const exitCode = await Promise.race([draining, watchdog.stalled]);
      // After a stop, the events still queued in the sink belong to messages that stay in the
      // queue: closing must not wait for analysisd to take them.
      if (stop?.aborted === true) void closeQuietly(sink);
      else await sink.close();
      return exitCode;
    } catch (error) {
      await closeQuietly(sink);
      throw error;
    } finally {
      watchdog.stop();
      logger.info(summaryLine(stats));
    }
  } finally {
    aws.destroy();
  }
}

interface RunContext {
  readonly aws: AwsClients;
  readonly sink: EventSink;
  readonly queueRef: QueueRef;
  readonly logger: Logger;
  readonly stats: RunStats;
  readonly stop: AbortSignal | undefined;
}

async function drain(options: SubscriberOptions, run: RunContext): Promise<number> {
  const { aws, sink, logger, stats } = run;
  await checkCredentials(aws, options);

  const queue = await SqsQueue.open(aws.sqs, run.queueRef);
  const visibilityTimeoutSec = await visibilityTimeoutOf(queue, logger);
  const timeout = `visibility timeout ${visibilityTimeoutSec} s`;
  logger.debug(1, `Reading queue ${queue.label} in ${aws.region}, ${timeout}`);

  const reader = new S3ObjectReader({ s3: aws.s3, stats });
  const discard = createDiscardFilter(options.discardField, options.discardRegex);
  const subscriber = await createSubscriber(options.subscriber, { reader, stats, discard, logger });
  const deps = {
    queue, sink, logger, stats, parseNotification, serializeEvents,
    events: subscriber.events.bind(subscriber),
  };
  return drainQueue(deps, {
    ...DEFAULT_DRAIN_SETTINGS,
    skipOnError: options.skipOnError,
    deleteMessages: options.dryRunOutput === undefined,
    visibilityTimeoutSec,
  }, run.stop);
}

/**
 * The queue's visibility timeout, which paces the keepalive. IAM policies written for Wazuh's
 * own wodle grant no sqs:GetQueueAttributes, so without it the run goes on with SQS's default.
 */
async function visibilityTimeoutOf(queue: SqsQueue, logger: Logger): Promise<number> {
  try {
    return await queue.visibilityTimeoutSec();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.debug(1, `${reason}; assuming ${DEFAULT_VISIBILITY_TIMEOUT_SEC} s`);
    return DEFAULT_VISIBILITY_TIMEOUT_SEC;
  }
}

/** Analysisd's socket, or the dry-run file. Throws exit 11 when Wazuh is not running. */
async function openSink(
  options: SubscriberOptions,
  stats: RunStats,
  logger: Logger,
): Promise<EventSink> {
  if (options.dryRunOutput !== undefined) {
    return new CountingSink(await FileSink.open(options.dryRunOutput), stats);
  }

  const socketPath = queueSocketPath(resolveWazuhDir());
  const sink = new WazuhSocketSink({ socketPath, stats, logger });
  await sink.open();
  return sink;
}

/** The run already failed and says why; closing now only releases the socket or file. */
async function closeQuietly(sink: EventSink): Promise<void> {
  await sink.close().catch(() => undefined);
}

/** Resolves the credentials once, up front, so bad ones end the run before any message. */
async function checkCredentials(aws: AwsClients, options: SubscriberOptions): Promise<void> {
  try {
    await aws.credentials();
  } catch (error) {
    throw mapAwsError(error, 'credentials', describeCredentialSource(options));
  }
}

function describeCredentialSource(options: SubscriberOptions): string {
  const base = options.awsProfile === undefined
    ? 'default credential chain'
    : `profile ${options.awsProfile}`;
  return options.iamRoleArn === undefined ? base : `role ${options.iamRoleArn} via ${base}`;
}

/**
 * Turns a stage that can never finish (a promise nothing will settle, with no timer or socket
 * left to wait on) into a reported error. Without this, Node ends such a process on its own
 * with exit 13 ("unsettled top-level await") and no output, which wazuh-modulesd would read
 * as a failure to send to Wazuh. The messages still in processing stay in the queue.
 */
function watchForStall(): { stalled: Promise<never>; stop(): void } {
  let onBeforeExit = (): void => {};
  const stalled = new Promise<never>((_resolve, reject) => {
    onBeforeExit = () => reject(new WodleError(
      ExitCode.unexpected,
      'Processing stalled: a message never finished (internal error); it stays in the queue',
    ));
    process.once('beforeExit', onBeforeExit);
  });
  stalled.catch(() => undefined);

  return { stalled, stop: () => process.off('beforeExit', onBeforeExit) };
}
