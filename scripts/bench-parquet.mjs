#!/usr/bin/env node
// npm run bench:parquet: a benchmark, not a test. Writes one OCSF Parquet file of 200,000 rows
// (as Security Lake would), puts it in a local S3 (fauxqs on 127.0.0.1), queues its
// EventBridge "Object Created" event, and runs the real wrapper wodle/aws-s3 as
// `--subscriber security_lake` against it, with a local STS for the role and a datagram
// socket playing analysisd. It measures the wodle's peak RSS (VmHWM from /proc) and checks
// that every row arrived. The last line is:
//
//   parquet-bench: rows=N peak_rss_mb=M rows_per_s=R
//
//   npm run bench:parquet [-- --rows N] [--row-group N] [--objects N] [--heap-mb N] [--no-build]
//
// --objects N puts N copies of the file in S3 under their own keys, one notification each, so
// the wodle works on N messages at once (it runs up to 20): rows=N then counts all copies.
// --heap-mb N runs the wodle's node with --max-old-space-size=N (through NODE_OPTIONS), to
// see how a heap cap in the wrapper would change the peak; the default is the wrapper as is.

import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { eventBridgeNotification, startLocalAws } from './lib/local-aws.mjs';
import { startLocalSts } from './lib/local-sts.mjs';
import { ocsfParquet } from './lib/ocsf.mjs';
import { startReceiver } from './lib/receiver.mjs';
import {
  PROJECT_DIR, checkBuilt, makeWazuhDir, runWrapper, socketPathIn, wodleEnvironment,
} from './lib/wodle-run.mjs';

const BUCKET = 'aws-security-data-lake-us-east-1-bench';
const QUEUE = 'wazuh-security-lake-bench';
const KEY_PREFIX = 'aws/CLOUD_TRAIL_MGMT/2.0/region=us-east-1/accountId=111122223333/' +
  'eventDay=20240307/bench';
const ROLE_ARN = 'arn:aws:iam::111122223333:role/wazuh-security-lake-bench';
const EXTERNAL_ID = 'bench-external-id';
const TARGET_PEAK_RSS_MB = 200;
const RSS_SAMPLE_MS = 50;
/** A hung run still ends. */
const WODLE_TIMEOUT_MS = 600_000;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '200000' },
      'row-group': { type: 'string', default: '20000' },
      objects: { type: 'string', default: '1' },
      'heap-mb': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
    },
  });
  return {
    rows: positive('rows', values.rows),
    rowGroup: positive('row-group', values['row-group']),
    objects: positive('objects', values.objects),
    heapMb: values['heap-mb'] === undefined ? undefined : positive('heap-mb', values['heap-mb']),
    build: !values['no-build'],
  };
}

function positive(name, text) {
  const value = Number(text);
  if (Number.isSafeInteger(value) && value >= 1) return value;
  throw new Error(`--${name} wants a positive number`);
}

function requirePieces(build) {
  if (build) {
    const build = spawnSync('npm', ['run', '--silent', 'build:ts'],
      { cwd: PROJECT_DIR, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build:ts failed');
  }
  checkBuilt();
}

// ---------------------------------------------------------------------------------------------
// Peak memory of the wodle: the largest VmHWM among the wrapper and every process it starts.

function childrenOf(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
      return children.split(' ').filter(Boolean).map(Number);
    });
  } catch {
    return [];
  }
}

