// Which AWS region the run talks to. Wazuh passes no region for subscribers, so it comes from,
// in order: a single `-r` region, the region inside a queue URL or ARN, AWS_REGION or
// AWS_DEFAULT_REGION, and the region of the AWS profile in ~/.aws/config.

import { SQSClient } from '@aws-sdk/client-sqs';

import { ExitCode, WodleError } from '../errors.js';

export interface RegionSources {
  readonly regions?: readonly string[];
  /** Region named by the queue URL or ARN, when the queue was given that way. */
  readonly queueRegion?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Looks the region up in the profile (AWS_PROFILE or --aws_profile); undefined if none. */
  readonly profileRegion: () => Promise<string | undefined>;
}

// Partition prefix, optional qualifiers, a direction and a number: us-east-1, us-gov-west-1,
// cn-north-1, ap-southeast-4, eu-central-2.
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export async function resolveRegion(sources: RegionSources): Promise<string> {
  const region = firstRegion(sources) ?? (await sources.profileRegion());
  if (region === undefined || region === '') {
    throw new WodleError(
      ExitCode.invalidRegion,
      'No AWS region: give one with -r/--regions, a queue URL, AWS_REGION, ' +
        'or a region in the AWS profile (~/.aws/config)',
    );
  }

  if (!REGION_PATTERN.test(region)) {
    throw new WodleError(ExitCode.invalidRegion, `Invalid AWS region '${region}'`);
  }
  return region;
}

function firstRegion(sources: RegionSources): string | undefined {
  const fromOption = sources.regions?.length === 1 ? sources.regions[0] : undefined;
  const candidates = [
    fromOption,
    sources.queueRegion,
    sources.env.AWS_REGION,
    sources.env.AWS_DEFAULT_REGION,
  ];
  return candidates.find((candidate) => candidate !== undefined && candidate !== '');
}

/**
 * The region of a profile, read by the SDK's own config loader (so it honours AWS_CONFIG_FILE
 * and AWS_PROFILE exactly as the clients will). Reads files; makes no request.
 */
export async function regionOfProfile(profile: string | undefined): Promise<string | undefined> {
  const probe = new SQSClient({ profile });
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}
