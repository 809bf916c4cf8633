// Plain-text application logs, as a log shipper (Fluent Bit's S3 output, say) uploads them:
// one line per entry (timestamp, level, service, request id, message with key=value pairs),
// not compressed, under app-logs/<service>/YYYY/MM/DD/.

import { addMs, compactUtc, datePath } from './time.mjs';

const SERVICE = 'checkout-api';

// [weight, level, message builder]
const ENTRIES = [
  [40, ['INFO', (random, estate) =>
    `request completed method=GET path=/api/cart status=200 duration_ms=${random.int(3, 180)} ` +
    `user=${random.pick(estate.users).name}`]],
  [20, ['INFO', (random, estate) =>
    `order placed order_id=ord-${random.hex(10)} items=${random.int(1, 6)} ` +
    `total=${(random.int(500, 40000) / 100).toFixed(2)} user=${random.pick(estate.users).name}`]],
  [10, ['DEBUG', (random) =>
    `cache lookup key=product:${random.int(1000, 9999)} hit=${random.chance(0.8)}`]],
  [10, ['WARN', (random, estate) =>
    `login failed user=${random.pick(estate.users).name} ` +
    `src_ip=${random.pick(estate.clients).ip} reason=bad_password`]],
  [6, ['WARN', (random) =>
    `slow query table=orders duration_ms=${random.int(800, 4000)} rows=${random.int(1, 5000)}`]],
  [4, ['ERROR', (random) =>
    `payment provider error code=${random.pick(['timeout', 'card_declined', 'http_502'])} ` +
    `attempt=${random.int(1, 3)}`]],
];

function logLine(random, estate, time) {
  const [level, message] = random.weighted(ENTRIES);
  return `${time.toISOString()} ${level.padEnd(5)} ${SERVICE} [req-${random.hex(12)}] ` +
    message(random, estate);
}

export const applog = {
  type: 'applog',
  description: 'plain-text application log, not compressed',

  generate({ random, estate, records, deliveredAt }) {
    // Lines are in time order, as a process writes its log.
    const startsAt = addMs(deliveredAt, -5 * 60_000);
    const offsetsMs = Array.from({ length: records }, () => random.int(0, 5 * 60_000 - 1));
    offsetsMs.sort((a, b) => a - b);
    const lines = offsetsMs.map((offsetMs) => logLine(random, estate, addMs(startsAt, offsetMs)));

    const instance = random.pick(estate.instances);
    const name = `${SERVICE}-${instance.id}-${compactUtc(deliveredAt)}.log`;
    return {
      key: `app-logs/${SERVICE}/${datePath(deliveredAt)}/${name}`,
      body: Buffer.from(`${lines.join('\n')}\n`),
      records,
    };
  },
};
