// Generates sets of realistic AWS log objects, reproducibly: the same options always give the
// same keys and the same bytes. Each object is { type, key, body, records }, where records is
// the number of log records in it (a VPC flow log's header line is not a record).

import { alb } from './alb.mjs';
import { applog } from './applog.mjs';
import { cloudtrail } from './cloudtrail.mjs';
import { createEstate } from './estate.mjs';
import { guardduty } from './guardduty.mjs';
import { forkRandom } from './random.mjs';
import { addMs } from './time.mjs';
import { vpcflow } from './vpcflow.mjs';
import { waf } from './waf.mjs';

export const GENERATORS = [cloudtrail, vpcflow, alb, waf, guardduty, applog];
export const LOG_TYPES = GENERATORS.map((generator) => generator.type);

/** The delivery time of the first file of each type; later files follow five minutes apart. */
export const DEFAULT_START = '2026-11-02T08:05:00Z';

const DELIVERY_INTERVAL_MS = 5 * 60_000;

function selectGenerators(types) {
  const unknown = types.filter((type) => !LOG_TYPES.includes(type));
  if (unknown.length > 0) {
    throw new Error(`unknown log type ${unknown.join(', ')} (known: ${LOG_TYPES.join(', ')})`);
  }
  return GENERATORS.filter((generator) => types.includes(generator.type));
}

function requireCount(name, value, min) {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min}, not ${value}`);
  }
}

/**
 * @param {object} [options]
 * @param {string|number} [options.seed] names the output: same seed, same files
 * @param {number} [options.records] log records per file
 * @param {number} [options.files] files per log type
 * @param {string[]} [options.types] which log types (default: all of LOG_TYPES)
 * @param {string} [options.start] ISO time of the first delivery
 */
export function generateLogs(options = {}) {
  const { seed = 1, records = 100, files = 1, types = LOG_TYPES, start = DEFAULT_START } = options;
  requireCount('records', records, 1);
  requireCount('files', files, 1);
  const firstDelivery = new Date(start);
  if (Number.isNaN(firstDelivery.getTime())) throw new Error(`start is not a time: ${start}`);

  // Every file draws from its own sequence, so adding a type or a file leaves the others as
  // they were.
  const estate = createEstate(forkRandom(seed, 'estate'));
  const objects = [];
  for (const generator of selectGenerators(types)) {
    for (let index = 0; index < files; index++) {
      const random = forkRandom(seed, generator.type, index);
      const deliveredAt = addMs(firstDelivery, index * DELIVERY_INTERVAL_MS);
      const object = generator.generate({ random, estate, records, deliveredAt });
      objects.push({ type: generator.type, ...object });
    }
  }
  return objects;
}
