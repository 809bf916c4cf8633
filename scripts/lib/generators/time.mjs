// Timestamp shapes the AWS services use in log records and in the names of delivered objects.

const pad = (value, width = 2) => String(value).padStart(width, '0');

/** 2026-11-02T08:05:00Z: CloudTrail's eventTime, to the second. */
export function isoSeconds(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 20261102T0805Z: the delivery time inside CloudTrail, VPC, ELB and WAF object names. */
export function compactUtc(date) {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}Z`;
}

/** 2026/11/02: the date folders under AWSLogs/<account>/<service>/<region>/. */
export function datePath(date) {
  return `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}`;
}

/** 2026/11/02/08/05: WAF adds the hour and minute folders. */
export function minutePath(date) {
  return `${datePath(date)}/${pad(date.getUTCHours())}/${pad(date.getUTCMinutes())}`;
}

export function addMs(date, ms) {
  return new Date(date.getTime() + ms);
}

/** Whole seconds since the epoch: VPC flow log start and end. */
export function epochSeconds(date) {
  return Math.floor(date.getTime() / 1000);
}
