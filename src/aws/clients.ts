// The SQS and S3 clients of one run, built once from the command line and the environment.
// Endpoints left unset on purpose are taken by the SDK from AWS_ENDPOINT_URL(_SQS|_S3), so an
// explicit setting here never hides one the administrator exported.

import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';

import { createCredentialProvider } from './credentials.js';
import { checkEndpointEnv, checkEndpointUrl, hasCustomS3Endpoint } from './endpoints.js';
import { checkProfileExists } from './profile.js';
import { regionOfProfile, resolveRegion } from './region.js';

export interface AwsSettings {
  readonly awsProfile?: string;
  readonly iamRoleArn?: string;
  readonly externalId?: string;
  readonly iamRoleDurationSec?: number;
  readonly stsEndpoint?: string;
  readonly serviceEndpoint?: string;
  readonly regions?: readonly string[];
  /** Region named by a queue URL or ARN given on the command line. */
  readonly queueRegion?: string;
}

export interface AwsClients {
  readonly region: string;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  /** Shared by both clients; call it once up front to fail early on bad credentials. */
  readonly credentials: AwsCredentialIdentityProvider;
  destroy(): void;
}

// Attempts per request (the SDK's standard retry mode, with its throttling back-off).
const MAX_ATTEMPTS = 5;

/**
 * Without limits a connection that goes silent (a NAT or proxy dropping it, a stalled server)
 * hangs the run for good: wazuh-modulesd waits on it, and the keepalive keeps the message
 * hidden from every other manager. `socketTimeoutMs` is the longest a connection may stay
 * idle, headers or body; it must exceed SQS's 20 s long poll, during which nothing arrives.
 * A timed-out request is retried like any transient failure.
 */
export interface NetworkTimeouts {
  readonly connectionTimeoutMs: number;
  readonly socketTimeoutMs: number;
}

export const DEFAULT_NETWORK_TIMEOUTS: NetworkTimeouts = {
  connectionTimeoutMs: 10_000,
  socketTimeoutMs: 60_000,
};

/**
 * Checks the settings (exit 15, 22, 23) and builds the clients. Reads the AWS config files;
 * sends nothing.
 */
export async function createAwsClients(
  settings: AwsSettings,
  env: NodeJS.ProcessEnv = process.env,
  timeouts: NetworkTimeouts = DEFAULT_NETWORK_TIMEOUTS,
): Promise<AwsClients> {
  checkEndpointEnv(env);
  const stsEndpoint = optionalEndpoint('--sts_endpoint', settings.stsEndpoint);
  const serviceEndpoint = optionalEndpoint('--service_endpoint', settings.serviceEndpoint);
  if (settings.awsProfile !== undefined) await checkProfileExists(settings.awsProfile, env);

  const region = await resolveRegion({
    regions: settings.regions,
    queueRegion: settings.queueRegion,
    env,
    profileRegion: () => regionOfProfile(settings.awsProfile ?? env.AWS_PROFILE),
  });
  const requestHandler = {
    connectionTimeout: timeouts.connectionTimeoutMs,
    socketTimeout: timeouts.socketTimeoutMs,
  };
  const credentials = createCredentialProvider({
    ...settings, region, stsEndpoint, requestHandler,
  });

  const sqs = new SQSClient({
    region,
    credentials,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler,
    // Requests go to the configured endpoint, never to whatever host a queue URL names.
    useQueueUrlAsEndpoint: false,
  });
  const s3 = new S3Client({
    region,
    credentials,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler,
    ...(serviceEndpoint === undefined ? {} : { endpoint: serviceEndpoint }),
    // Emulators and S3-compatible stores answer path-style only.
    forcePathStyle: serviceEndpoint !== undefined || hasCustomS3Endpoint(env),
  });

  const destroy = (): void => {
    sqs.destroy();
    s3.destroy();
  };
  return { region, sqs, s3, credentials, destroy };
}

function optionalEndpoint(setting: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : checkEndpointUrl(setting, value);
}
