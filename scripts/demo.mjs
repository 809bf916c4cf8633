#!/usr/bin/env node
// npm run demo: the subscriber's main job on a built-in local setup, with no AWS account and no
// Wazuh. fauxqs plays S3 and SQS on 127.0.0.1, a datagram socket plays analysisd, and the real
// wrapper wodle/aws-s3 runs the way wazuh-modulesd starts it. Then the demo checks what arrived:
// every record of every generated file, as one event each, and nothing left in the queue.
//
//   npm run demo [-- --records N] [--files N] [--seed S] [--corpus [DIR]] [--debug 1|2|3]

import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateLogs } from './generate-logs.mjs';
import { startLocalAws } from './lib/local-aws.mjs';
import {
  PROJECT_DIR, checkBuilt, makeWazuhDir, runWrapper, socketPathIn, stopProcessGroup,
  wodleEnvironment,
} from './lib/wodle-run.mjs';

const DEFAULT_CORPUS = resolve(PROJECT_DIR, '..', 'shared', 'corpus', 'logs');

const BUCKET = 'demo-aws-logs';
const QUEUE = 'wazuh-demo-queue';
const FRAME_PREFIX = '1:Wazuh-AWS:';

/** Long enough for thousands of events on a slow machine; a hung run still ends. */
const WODLE_TIMEOUT_MS = 180_000;
const UPLOAD_CONCURRENCY = 8;

const USAGE = `usage: npm run demo -- [--records N] [--files N] [--seed S] [--corpus [DIR]]
                        [--debug 1|2|3]

  --records N    log records per generated file (default 250)
  --files N      generated files per log type (default 2)
  --seed S       seed of the log generator (default 1)
  --corpus DIR   also upload the real sample logs under DIR
                 (without DIR: ${DEFAULT_CORPUS})
  --debug N      passed on to the wodle, as wazuh-modulesd does when its debug level is raised`;

class UsageError extends Error {}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGPIPE: 141, SIGTERM: 143 };

/** A signal asked the demo to stop; the steps check for it between them. */
class Interrupted extends Error {
  constructor(signal) {
    super(`${signal} received`);
    this.exitCode = SIGNAL_EXIT_CODES[signal];
  }
}

function throwIfInterrupted(resources) {
  if (resources.interrupted) throw new Interrupted(resources.interrupted);
}

// ---------------------------------------------------------------------------------------------
// Options

function parseCount(name, text, fallback) {
  if (text === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`--${name} wants a positive number`);
  return Number(text);
}

/** `--corpus` takes an optional directory, which parseArgs cannot express: fill it in here. */
function withCorpusDir(argv) {
  return argv.flatMap((arg, index) => {
    const next = argv[index + 1];
    const bare = arg === '--corpus' && (next === undefined || next.startsWith('--'));
    return bare ? [arg, DEFAULT_CORPUS] : [arg];
  });
}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: withCorpusDir(argv),
    options: {
      records: { type: 'string' },
      files: { type: 'string' },
      seed: { type: 'string', default: '1' },
      corpus: { type: 'string' },
      debug: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.debug !== undefined && !['1', '2', '3'].includes(values.debug)) {
    throw new UsageError('--debug wants 1, 2 or 3');
  }

  return {
    help: values.help ?? false,
    records: parseCount('records', values.records, 250),
    files: parseCount('files', values.files, 2),
    seed: values.seed,
    corpus: values.corpus === undefined ? undefined : resolve(values.corpus),
    debug: values.debug,
  };
}

// ---------------------------------------------------------------------------------------------
// What goes into the bucket

