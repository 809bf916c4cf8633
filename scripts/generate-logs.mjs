#!/usr/bin/env node
// Writes realistic AWS log files (CloudTrail, VPC Flow Logs, ALB, WAF, GuardDuty, plain
// application logs) under a directory, each at the object key the service would give it.
// The same options always write the same bytes. Also a module: the demo imports generateLogs.
//
//   node scripts/generate-logs.mjs --out DIR [--records N] [--files N] [--seed S]
//                                  [--types cloudtrail,vpcflow,...] [--start ISO-TIME]

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_START, GENERATORS, LOG_TYPES, generateLogs } from './lib/generators/index.mjs';

export { DEFAULT_START, LOG_TYPES, generateLogs };

const USAGE = `usage: generate-logs --out DIR [--records N] [--files N] [--seed S]
                     [--types ${LOG_TYPES.join(',')}] [--start ISO-TIME]

  --out DIR      where to write; each file goes to DIR/<its S3 object key>
  --records N    log records per file (default 100)
  --files N      files per log type (default 1)
  --seed S       any text or number; the same seed writes the same files (default 1)
  --types LIST   comma-separated log types (default: all)
  --start TIME   delivery time of the first file (default ${DEFAULT_START})

log types:
${GENERATORS.map(({ type, description }) => `  ${type.padEnd(11)} ${description}`).join('\n')}`;

function parseCount(name, text, fallback) {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`--${name} wants a whole number, not "${text}"`);
  return Number(text);
}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      records: { type: 'string' },
      files: { type: 'string' },
      seed: { type: 'string', default: '1' },
      types: { type: 'string' },
      start: { type: 'string', default: DEFAULT_START },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  if (!values.out) throw new Error('--out DIR is required');

  return {
    out: resolve(values.out),
    seed: values.seed,
    records: parseCount('records', values.records, 100),
    files: parseCount('files', values.files, 1),
    types: values.types ? values.types.split(',').map((type) => type.trim()) : LOG_TYPES,
    start: values.start,
  };
}

/** Writes every object under `out` at its key; returns the objects written. */
export function writeLogs(out, options) {
  const objects = generateLogs(options);
  for (const object of objects) {
    const path = join(out, object.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, object.body);
  }
  return objects;
}

function main(argv) {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(`generate-logs: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  let objects;
  try {
    objects = writeLogs(options.out, options);
  } catch (error) {
    console.error(`generate-logs: ${error.message}`);
    return 1;
  }
  for (const { type, key, records, body } of objects) {
    console.log(`${type.padEnd(10)} ${String(records).padStart(6)} records ` +
      `${String(body.length).padStart(9)} bytes  ${key}`);
  }
  const total = objects.reduce((sum, object) => sum + object.records, 0);
  console.log(`generate-logs: ${total} records in ${objects.length} files under ${options.out}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
