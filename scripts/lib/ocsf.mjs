// Generates OCSF 1.1.0 Authentication and API Activity rows (the shape Security Lake writes
// for CloudTrail) and writes them as Parquet with hyparquet-writer: nested structs, a list,
// a map, INT64 epoch times and TIMESTAMP_MILLIS datetimes, as real Security Lake files have.
// Values are made from a seed, so the same arguments give the same file.

import { parquetWriteBuffer } from 'hyparquet-writer';

import { mulberry32 } from './generators/random.mjs';

const OPTIONAL = 'OPTIONAL';
const str = (name) =>
  ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: OPTIONAL });
const int32 = (name) => ({ name, type: 'INT32', repetition_type: OPTIONAL });
const int64 = (name) => ({ name, type: 'INT64', repetition_type: OPTIONAL });
const millis = (name) =>
  ({ name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: OPTIONAL });

function group(name, ...children) {
  const flat = children.flat();
  const direct = children.length;
  return [{ name, repetition_type: OPTIONAL, num_children: direct }, ...flat];
}

function stringList(name) {
  return [
    { name, repetition_type: OPTIONAL, converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    str('element'),
  ];
}

function stringMap(name) {
  return [
    { name, repetition_type: OPTIONAL, converted_type: 'MAP', num_children: 1 },
    { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
    { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    str('value'),
  ];
}

/** Top-level columns: [name, schema elements]. Nested groups list their children in order. */
const COLUMNS = [
  ['metadata', group('metadata',
    group('product', str('name'), str('vendor_name'), str('version')),
    str('uid'), str('version'), stringList('profiles'))],
  ['time', [int64('time')]],
  ['time_dt', [millis('time_dt')]],
  ['class_uid', [int32('class_uid')]],
  ['class_name', [str('class_name')]],
  ['category_uid', [int32('category_uid')]],
  ['category_name', [str('category_name')]],
  ['activity_id', [int32('activity_id')]],
  ['activity_name', [str('activity_name')]],
  ['severity_id', [int32('severity_id')]],
  ['severity', [str('severity')]],
  ['type_uid', [int64('type_uid')]],
  ['status', [str('status')]],
  ['cloud', group('cloud', str('provider'), str('region'), group('account', str('uid')))],
  ['api', group('api',
    str('operation'), group('service', str('name')), group('request', str('uid')))],
  ['actor', group('actor', group('user', str('type'), str('name'), str('uid')))],
  ['src_endpoint', group('src_endpoint', str('ip'))],
  ['http_request', group('http_request', str('user_agent'))],
  ['unmapped', stringMap('unmapped')],
];

const OPERATIONS = [
  [3002, 'Authentication', 1, 'Logon', 'signin.amazonaws.com', 'ConsoleLogin'],
  [6003, 'API Activity', 2, 'Read', 's3.amazonaws.com', 'GetObject'],
  [6003, 'API Activity', 1, 'Create', 'iam.amazonaws.com', 'CreateUser'],
  [6003, 'API Activity', 3, 'Update', 'ec2.amazonaws.com', 'ModifyInstanceAttribute'],
];

export function ocsfRow(index, random, startMs) {
  const [classUid, className, activityId, activityName, service, operation] =
    OPERATIONS[Math.floor(random() * OPERATIONS.length)];
  const timeMs = startMs + index * 37;
  const severityId = 1 + Math.floor(random() * 3);
  const user = `user-${Math.floor(random() * 500)}`;
  return {
    metadata: {
      product: { name: 'CloudTrail', vendor_name: 'AWS', version: '1.09' },
      uid: `${index.toString(16).padStart(8, '0')}-bench-${Math.floor(random() * 1e9)}`,
      version: '1.1.0',
      profiles: ['cloud', 'datetime'],
    },
    time: BigInt(timeMs),
    time_dt: new Date(timeMs),
    class_uid: classUid,
    class_name: className,
    category_uid: Math.floor(classUid / 1000),
    category_name: classUid === 3002 ? 'Identity & Access Management' : 'Application Activity',
    activity_id: activityId,
    activity_name: activityName,
    severity_id: severityId,
    severity: ['Informational', 'Low', 'Medium'][severityId - 1],
    type_uid: BigInt(classUid * 100 + activityId),
    status: random() < 0.9 ? 'Success' : 'Failure',
    cloud: { provider: 'AWS', region: 'us-east-1', account: { uid: '111122223333' } },
    api: { operation, service: { name: service }, request: { uid: `req-${index}` } },
    actor: { user: { type: 'IAMUser', name: user, uid: `AIDA${index % 100000}` } },
    src_endpoint: { ip: `198.51.100.${Math.floor(random() * 254) + 1}` },
    http_request: { user_agent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1' },
    unmapped: { eventType: 'AwsApiCall', recipientAccountId: '111122223333' },
  };
}

/** `rowCount` OCSF rows as one Parquet file, in row groups of `rowGroupSize` rows. */
export function ocsfParquet(rowCount, options = {}) {
  const { rowGroupSize = 20_000, seed = 1, startMs = Date.UTC(2024, 2, 7) } = options;
  // Seeded, so the same arguments give the same file and benchmark runs are comparable.
  const random = mulberry32(seed);
  const rows = Array.from({ length: rowCount }, (_, index) => ocsfRow(index, random, startMs));
  const columnData = COLUMNS.map(([name]) => ({ name, data: rows.map((row) => row[name]) }));
  const schema = [
    { name: 'root', num_children: COLUMNS.length },
    ...COLUMNS.flatMap(([, elements]) => elements),
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData, schema, rowGroupSize }));
}