function peakRssKb(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function watchPeakRss(rootPid) {
  const peaks = new Map();
  const sample = () => {
    const pending = [rootPid];
    while (pending.length > 0) {
      const pid = pending.pop();
      peaks.set(pid, Math.max(peaks.get(pid) ?? 0, peakRssKb(pid)));
      pending.push(...childrenOf(pid));
    }
  };
  sample();
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Math.max(...peaks.values());
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** Runs the wodle, watching its peak RSS and when the receiver got all `rows` rows. */
async function runWodle(args, env, receiver, rows) {
  const startedAt = performance.now();
  let rss;
  const output = [];
  let allArrivedMs;
  const arrival = setInterval(() => {
    if (allArrivedMs !== undefined || receiver.count < rows) return;
    allArrivedMs = performance.now() - startedAt;
  }, 5);

  try {
    const run = await runWrapper(args, {
      env,
      timeoutMs: WODLE_TIMEOUT_MS,
      onStart(child) {
        rss = watchPeakRss(child.pid);
        child.stdout.on('data', (chunk) => output.push(chunk));
        child.stderr.on('data', (chunk) => output.push(chunk));
      },
    });
    return {
      ...run,
      deliverySeconds: (allArrivedMs ?? performance.now() - startedAt) / 1000,
      peakRssKb: rss.stop(),
      output: Buffer.concat(output).toString('utf8'),
    };
  } finally {
    clearInterval(arrival);
  }
}

async function main() {
  const { rows, rowGroup, objects, heapMb, build } = parseOptions();
  requirePieces(build);

  let started = performance.now();
  const parquet = ocsfParquet(rows, { rowGroupSize: rowGroup });
  const writeSeconds = (performance.now() - started) / 1000;
  console.log(`parquet-bench: wrote ${rows} OCSF rows in row groups of ${rowGroup}: ` +
    `${(parquet.length / 1048576).toFixed(1)} MiB in ${writeSeconds.toFixed(1)} s`);

  const wazuhDir = makeWazuhDir('parquet-bench-');
  const aws = await startLocalAws();
  const sts = await startLocalSts();
  const receiver = startReceiver(socketPathIn(wazuhDir), { keep: false });
  try {
    const queueUrl = await aws.createQueue(QUEUE);
    await aws.createBucket(BUCKET);
    started = performance.now();
    for (let object = 1; object <= objects; object++) {
      const key = `${KEY_PREFIX}-${object}.gz.parquet`;
      const size = await aws.putObject(BUCKET, key, parquet);
      await aws.sendMessage(queueUrl, eventBridgeNotification(BUCKET, key, size, aws.region));
    }
    const uploadSeconds = (performance.now() - started) / 1000;
    console.log(`parquet-bench: uploaded ${objects} object(s) to ${aws.endpoint} ` +
      `in ${uploadSeconds.toFixed(1)} s`);

    const args = [
      '--subscriber', 'security_lake', '--queue', QUEUE,
      '--iam_role_arn', ROLE_ARN, '--external_id', EXTERNAL_ID,
      '--sts_endpoint', sts.endpoint, '--service_endpoint', aws.endpoint,
    ];
    const expected = rows * objects;
    const heapCap = heapMb === undefined ? {} : { NODE_OPTIONS: `--max-old-space-size=${heapMb}` };
    const env = wodleEnvironment(wazuhDir, aws.env, heapCap);
    const run = await runWodle(args, env, receiver, expected);
    await new Promise((resolve) => setTimeout(resolve, 200));
    report(run, expected, receiver.count, await aws.queueDepth(queueUrl), sts.requests.length);
  } finally {
    receiver.stop();
    await sts.stop();
    await aws.stop();
    rmSync(wazuhDir, { recursive: true, force: true });
  }
}

function report(run, rows, received, queueDepth, assumeRoleCalls) {
  const lastLines = run.output.trim().split('\n').slice(-5);
  for (const line of lastLines) console.log(`    ${line}`);
  const exit = run.code ?? run.signal;
  console.log(`parquet-bench: wodle exit ${exit} after ${run.seconds.toFixed(1)} s; ` +
    `${received} of ${rows} rows arrived in ${run.deliverySeconds.toFixed(1)} s; ` +
    `${queueDepth} message(s) left; ${assumeRoleCalls} AssumeRole call(s)`);

  const peakRssMb = run.peakRssKb / 1024;
  const ok = run.code === 0 && received === rows && queueDepth === 0;
  if (!ok) process.exitCode = 1;
  if (peakRssMb >= TARGET_PEAK_RSS_MB) {
    console.log(`parquet-bench: peak RSS is over the ${TARGET_PEAK_RSS_MB} MB target`);
  }
  const rowsPerSecond = Math.round(received / run.deliverySeconds);
  const peak = peakRssMb.toFixed(0);
  console.log(`parquet-bench: rows=${received} peak_rss_mb=${peak} rows_per_s=${rowsPerSecond}`);
}

main().catch((error) => {
  console.error(`parquet-bench: ${error.message}`);
  process.exitCode = 1;
});
