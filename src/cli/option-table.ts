// Every option Wazuh 4.14's aws-s3 accepts, with its short and long spelling, whether it takes
// a value, and the check Wazuh applies to that value; then the few options that are ours.
// The parser, the help text and the tests all read this one table.

import * as validate from './validators.js';

export type RunMode = 'bucket' | 'service' | 'subscriber';

export interface OptionSpec {
  /** Key in the parsed result. */
  readonly name: string;
  readonly short?: string;
  readonly long: string;
  /** Placeholder in the help; absent for flags, which take no value. */
  readonly metavar?: string;
  readonly help: string;
  /** Throws with an argparse-style message when the value is not acceptable. */
  readonly check?: (value: string) => unknown;
  /** Selects the kind of run; exactly one of these is required. */
  readonly mode?: RunMode;
  /** Not in Wazuh's wodle. */
  readonly extension?: boolean;
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'bucket', short: '-b', long: '--bucket', metavar: 'NAME', mode: 'bucket',
    check: validate.bucketName,
    help: "S3 bucket of AWS logs to read (handed to Wazuh's Python wodle)",
  },
  {
    name: 'service', short: '-sr', long: '--service', metavar: 'NAME', mode: 'service',
    help: "AWS service to read: inspector, cloudwatchlogs (handed to Wazuh's Python wodle)",
  },
  {
    name: 'subscriber', short: '-sb', long: '--subscriber', metavar: 'TYPE', mode: 'subscriber',
    help: 'Drain an SQS queue of notifications: buckets, security_hub, security_lake',
  },
  {
    name: 'queue', short: '-q', long: '--queue', metavar: 'NAME', check: validate.queue,
    help: 'SQS queue name (also a queue URL or ARN)',
  },
  {
    name: 'awsOrganizationId', short: '-O', long: '--aws_organization_id', metavar: 'ID',
    help: 'AWS organization ID for logs (bucket runs)',
  },
  {
    name: 'awsAccountId', short: '-c', long: '--aws_account_id', metavar: 'IDS',
    check: validate.accountIds, help: 'Comma-separated AWS account IDs (bucket runs)',
  },
  {
    name: 'debug', short: '-d', long: '--debug', metavar: 'LEVEL', check: validate.debugLevel,
    help: 'Debug level 0-3 (3 also prints message bodies)',
  },
  {
    name: 'accessKey', short: '-a', long: '--access_key', metavar: 'KEY',
    help: 'Access key (deprecated by Wazuh in 4.4; bucket and service runs only)',
  },
  {
    name: 'secretKey', short: '-k', long: '--secret_key', metavar: 'KEY',
    help: 'Secret key (deprecated by Wazuh in 4.4; bucket and service runs only)',
  },
  {
    name: 'remove', short: '-R', long: '--remove',
    help: 'Remove processed files from the bucket (bucket runs)',
  },
  {
    name: 'awsProfile', short: '-p', long: '--aws_profile', metavar: 'NAME',
    help: 'Credentials profile to use',
  },
  {
    name: 'externalId', short: '-x', long: '--external_id', metavar: 'ID',
    help: 'External ID for assuming the IAM role',
  },
  {
    name: 'iamRoleArn', short: '-i', long: '--iam_role_arn', metavar: 'ARN',
    check: validate.roleArn, help: 'IAM role to assume',
  },
  {
    name: 'awsAccountAlias', short: '-n', long: '--aws_account_alias', metavar: 'ALIAS',
    help: 'AWS account alias (bucket runs)',
  },
  {
    name: 'trailPrefix', short: '-l', long: '--trail_prefix', metavar: 'PREFIX',
    check: validate.keyPart, help: 'Key prefix of the logs (bucket runs)',
  },
  {
    name: 'trailSuffix', short: '-L', long: '--trail_suffix', metavar: 'SUFFIX',
    check: validate.keyPart, help: 'Key suffix of the logs (bucket runs)',
  },
  {
    name: 'onlyLogsAfter', short: '-s', long: '--only_logs_after', metavar: 'YYYY-MMM-DD',
    check: validate.date, help: 'Only read logs after this date (bucket and service runs)',
  },
  {
    name: 'regions', short: '-r', long: '--regions', metavar: 'REGIONS',
    check: validate.regions,
    help: 'Comma-separated regions; a subscriber run takes one: the queue\'s region',
  },
  {
    name: 'skipOnError', short: '-e', long: '--skip_on_error',
    help: 'Delete a message whose objects failed instead of leaving it in the queue',
  },
  {
    name: 'reparse', short: '-o', long: '--reparse',
    help: 'Read logs again even if read before (bucket and service runs)',
  },
  {
    name: 'type', short: '-t', long: '--type', metavar: 'TYPE',
    help: 'Bucket type: cloudtrail, vpcflow, config, custom, guardduty, waf, alb, ...',
  },
  {
    name: 'awsLogGroups', short: '-g', long: '--aws_log_groups', metavar: 'GROUPS',
    check: validate.keyPart, help: 'CloudWatch log groups to read (service runs)',
  },
  {
    name: 'removeLogStreams', short: '-P', long: '--remove-log-streams',
    help: 'Remove processed log streams (service runs)',
  },
  {
    name: 'discardField', short: '-df', long: '--discard-field', metavar: 'FIELD',
    help: 'Dotted path of the event field --discard-regex is tried on',
  },
  {
    name: 'discardRegex', short: '-dr', long: '--discard-regex', metavar: 'REGEX',
    help: 'Python-syntax regex; an event whose field matches at its start is skipped',
  },
  {
    name: 'stsEndpoint', short: '-st', long: '--sts_endpoint', metavar: 'URL',
    help: 'STS endpoint (for example a VPC endpoint) used to assume the role',
  },
  {
    name: 'serviceEndpoint', short: '-se', long: '--service_endpoint', metavar: 'URL',
    help: 'Endpoint of the service the logs are read from (S3 for subscribers)',
  },
  {
    name: 'iamRoleDuration', short: '-rd', long: '--iam_role_duration', metavar: 'SECONDS',
    check: validate.roleDurationSec,
    help: 'Role session duration, 900-3600 seconds; needs --iam_role_arn',
  },
  {
    name: 'dryRun', long: '--dry-run', extension: true,
    help: 'Write events as JSON lines (stdout unless --output) instead of sending them; ' +
      'delete no message',
  },
  {
    name: 'output', long: '--output', metavar: 'FILE|-', extension: true,
    help: "Dry-run output file, '-' for stdout (implies --dry-run)",
  },
  { name: 'help', short: '-h', long: '--help', help: 'Show this help and exit' },
];

/** How argparse names an option in its messages: `-q/--queue`. */
export function displayName(spec: OptionSpec): string {
  return spec.short ? `${spec.short}/${spec.long}` : spec.long;
}

export function takesValue(spec: OptionSpec): boolean {
  return spec.metavar !== undefined;
}

const BY_SPELLING = new Map<string, OptionSpec>(
  OPTIONS.flatMap((spec) => [
    [spec.long, spec] as const,
    ...(spec.short ? [[spec.short, spec] as const] : []),
  ]),
);

export function findOption(spelling: string): OptionSpec | undefined {
  return BY_SPELLING.get(spelling);
}

/** The spec of an option by its name in the table; the name must exist. */
export function optionNamed(name: string): OptionSpec {
  const spec = OPTIONS.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`no option named ${name} in the option table`);
  return spec;
}