/** Every file under the corpus directory, typed by its first folder (cloudtrail/, alb/, ...). */
function corpusObjects(corpusDir) {
  const paths = readdirSync(corpusDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();

  return paths.map((path) => {
    const relativePath = relative(corpusDir, path).split(sep).join('/');
    return {
      type: relativePath.includes('/') ? relativePath.split('/')[0] : 'corpus',
      key: `corpus/${relativePath}`,
      body: readFileSync(path),
      records: undefined,
      fromCorpus: true,
    };
  });
}

async function forEachLimited(items, limit, action) {
  let next = 0;
  async function worker() {
    while (next < items.length) await action(items[next++]);
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ---------------------------------------------------------------------------------------------
// Running the wodle as wazuh-modulesd does

/** Prints each complete line of a stream, indented, as it comes. */
function echoLines(stream, prefix, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    for (const line of lines) onLine(`${prefix}${line}`);
  });
  stream.on('end', () => {
    if (pending) onLine(`${prefix}${pending}`);
  });
}

/** Runs the wodle, echoing its output; `running.child` is the process while it runs. */
async function runWodle(args, env, cwd, running) {
  try {
    return await runWrapper(args, {
      env,
      cwd,
      timeoutMs: WODLE_TIMEOUT_MS,
      onStart(child) {
        running.child = child;
        echoLines(child.stdout, '    ', (line) => console.log(line));
        echoLines(child.stderr, '    stderr: ', (line) => console.log(line));
      },
      onTimeout() {
        console.log(`demo: the wodle still runs after ${WODLE_TIMEOUT_MS / 1000} s; stopping it`);
      },
    });
  } finally {
    running.child = undefined;
  }
}

/**
 * Watches the receiver's count while the wodle runs: when the first event arrived and when the
 * last one did. The wodle's own run time also holds Node.js start-up and the final receive
 * that finds the queue empty, which say nothing about how fast events flow.
 */
function watchDelivery(receiver) {
  const span = { count: 0, firstMs: 0, lastMs: 0 };
  const timer = setInterval(() => {
    if (receiver.count === span.count) return;
    const now = performance.now();
    if (span.count === 0) span.firstMs = now;
    span.lastMs = now;
    span.count = receiver.count;
  }, 5);
  return () => {
    clearInterval(timer);
    return (span.lastMs - span.firstMs) / 1000;
  };
}

function describeThroughput(events, deliverySeconds, run) {
  const whole = `            (the wodle ran ${run.seconds.toFixed(2)} s in all, Node.js start-up ` +
    'and the last, empty receive included)';
  if (deliverySeconds < 0.05) return `throughput: too few events to time\n${whole}`;
  return `throughput: ${(events / deliverySeconds).toFixed(0)} events/s: ${events} events ` +
    `reached the socket within ${deliverySeconds.toFixed(2)} s\n${whole}`;
}

// ---------------------------------------------------------------------------------------------
// What analysisd got

/** Splits the datagrams into events per object key, and the ones that are not well framed. */
export function sortDatagrams(datagrams) {
  const eventsByKey = new Map();
  const malformed = [];
  for (const datagram of datagrams) {
    const event = parseFrame(datagram);
    const key = event?.aws?.log_info?.log_file;
    if (typeof key !== 'string') {
      malformed.push(datagram);
      continue;
    }
    if (!eventsByKey.has(key)) eventsByKey.set(key, []);
    eventsByKey.get(key).push(event);
  }
  return { eventsByKey, malformed };
}

function parseFrame(datagram) {
  if (!datagram.startsWith(FRAME_PREFIX)) return undefined;
  try {
    return JSON.parse(datagram.slice(FRAME_PREFIX.length));
  } catch {
    return undefined;
  }
}

/** A few members of each object, strings cut short: enough to see an event's shape. */
function abridge(value, depth = 0) {
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 57)}...` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 3) return Array.isArray(value) ? `[${value.length} items]` : '{...}';
  if (Array.isArray(value)) {
    const shown = value.slice(0, 2).map((item) => abridge(item, depth + 1));
    return value.length > 2 ? [...shown, `... ${value.length - 2} more`] : shown;
  }

  const entries = Object.entries(value);
  const shown = {};
  for (const [name, member] of entries.slice(0, 9)) shown[name] = abridge(member, depth + 1);
  if (entries.length > 9) shown['...'] = `${entries.length - 9} more members`;
  return shown;
}

const shortKey = (key) => (key.length > 72 ? `...${key.slice(-69)}` : key);

function printObjects(objects, eventsByKey) {
  console.log('\nevents per log type and source object:');
  for (const type of [...new Set(objects.map((object) => object.type))]) {
    const ofType = objects.filter((object) => object.type === type);
    const events = ofType.reduce((sum, object) => sum + countOf(eventsByKey, object), 0);
    console.log(`  ${type.padEnd(16)} ${String(events).padStart(6)} events from ` +
      `${ofType.length} object${ofType.length === 1 ? '' : 's'}`);
    for (const object of ofType) {
      const got = countOf(eventsByKey, object);
      const expected = object.records === undefined ? '' : ` of ${object.records}`;
      const mark = isComplete(object, got) ? ' ' : '!';
      const count = `${String(got).padStart(6)}${expected.padEnd(8)}`;
      console.log(`   ${mark}${count} ${shortKey(object.key)}`);
    }
  }
}

function printSamples(objects, eventsByKey) {
  const sampleTypes = ['cloudtrail', 'vpcflow', 'applog'];
  console.log('\nsample events (abridged):');
  for (const type of sampleTypes) {
    const object = objects.find((candidate) => candidate.type === type && !candidate.fromCorpus);
    const event = object && eventsByKey.get(object.key)?.[0];
    if (!event) continue;
    console.log(`  ${type}:`);
    console.log(JSON.stringify(abridge(event), null, 2).replace(/^/gm, '    '));
  }
}

const countOf = (eventsByKey, object) => eventsByKey.get(object.key)?.length ?? 0;

/**
 * A generated file must give exactly one event per record. A corpus file's count is unknown,
 * and may rightly be zero (a CloudTrail digest file holds no events); its log type as a whole
 * must still give some.
 */
function isComplete(object, events) {
  return object.records === undefined || events === object.records;
}

/** What is off about a run, one sentence each; empty when everything arrived. */
export function findProblems({ objects, eventsByKey, malformed, run, depth }) {
  const problems = [];
  if (run.code !== 0) problems.push(`the wodle exited with ${run.code ?? run.signal}`);
  if (depth !== 0) problems.push(`${depth} message(s) left in the queue`);
  if (malformed.length > 0) problems.push(`${malformed.length} datagram(s) not framed as events`);

  for (const type of new Set(objects.map((object) => object.type))) {
    const ofType = objects.filter((object) => object.type === type);
    if (ofType.every((object) => countOf(eventsByKey, object) === 0)) {
      problems.push(`no events of log type ${type}`);
    }
  }
  const incomplete = objects.filter((object) => !isComplete(object, countOf(eventsByKey, object)));
  if (incomplete.length > 0) problems.push(`${incomplete.length} object(s) marked ! above`);

  const known = new Set(objects.map((object) => object.key));
  const strangers = [...eventsByKey.keys()].filter((key) => !known.has(key));
  if (strangers.length > 0) problems.push(`events name unknown objects: ${strangers.join(', ')}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The demo

