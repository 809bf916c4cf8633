// CloudTrail log files: one gzip JSON document {"Records":[...]} per delivery, named
// AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<time>_<16
// characters>.json.gz, with records of the management events a small account produces.

import { gzipSync } from 'node:zlib';
import { addMs, compactUtc, datePath, isoSeconds } from './time.mjs';

const USER_AGENTS = [
  'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.8',
  'Boto3/1.34.64 md/Botocore#1.34.64 ua/2.0 os/linux#5.10 lang/python#3.12.2',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'aws-sdk-js/3.540.0 ua/2.1 os/linux#6.5 lang/js md/nodejs#20.12.0 api/s3#3.540.0',
  'Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0',
];

// What the calls carry, keyed by event name. Each builder gets the random source, the estate
// and the calling principal, and returns [requestParameters, responseElements].
const CALLS = {
  DescribeInstances: (random, estate) =>
    [{ instancesSet: { items: [{ instanceId: random.pick(estate.instances).id }] } }, null],
  RunInstances: (random, estate) => {
    const instance = random.pick(estate.instances);
    const pending = { instanceId: instance.id, currentState: { code: 0, name: 'pending' } };
    return [
      { instanceType: instance.type, imageId: instance.imageId, minCount: 1, maxCount: 1 },
      { instancesSet: { items: [pending] } },
    ];
  },
  StopInstances: (random, estate) => {
    const instanceId = random.pick(estate.instances).id;
    return [
      { instancesSet: { items: [{ instanceId }] }, force: false },
      { instancesSet: { items: [{ instanceId, currentState: { code: 64, name: 'stopping' } }] } },
    ];
  },
  AuthorizeSecurityGroupIngress: (random) => [
    {
      groupId: `sg-0${random.hex(16)}`,
      ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22,
        ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
    },
    { _return: true },
  ],
  GetObject: (random) =>
    [{ bucketName: 'app-artifacts', key: `releases/build-${random.int(100, 999)}.tar.gz` }, null],
  ListBuckets: () => [null, null],
  PutBucketPolicy: () => [{ bucketName: 'app-artifacts', policy: '<policy document>' }, null],
  CreateUser: (random, estate) => {
    const userName = `${random.pick(estate.users).name}-svc${random.int(1, 9)}`;
    return [{ userName }, { user: { userName, path: '/', userId: `AIDA${random.upper(17)}` } }];
  },
  CreateAccessKey: (random, estate) =>
    [{ userName: random.pick(estate.users).name }, { accessKey: { status: 'Active' } }],
  AttachRolePolicy: (random, estate) => [
    { roleName: random.pick(estate.roles).name,
      policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    null,
  ],
  AssumeRole: (random, estate) => {
    const role = random.pick(estate.roles);
    return [
      { roleArn: `arn:aws:iam::${estate.accountId}:role/${role.name}`,
        roleSessionName: `session-${random.hex(8)}`, durationSeconds: 3600 },
      { assumedRoleUser: { assumedRoleId: `${role.roleId}:session`,
        arn: `arn:aws:sts::${estate.accountId}:assumed-role/${role.name}/session` } },
    ];
  },
  Decrypt: () => [{ encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, null],
  ConsoleLogin: (random) =>
    [null, { ConsoleLogin: random.chance(0.85) ? 'Success' : 'Failure' }],
  StopLogging: (random, estate) =>
    [{ name: `arn:aws:cloudtrail:${estate.region}:${estate.accountId}:trail/management` }, null],
};

// [weight, eventSource, eventName, readOnly]: mostly reads, now and then something to alert on.
const CATALOG = [
  [30, 'ec2.amazonaws.com', 'DescribeInstances', true],
  [4, 'ec2.amazonaws.com', 'RunInstances', false],
  [3, 'ec2.amazonaws.com', 'StopInstances', false],
  [2, 'ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', false],
  [20, 's3.amazonaws.com', 'GetObject', true],
  [8, 's3.amazonaws.com', 'ListBuckets', true],
  [1, 's3.amazonaws.com', 'PutBucketPolicy', false],
  [2, 'iam.amazonaws.com', 'CreateUser', false],
  [2, 'iam.amazonaws.com', 'CreateAccessKey', false],
  [1, 'iam.amazonaws.com', 'AttachRolePolicy', false],
  [12, 'sts.amazonaws.com', 'AssumeRole', true],
  [10, 'kms.amazonaws.com', 'Decrypt', true],
  [4, 'signin.amazonaws.com', 'ConsoleLogin', false],
  [1, 'cloudtrail.amazonaws.com', 'StopLogging', false],
].map(([weight, ...call]) => [weight, call]);

function userIdentity(random, estate, eventTime) {
  if (random.chance(0.6)) {
    const user = random.pick(estate.users);
    return {
      type: 'IAMUser',
      principalId: user.principalId,
      arn: `arn:aws:iam::${estate.accountId}:user/${user.name}`,
      accountId: estate.accountId,
      accessKeyId: user.accessKeyId,
      userName: user.name,
    };
  }

  const role = random.pick(estate.roles);
  const session = `session-${random.hex(8)}`;
  return {
    type: 'AssumedRole',
    principalId: `${role.roleId}:${session}`,
    arn: `arn:aws:sts::${estate.accountId}:assumed-role/${role.name}/${session}`,
    accountId: estate.accountId,
    accessKeyId: `ASIA${random.upper(16)}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: role.roleId,
        arn: `arn:aws:iam::${estate.accountId}:role/${role.name}`,
        accountId: estate.accountId,
        userName: role.name,
      },
      attributes: {
        creationDate: isoSeconds(addMs(eventTime, -random.int(60_000, 3_600_000))),
        mfaAuthenticated: 'false',
      },
    },
  };
}

function makeRecord(random, estate, eventTime) {
  const [eventSource, eventName, readOnly] = random.weighted(CATALOG);
  const [requestParameters, responseElements] = CALLS[eventName](random, estate);
  const isConsole = eventName === 'ConsoleLogin';
  const denied = !readOnly && !isConsole && random.chance(0.08);
  const client = random.pick(estate.clients);
  const service = eventSource.split('.')[0];

  const record = {
    eventVersion: '1.09',
    userIdentity: userIdentity(random, estate, eventTime),
    eventTime: isoSeconds(eventTime),
    eventSource,
    eventName,
    awsRegion: estate.region,
    sourceIPAddress: client.ip,
    userAgent: random.pick(USER_AGENTS),
    requestParameters,
    responseElements: denied ? null : responseElements,
    requestID: random.uuid(),
    eventID: random.uuid(),
    readOnly,
    eventType: isConsole ? 'AwsConsoleSignIn' : 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: estate.accountId,
    eventCategory: 'Management',
  };
  if (denied) {
    record.errorCode = 'AccessDenied';
    record.errorMessage = `User is not authorized to perform: ${service}:${eventName}`;
  }
  if (!isConsole) {
    record.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${service}.${estate.region}.amazonaws.com` };
  }
  return record;
}

export const cloudtrail = {
  type: 'cloudtrail',
  description: 'CloudTrail management events, {"Records":[...]} gzip',

  generate({ random, estate, records, deliveredAt }) {
    // CloudTrail delivers about every five minutes; records may come from any time before.
    const windowMs = 5 * 60_000;
    const items = [];
    for (let i = 0; i < records; i++) {
      items.push(makeRecord(random, estate, addMs(deliveredAt, -random.int(1_000, windowMs))));
    }

    const { accountId, region } = estate;
    const folder = `AWSLogs/${accountId}/CloudTrail/${region}/${datePath(deliveredAt)}`;
    const name = `${accountId}_CloudTrail_${region}_${compactUtc(deliveredAt)}_` +
      `${random.alphanumeric(16)}.json.gz`;
    return {
      key: `${folder}/${name}`,
      body: gzipSync(JSON.stringify({ Records: items })),
      records,
    };
  },
};
