// The parsed, validated command line of a subscriber run. Built once by the argument parser
// and never changed afterwards.

import type { DebugLevel } from '../log.js';
import type { SubscriberType } from '../model.js';

export interface SubscriberOptions {
  readonly subscriber: SubscriberType;
  /** Queue name as Wazuh passes it; a queue URL or ARN is accepted too. */
  readonly queue: string;
  readonly iamRoleArn?: string;
  readonly externalId?: string;
  readonly iamRoleDurationSec?: number;
  readonly awsProfile?: string;
  readonly stsEndpoint?: string;
  /** S3 endpoint (path-style addressing). */
  readonly serviceEndpoint?: string;
  readonly regions?: readonly string[];
  readonly discardField?: string;
  /** Already translated from Python `re` syntax. */
  readonly discardRegex?: RegExp;
  readonly debugLevel: DebugLevel;
  /** Delete a message that failed to process instead of leaving it in the queue. */
  readonly skipOnError: boolean;
  /** Write datagrams as JSON lines here ('-' for stdout) instead of sending; delete nothing. */
  readonly dryRunOutput?: string;
}