/** Puts every object in the bucket and its S3 notification on the queue; returns the queue. */
async function uploadLogs(aws, objects) {
  await aws.createBucket(BUCKET);
  const queueUrl = await aws.createQueue(QUEUE);
  await forEachLimited(objects, UPLOAD_CONCURRENCY, (object) =>
    aws.putAndNotify(queueUrl, BUCKET, object.key, object.body));

  const bytes = objects.reduce((sum, object) => sum + object.body.length, 0);
  console.log(`demo: uploaded ${objects.length} objects (${(bytes / 1024).toFixed(0)} KiB) to ` +
    `s3://${BUCKET}, one S3 notification each on ${QUEUE}`);
  return queueUrl;
}

/** Runs the wodle while the receiver listens; returns the run and the delivery time. */
async function runWithReceiver(options, aws, resources) {
  // Loaded here, once the addon it needs is known to be built.
  const { startReceiver } = await import('./lib/receiver.mjs');
  const wazuhDir = resources.tempDir;
  const receiver = startReceiver(socketPathIn(wazuhDir));
  resources.receiver = receiver;
  console.log(`demo: analysisd's socket ${receiver.path} is listening`);

  const args = ['--subscriber', 'buckets', '--queue', QUEUE];
  if (options.debug) args.push('--debug', options.debug);
  console.log(`demo: running wodle/aws-s3 ${args.join(' ')}`);
  const stopWatching = watchDelivery(receiver);
  const run = await runWodle(args, wodleEnvironment(wazuhDir, aws.env), wazuhDir, resources);
  const deliverySeconds = stopWatching();
  console.log(`demo: the wodle exited with ${run.code ?? run.signal} after ` +
    `${run.seconds.toFixed(2)} s`);
  throwIfInterrupted(resources);

  // Every datagram was in the socket's queue before the wodle exited; stop() reads the rest.
  resources.receiver = undefined;
  receiver.stop();
  return { run, deliverySeconds, datagrams: receiver.datagrams };
}

