// VPC Flow Logs in the default version 2 format: a header line naming the fields, then one
// space-separated record per flow, gzip, delivered every five minutes as
// AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/<account>_vpcflowlogs_<region>_<flow log
// id>_<time>_<hash>.log.gz.

import { gzipSync } from 'node:zlib';
import { publicAddress } from './estate.mjs';
import { addMs, compactUtc, datePath, epochSeconds } from './time.mjs';

const FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
  'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status',
];

const TCP = 6;
const UDP = 17;
const ICMP = 1;

const ephemeralPort = (random) => random.int(32768, 60999);

/** Another instance of the estate than the one that owns the interface. */
function peerOf(random, estate, host) {
  const others = estate.instances.filter((instance) => instance !== host);
  return random.pick(others);
}

// Each shape returns [srcaddr, dstaddr, srcport, dstport, protocol, action] for one flow seen
// on the interface of `host`.
const SHAPES = [
  [40, (random, estate, host) => // a client of the public web tier
    [random.pick(estate.clients).ip, host.privateIp, ephemeralPort(random),
      random.pick([443, 443, 80]), TCP, 'ACCEPT']],
  [25, (random, estate, host) => // the instance calling out to an API over HTTPS
    [host.privateIp, publicAddress(random), ephemeralPort(random), 443, TCP, 'ACCEPT']],
  [15, (random, estate, host) => // east-west traffic to the database
    [peerOf(random, estate, host).privateIp, host.privateIp, ephemeralPort(random), 5432,
      TCP, 'ACCEPT']],
  [8, (random, estate, host) => // DNS to the VPC resolver
    [host.privateIp, '10.0.0.2', ephemeralPort(random), 53, UDP, 'ACCEPT']],
  [10, (random, estate, host) => // scanners knocking on closed ports
    [publicAddress(random), host.privateIp, ephemeralPort(random),
      random.pick([22, 23, 3389, 445, 1433, 6379]), TCP, 'REJECT']],
  [2, (random, estate, host) => // ping
    [publicAddress(random), host.privateIp, 0, 0, ICMP, random.pick(['ACCEPT', 'REJECT'])]],
];

function flowRecord(random, estate, host, endsAt) {
  const start = epochSeconds(addMs(endsAt, -random.int(30_000, 60_000)));
  const end = epochSeconds(endsAt);
  const head = ['2', estate.accountId, host.eni];

  // An interface with no traffic in the window, or one whose records were skipped.
  if (random.chance(0.02)) {
    const status = random.chance(0.7) ? 'NODATA' : 'SKIPDATA';
    return [...head, '-', '-', '-', '-', '-', '-', '-', start, end, '-', status].join(' ');
  }

  const shape = random.weighted(SHAPES);
  const [src, dst, srcPort, dstPort, protocol, action] = shape(random, estate, host);
  const packets = action === 'REJECT' ? random.int(1, 3) : random.int(2, 400);
  const bytes = packets * random.int(40, 1400);
  return [...head, src, dst, srcPort, dstPort, protocol, packets, bytes, start, end, action, 'OK']
    .join(' ');
}

export const vpcflow = {
  type: 'vpcflow',
  description: 'VPC Flow Logs, version 2 default format with header line, gzip',

  generate({ random, estate, records, deliveredAt }) {
    const lines = [FIELDS.join(' ')];
    for (let i = 0; i < records; i++) {
      const endsAt = addMs(deliveredAt, -random.int(0, 5 * 60_000));
      lines.push(flowRecord(random, estate, random.pick(estate.instances), endsAt));
    }

    const { accountId, region } = estate;
    const flowLogId = `fl-0${random.hex(16)}`;
    const folder = `AWSLogs/${accountId}/vpcflowlogs/${region}/${datePath(deliveredAt)}`;
    const name = `${accountId}_vpcflowlogs_${region}_${flowLogId}_${compactUtc(deliveredAt)}_` +
      `${random.hex(8)}.log.gz`;
    return { key: `${folder}/${name}`, body: gzipSync(`${lines.join('\n')}\n`), records };
  },
};
