// GuardDuty findings as GuardDuty exports them to S3: one finding per line (the shape
// GetFindings returns), gzip, named AWSLogs/<account>/GuardDuty/<region>/YYYY/MM/DD/<uuid>
// .jsonl.gz. Remote addresses come from the estate's documentation ranges.

import { gzipSync } from 'node:zlib';
import { addMs, datePath } from './time.mjs';

const ORGANIZATIONS = [
  { asn: '64500', asnOrg: 'EXAMPLE-HOSTING', isp: 'Example Hosting', org: 'Example Hosting' },
  { asn: '64501', asnOrg: 'SAMPLE-NET', isp: 'Sample Net', org: 'Sample Net' },
];

const COUNTRY_NAMES = { US: 'United States', DE: 'Germany', BR: 'Brazil', IN: 'India',
  JP: 'Japan', NL: 'Netherlands', FR: 'France', GB: 'United Kingdom', SG: 'Singapore',
  CN: 'China', RU: 'Russia', KR: 'South Korea' };

const DISCOVERY_CALLS = [
  ['ListBuckets', 's3.amazonaws.com'],
  ['DescribeInstances', 'ec2.amazonaws.com'],
  ['ListUsers', 'iam.amazonaws.com'],
  ['GetAccountSummary', 'iam.amazonaws.com'],
];

function remoteIpDetails(random, estate) {
  const client = random.pick(estate.clients);
  return {
    ipAddressV4: client.ip,
    country: { countryName: COUNTRY_NAMES[client.country] },
    organization: random.pick(ORGANIZATIONS),
  };
}

function instanceResource(estate, instance) {
  return {
    resourceType: 'Instance',
    instanceDetails: {
      instanceId: instance.id,
      instanceType: instance.type,
      availabilityZone: instance.az,
      imageId: instance.imageId,
      instanceState: 'running',
      networkInterfaces: [{
        networkInterfaceId: instance.eni,
        privateIpAddress: instance.privateIp,
        vpcId: estate.vpcId,
        securityGroups: [{ groupName: 'web', groupId: 'sg-0a1b2c3d4e5f60718' }],
      }],
      tags: [{ key: 'Name', value: `web-${instance.id.slice(-4)}` }],
    },
  };
}

function accessKeyResource(user) {
  return {
    resourceType: 'AccessKey',
    accessKeyDetails: {
      accessKeyId: user.accessKeyId,
      principalId: user.principalId,
      userName: user.name,
      userType: 'IAMUser',
    },
  };
}

// Each kind: [weight, { type, severity, title, build(random, estate) }],
// where build returns the subject, the resource, its role in the finding and the action.
const KINDS = [
  [30, {
    type: 'Recon:EC2/PortProbeUnprotectedPort',
    severity: 2,
    title: 'Unprotected port on EC2 instance is being probed.',
    build: (random, estate) => {
      const instance = random.pick(estate.instances);
      const port = random.pick([22, 3389, 5432, 6379]);
      return [instance, instanceResource(estate, instance), 'TARGET', {
        actionType: 'PORT_PROBE',
        portProbeAction: { blocked: false, portProbeDetails: [{
          localPortDetails: { port, portName: { 22: 'SSH', 3389: 'RDP' }[port] ?? 'Unknown' },
          remoteIpDetails: remoteIpDetails(random, estate),
        }] },
      }];
    },
  }],
  [25, {
    type: 'UnauthorizedAccess:EC2/SSHBruteForce',
    severity: 2,
    title: 'SSH brute force attacks against an EC2 instance.',
    build: (random, estate) => {
      const instance = random.pick(estate.instances);
      return [instance, instanceResource(estate, instance), 'TARGET', {
        actionType: 'NETWORK_CONNECTION',
        networkConnectionAction: {
          connectionDirection: 'INBOUND', protocol: 'TCP', blocked: false,
          localPortDetails: { port: 22, portName: 'SSH' },
          remotePortDetails: { port: random.int(32768, 60999), portName: 'Unknown' },
          remoteIpDetails: remoteIpDetails(random, estate),
        },
      }];
    },
  }],
  [10, {
    type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    severity: 8,
    title: 'EC2 instance querying a domain name associated with Bitcoin activity.',
    build: (random, estate) => {
      const instance = random.pick(estate.instances);
      return [instance, instanceResource(estate, instance), 'ACTOR', {
        actionType: 'DNS_REQUEST',
        dnsRequestAction: { domain: `pool${random.int(1, 9)}.mining.example`, protocol: 'UDP',
          blocked: false },
      }];
    },
  }],
  [20, {
    type: 'Discovery:IAMUser/AnomalousBehavior',
    severity: 5,
    title: 'Unusual discovery calls by an IAM user.',
    build: (random, estate) => {
      const user = random.pick(estate.users);
      const [api, serviceName] = random.pick(DISCOVERY_CALLS);
      return [user, accessKeyResource(user), 'TARGET', {
        actionType: 'AWS_API_CALL',
        awsApiCallAction: {
          api,
          serviceName,
          callerType: 'Remote IP',
          remoteIpDetails: remoteIpDetails(random, estate),
        },
      }];
    },
  }],
  [15, {
    type: 'UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B',
    severity: 5,
    title: 'Unusual console logins were seen.',
    build: (random, estate) => {
      const user = random.pick(estate.users);
      return [user, accessKeyResource(user), 'TARGET', {
        actionType: 'AWS_API_CALL',
        awsApiCallAction: { api: 'ConsoleLogin', serviceName: 'signin.amazonaws.com',
          callerType: 'Remote IP', remoteIpDetails: remoteIpDetails(random, estate) },
      }];
    },
  }],
];

function describe(kind, subject) {
  const name = subject.id ?? subject.name;
  return `${kind.title.replace(/\.$/, '')}: ${name}.`;
}

function finding(random, estate, seenAt) {
  const kind = random.weighted(KINDS);
  const [subject, resource, resourceRole, action] = kind.build(random, estate);
  const id = random.hex(32);
  const firstSeen = addMs(seenAt, -random.int(60_000, 6 * 3_600_000));

  return {
    schemaVersion: '2.0',
    accountId: estate.accountId,
    region: estate.region,
    partition: 'aws',
    id,
    arn: `arn:aws:guardduty:${estate.region}:${estate.accountId}:detector/${estate.detectorId}` +
      `/finding/${id}`,
    type: kind.type,
    resource,
    service: {
      serviceName: 'guardduty',
      detectorId: estate.detectorId,
      action,
      resourceRole,
      additionalInfo: { value: '{}', type: 'default' },
      eventFirstSeen: firstSeen.toISOString(),
      eventLastSeen: seenAt.toISOString(),
      archived: false,
      count: random.int(1, 40),
    },
    severity: kind.severity,
    createdAt: firstSeen.toISOString(),
    updatedAt: seenAt.toISOString(),
    title: kind.title,
    description: describe(kind, subject),
  };
}

export const guardduty = {
  type: 'guardduty',
  description: 'GuardDuty findings exported to S3, JSON lines, gzip',

  generate({ random, estate, records, deliveredAt }) {
    const lines = [];
    for (let i = 0; i < records; i++) {
      const seenAt = addMs(deliveredAt, -random.int(0, 15 * 60_000));
      lines.push(JSON.stringify(finding(random, estate, seenAt)));
    }

    const { accountId, region } = estate;
    const folder = `AWSLogs/${accountId}/GuardDuty/${region}/${datePath(deliveredAt)}`;
    return {
      key: `${folder}/${random.uuid()}.jsonl.gz`,
      body: gzipSync(`${lines.join('\n')}\n`),
      records,
    };
  },
};
