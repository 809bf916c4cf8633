// The checks Wazuh's aws-s3 applies to single argument values, restated. Each returns the value
// as the program uses it, or throws an Error whose message becomes
// `aws-s3: error: argument -x/--xxx: MESSAGE`.

/** SQS queue names: what Wazuh accepts for `--queue`. */
const QUEUE_NAME = /^[a-zA-Z0-9_-]{1,80}$/;

/** `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`, or any endpoint of the same shape. */
const QUEUE_URL = /^https?:\/\/[^/\s]+\/\d{12}\/([^/\s]+)$/;

/** `arn:PARTITION:sqs:REGION:ACCOUNT:NAME`. */
const QUEUE_ARN = /^arn:[a-z-]+:sqs:[a-z0-9-]+:\d{12}:([^:\s]+)$/;

/** arn:PARTITION:SERVICE:REGION:ACCOUNT:resource, the shape Wazuh checks role ARNs against. */
const ARN = /^arn:[^:\n]*:[^:\n]*:[^:\n]*:[^:\n]*:.+$/;

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

const ACCOUNT_ID = /^\d{12}$/;

/** Bucket naming rules: 3-63 of [a-z0-9.-], alphanumeric at both ends, no reserved forms. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RESERVED_BUCKET_NAME = /^xn--|-s3alias$|--ol-s3$/;

/** Characters AWS advises against in keys, which Wazuh refuses in prefixes and log groups. */
const KEY_CHARACTERS_TO_AVOID = '\\{}^%`[]\'"<>~#|';
const KEY_XML_ENTITIES = ['&apos;', '&quot;', '&amp;', '&lt;', '&gt;', '&#13;', '&#10;'];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export const ROLE_DURATION_MIN_SEC = 900;
export const ROLE_DURATION_MAX_SEC = 3600;

export function queue(value: string): string {
  const name = QUEUE_URL.exec(value)?.[1] ?? QUEUE_ARN.exec(value)?.[1] ?? value;
  if (QUEUE_NAME.test(name)) return value;
  throw new Error(
    'Invalid SQS Name specified. Value must be up to 80 characters and the valid values are ' +
      'alphanumeric characters, hyphens (-), and underscores (_); a queue URL or ARN ' +
      'ending in such a name is accepted too',
  );
}

export function roleArn(value: string): string {
  if (ARN.test(value)) return value;
  throw new Error(`Invalid ARN Role specified: '${value}'. Value must be a valid ARN Role.`);
}

export function roleDurationSec(value: string): number {
  const seconds = /^\d+$/.test(value) ? Number(value) : NaN;
  if (seconds >= ROLE_DURATION_MIN_SEC && seconds <= ROLE_DURATION_MAX_SEC) return seconds;
  throw new Error(
    `Invalid session duration specified: '${value}'. Value must be between ` +
      `${ROLE_DURATION_MIN_SEC} and ${ROLE_DURATION_MAX_SEC}.`,
  );
}

export function regions(value: string): string[] {
  const list = value.split(',').map((region) => region.trim());
  for (const region of list) {
    if (!REGION.test(region)) throw new Error(`The region '${region}' has not a valid format.`);
  }
  return [...new Set(list)].sort();
}

export function accountIds(value: string): string[] {
  const list = value.split(',');
  if (list.every((id) => ACCOUNT_ID.test(id.trim()))) return list.map((id) => id.trim());
  throw new Error(`Not valid AWS account ID (12 numeric digits only): '${value}'.`);
}

export function bucketName(value: string): string {
  if (BUCKET_NAME.test(value) && !RESERVED_BUCKET_NAME.test(value)) return value;
  throw new Error(`'${value}' isn't a valid bucket name.`);
}

export function keyPart(value: string): string {
  const characters = [...KEY_CHARACTERS_TO_AVOID];
  if ([...characters, ...KEY_XML_ENTITIES].every((bad) => !value.includes(bad))) return value;
  throw new Error(
    `'${value}' has an invalid character. Avoid '${KEY_CHARACTERS_TO_AVOID}' and ` +
      `'${KEY_XML_ENTITIES.join('')}'.`,
  );
}

/** YYYY-MMM-DD with an English month abbreviation in any case, e.g. 2024-JAN-31. */
export function date(value: string): string {
  const parts = /^(\d{4})-([a-zA-Z]{3})-(\d{1,2})$/.exec(value);
  const month = parts ? MONTHS.indexOf(parts[2].toLowerCase()) : -1;
  if (parts && month >= 0 && isCalendarDay(Number(parts[1]), month, Number(parts[3]))) {
    return value;
  }
  throw new Error(`Argument not a valid date in format YYYY-MMM-DD: '${value}'.`);
}

function isCalendarDay(year: number, monthIndex: number, day: number): boolean {
  const parsed = new Date(Date.UTC(year, monthIndex, day));
  return parsed.getUTCMonth() === monthIndex && parsed.getUTCDate() === day;
}

/** `--debug N`: Wazuh uses levels 1-3; a higher number means 3. */
export function debugLevel(value: string): 0 | 1 | 2 | 3 {
  if (!/^\d+$/.test(value)) throw new Error(`invalid debug level '${value}': expected 0 to 3`);
  return Math.min(Number(value), 3) as 0 | 1 | 2 | 3;
}

export function nonEmpty(value: string): string {
  if (value.length > 0) return value;
  throw new Error('expected a non-empty value');
}
