// Application Load Balancer access logs: one space-separated line per request in the documented
// field order (quoted where the field can hold spaces), gzip, one file per load balancer node
// and five minutes, named AWSLogs/<account>/elasticloadbalancing/<region>/YYYY/MM/DD/
// <account>_elasticloadbalancing_<region>_app.<name>.<id>_<time>_<node ip>_<random>.log.gz.

import { gzipSync } from 'node:zlib';
import { publicAddress } from './estate.mjs';
import { addMs, compactUtc, datePath } from './time.mjs';

const LOAD_BALANCER = 'web-prod';
const DOMAIN = 'shop.example.com';

const PATHS = [
  [30, ['GET', '/']],
  [20, ['GET', '/products?page=2']],
  [12, ['GET', '/static/app.3f9c1d.js']],
  [10, ['POST', '/api/cart']],
  [8, ['GET', '/api/products/1234']],
  [5, ['POST', '/api/checkout']],
  [4, ['GET', '/health']],
  [3, ['GET', '/wp-login.php']],
  [2, ['GET', '/search?q=1%27%20OR%20%271%27%3D%271']],
  [1, ['GET', '/.env']],
];

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 ' +
    '(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'curl/8.5.0',
  'python-requests/2.31.0',
];

const quote = (value) => `"${value}"`;
const seconds = (random, max) => (random.int(0, max) / 1000).toFixed(3);

/** 2026-11-02T08:04:59.186641Z: the load balancer writes microseconds. */
function microIso(date, random) {
  return date.toISOString().replace(/Z$/, `${String(random.int(0, 999)).padStart(3, '0')}Z`);
}

function outcome(random, method, path) {
  if (path === '/.env' || path === '/wp-login.php') return { elb: 404, target: 404 };
  if (random.chance(0.02)) return { elb: 502, target: null };
  if (method === 'POST' && random.chance(0.05)) return { elb: 400, target: 400 };
  return { elb: random.chance(0.1) ? 304 : 200, target: 200 };
}

function accessLine(random, estate, lb, time) {
  const [method, path] = random.weighted(PATHS);
  const type = random.weighted([[15, 'http'], [55, 'https'], [30, 'h2']]);
  const scheme = type === 'http' ? 'http' : 'https';
  const port = scheme === 'https' ? 443 : 80;
  const client = random.pick(estate.clients);
  const instance = random.pick(estate.instances);
  const target = `${instance.privateIp}:8080`;
  const status = outcome(random, method, path);
  const reachedTarget = status.target !== null;
  const createdAt = addMs(time, -random.int(1, 900));
  const traceId = `Root=1-${Math.floor(createdAt.getTime() / 1000).toString(16)}-${random.hex(24)}`;
  const version = type === 'h2' ? 'HTTP/2.0' : 'HTTP/1.1';
  const request = `${method} ${scheme}://${DOMAIN}:${port}${path} ${version}`;

  return [
    type,
    microIso(time, random),
    lb.resource,
    `${client.ip}:${random.int(1024, 65535)}`,
    reachedTarget ? target : '-',
    seconds(random, 2),
    reachedTarget ? seconds(random, 250) : '-1',
    reachedTarget ? seconds(random, 1) : '-1',
    status.elb,
    status.target ?? '-',
    random.int(80, method === 'POST' ? 4000 : 900),
    random.int(200, 60000),
    quote(request),
    quote(random.pick(USER_AGENTS)),
    scheme === 'https' ? 'ECDHE-RSA-AES128-GCM-SHA256' : '-',
    scheme === 'https' ? 'TLSv1.2' : '-',
    lb.targetGroupArn,
    quote(traceId),
    quote(scheme === 'https' ? DOMAIN : '-'),
    quote(scheme === 'https' ? lb.certificateArn : '-'),
    0,
    microIso(createdAt, random),
    quote('forward'),
    quote('-'),
    quote(reachedTarget ? '-' : 'TargetConnectionError'),
    quote(reachedTarget ? target : '-'),
    quote(status.target ?? '-'),
    quote('-'),
    quote('-'),
    `TID_${random.hex(32)}`,
  ].join(' ');
}

function loadBalancer(random, estate) {
  const id = estate.loadBalancerId;
  const prefix = `arn:aws:elasticloadbalancing:${estate.region}:${estate.accountId}`;
  return {
    id,
    resource: `app/${LOAD_BALANCER}/${id}`,
    nodeIp: publicAddress(random),
    targetGroupArn: `${prefix}:targetgroup/${LOAD_BALANCER}-tg/${random.hex(16)}`,
    certificateArn: `arn:aws:acm:${estate.region}:${estate.accountId}:certificate/${random.uuid()}`,
  };
}

export const alb = {
  type: 'alb',
  description: 'Application Load Balancer access logs, gzip',

  generate({ random, estate, records, deliveredAt }) {
    const lb = loadBalancer(random, estate);
    const lines = [];
    for (let i = 0; i < records; i++) {
      lines.push(accessLine(random, estate, lb, addMs(deliveredAt, -random.int(0, 5 * 60_000))));
    }

    const { accountId, region } = estate;
    const folder = `AWSLogs/${accountId}/elasticloadbalancing/${region}/${datePath(deliveredAt)}`;
    const name = `${accountId}_elasticloadbalancing_${region}_app.${LOAD_BALANCER}.${lb.id}_` +
      `${compactUtc(deliveredAt)}_${lb.nodeIp}_${random.alphanumeric(8).toLowerCase()}.log.gz`;
    return { key: `${folder}/${name}`, body: gzipSync(`${lines.join('\n')}\n`), records };
  },
};
