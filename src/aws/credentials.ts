// Where the run's AWS credentials come from: the SDK's default chain, a named profile, and
// optionally an IAM role assumed on top of either (STS AssumeRole, session WazuhLogParsing).

import {
  fromIni,
  fromNodeProviderChain,
  fromTemporaryCredentials,
} from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** The session name Wazuh's wodle uses; CloudTrail shows it on every call we make. */
export const ROLE_SESSION_NAME = 'WazuhLogParsing';

/** Refresh temporary credentials this long before they expire. */
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

export interface CredentialSettings {
  readonly region: string;
  readonly awsProfile?: string;
  readonly iamRoleArn?: string;
  readonly externalId?: string;
  readonly iamRoleDurationSec?: number;
  readonly stsEndpoint?: string;
  /** Connection and idle limits for the STS client, as the SQS and S3 clients have them. */
  readonly requestHandler?: { readonly connectionTimeout: number; readonly socketTimeout: number };
}

/** Builds the provider; nothing is read or requested until it is first called. */
export function createCredentialProvider(
  settings: CredentialSettings,
): AwsCredentialIdentityProvider {
  const base = settings.awsProfile === undefined
    ? fromNodeProviderChain()
    : fromIni({ profile: settings.awsProfile });
  if (settings.iamRoleArn === undefined) return shareOneResolution(base);

  const assumed = fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: settings.iamRoleArn,
      RoleSessionName: ROLE_SESSION_NAME,
      ExternalId: settings.externalId,
      DurationSeconds: settings.iamRoleDurationSec,
    },
    clientConfig: {
      region: settings.region,
      ...(settings.requestHandler === undefined ? {} : { requestHandler: settings.requestHandler }),
      ...(settings.stsEndpoint === undefined ? {} : { endpoint: settings.stsEndpoint }),
    },
  });
  return shareOneResolution(assumed);
}

/**
 * The SQS and S3 clients share one provider: one AssumeRole per run instead of one per client,
 * and a new one only when the temporary credentials are about to expire.
 */
export function shareOneResolution(
  provider: AwsCredentialIdentityProvider,
  nowMs: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;

  const isStale = (identity: AwsCredentialIdentity): boolean =>
    identity.expiration !== undefined &&
    identity.expiration.getTime() - EXPIRY_MARGIN_MS <= nowMs();

  return async () => {
    if (pending !== undefined) {
      const identity = await pending.catch(() => undefined);
      if (identity !== undefined && !isStale(identity)) return identity;
    }

    pending = provider();
    return pending;
  };
}