function report({ objects, datagrams, run, deliverySeconds, depth }) {
  const { eventsByKey, malformed } = sortDatagrams(datagrams);
  printObjects(objects, eventsByKey);
  printSamples(objects, eventsByKey);

  const types = new Set(objects.map((object) => object.type)).size;
  console.log(`\nqueue ${QUEUE}: ${depth} message(s) left`);
  console.log(describeThroughput(datagrams.length, deliverySeconds, run));

  const problems = findProblems({ objects, eventsByKey, malformed, run, depth });
  for (const problem of problems) console.log(`demo: FAILED: ${problem}`);
  console.log(`demo: ${datagrams.length} events from ${objects.length} objects (${types} log ` +
    `types) in ${run.seconds.toFixed(1)} s`);
  return problems.length === 0 ? 0 : 1;
}

async function demo(options, resources) {
  checkBuilt();
  resources.tempDir = makeWazuhDir('wazuh-aws-demo-');
  const aws = await startLocalAws();
  resources.aws = aws;
  throwIfInterrupted(resources);
  console.log(`demo: S3 and SQS (fauxqs) on ${aws.endpoint}, ` +
    `Wazuh directory ${resources.tempDir}`);

  const { seed, records, files } = options;
  const objects = generateLogs({ seed, records, files });
  if (options.corpus) objects.push(...corpusObjects(options.corpus));
  const queueUrl = await uploadLogs(aws, objects);
  throwIfInterrupted(resources);

  const { run, deliverySeconds, datagrams } = await runWithReceiver(options, aws, resources);
  const depth = await aws.queueDepth(queueUrl);
  return report({ objects, datagrams, run, deliverySeconds, depth });
}

async function cleanUp(resources) {
  const { child, receiver, aws, tempDir } = resources;
  Object.assign(resources, { child: undefined, receiver: undefined, aws: undefined });
  if (child) stopProcessGroup(child);
  receiver?.stop();
  await aws?.stop().catch(() => {});
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

/** The AWS SDK warns about Node.js 20 on every run; the demo's own clients need no warning. */
function silenceSdkVersionWarning() {
  const emitWarning = process.emitWarning.bind(process);
  const isSdkVersionWarning = (warning) =>
    `${warning?.name ?? ''} ${warning?.message ?? warning}`.includes('NodeVersionSupportWarning');
  process.emitWarning = (warning, ...rest) => {
    if (!isSdkVersionWarning(warning)) emitWarning(warning, ...rest);
  };
}

async function main(argv) {
  silenceSdkVersionWarning();
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(`demo: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.corpus && !existsSync(options.corpus)) {
    console.log(`demo: no corpus at ${options.corpus}; uploading generated logs only`);
    options.corpus = undefined;
  }

  // A first signal stops the wodle and lets the steps unwind through the cleanup below; a
  // second one leaves at once.
  const resources = {};
  const onSignal = (signal) => {
    if (resources.interrupted) {
      if (resources.child) stopProcessGroup(resources.child);
      if (resources.tempDir) rmSync(resources.tempDir, { recursive: true, force: true });
      process.exit(new Interrupted(signal).exitCode);
    }
    console.log(`demo: ${signal}, cleaning up`);
    resources.interrupted = signal;
    if (resources.child) stopProcessGroup(resources.child);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Output piped into `head` that has had enough: stop as if interrupted, and clean up.
  process.stdout.on('error', () => {
    if (!resources.interrupted) onSignal('SIGPIPE');
  });

  try {
    return await demo(options, resources);
  } catch (error) {
    if (error instanceof Interrupted) return error.exitCode;
    console.log(`demo: FAILED: ${error.message}`);
    return 1;
  } finally {
    await cleanUp(resources);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
