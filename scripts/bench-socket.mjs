// Socket benchmark (a benchmark, not a test): how fast events reach an analysisd-like receiver
// through three senders, each verified to deliver every event exactly once.
//
//   ours      this project: event object -> serializeEvent -> WazuhSocketSink (sendmmsg),
//             in a Node.js process of its own (bench/ours-sender.mjs)
//   baseline  what Wazuh's wodle does: Python, json.dumps, then a new socket, connect, send
//             and close for every event
//   limit     a plain C sendmmsg loop over ready-made datagrams: the machine's limit
//
// The receiver is a C program in its own process draining with recvmmsg as fast as it can
// (analysisd's queue holds only net.unix.max_dgram_qlen datagrams, so draining speed matters),
// and it times each mode from its first datagram to its last.
//
// Placement: on this kind of virtual machine a wake-up across CPUs costs far more than one on
// the same CPU, so where the scheduler puts sender and receiver decides the result (the C
// limit: about 0.9 M events/s on one CPU, 0.2 M/s across two), and it tends to keep one
// placement for a while. Each mode therefore runs both left to the scheduler and with
// sender and receiver pinned to one CPU (taskset, when installed), and counts its best.
//
// usage: npm run bench:socket [-- --events N --runs R]   (default 200000 events, 3 runs)
// Needs `npm run build` first (the addon and dist/).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const projectDir = dirname(dirname(fileURLToPath(import.meta.url)));
const benchDir = join(projectDir, 'scripts', 'bench');
const SIZES = [300, 2000];

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '3' },
  },
});
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const PLACEMENTS = [{ name: 'any CPU', prefix: [] }];
if (spawnSync('taskset', ['-c', '0', 'true']).status === 0) {
  PLACEMENTS.push({ name: 'one CPU', prefix: ['taskset', '-c', '0'] });
}

checkBuilt();
const workDir = mkdtempSync(join(tmpdir(), 'bench-socket-'));
try {
  const binaries = compileHelpers(workDir);
  const results = [];
  for (const size of SIZES) results.push(await benchSize(size, binaries));
  report(results);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

function checkBuilt() {
  const sink = join(projectDir, 'dist', 'wazuh', 'socket-sink.js');
  const addon = join(projectDir, 'build', 'Release', 'datagram.node');
  if (!existsSync(sink) || !existsSync(addon)) {
    console.error('bench-socket: dist/ or the addon is missing; run `npm run build` first.');
    process.exit(1);
  }
}

function compileHelpers(dir) {
  const binaries = { receiver: join(dir, 'receiver'), limit: join(dir, 'sendmmsg-limit') };
  for (const [name, output] of Object.entries(binaries)) {
    const source = join(benchDir, name === 'receiver' ? 'receiver.c' : 'sendmmsg-limit.c');
    const result = spawnSync('cc', ['-O2', '-o', output, source], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`bench-socket: cc failed on ${source}`);
  }
  return binaries;
}

async function benchSize(size, binaries) {
  const path = join(workDir, 'queue');
  const senders = {
    ours: [process.execPath, join(benchDir, 'ours-sender.mjs'), path, EVENTS, size],
    baseline: ['python3', join(benchDir, 'wodle-baseline.py'), path, EVENTS, size],
    limit: [binaries.limit, path, EVENTS, size],
  };
  const receiver = [binaries.receiver, path, EVENTS];

  // Runs interleave placements and modes, so that load from elsewhere hits each alike.
  const best = PLACEMENTS.map(() => ({ ours: 0, baseline: 0, limit: 0 }));
  for (let run = 0; run < RUNS; run++) {
    for (const [index, placement] of PLACEMENTS.entries()) {
      for (const [mode, sender] of Object.entries(senders)) {
        const rate = await measure(mode, placement.prefix, receiver, sender);
        best[index][mode] = Math.max(best[index][mode], rate);
      }
    }
  }
  return { size, placements: best, rates: bestOf(best) };
}

function bestOf(rateSets) {
  const modes = Object.keys(rateSets[0]);
  return Object.fromEntries(modes.map((mode) => [mode, Math.max(...rateSets.map((r) => r[mode]))]));
}

function printRow(label, rates) {
  const format = (rate) => Math.round(rate).toLocaleString('en-US').padStart(11);
  const vsBaseline = (rates.ours / rates.baseline).toFixed(2).padStart(14);
  const vsLimit = (rates.ours / rates.limit).toFixed(2).padStart(11);
  console.log(`${label} ${format(rates.ours)}  ${format(rates.baseline)}  ${format(rates.limit)}` +
    `${vsBaseline}${vsLimit}`);
}

/** Runs one sender against a fresh receiver; returns events/s, or exits if any was lost. */
async function measure(mode, prefix, receiverCommand, senderCommand) {
  const [command, ...args] = [...prefix, ...receiverCommand].map(String);
  const receiver = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => receiver.once('close', resolve));
  const lines = createInterface({ input: receiver.stdout })[Symbol.asyncIterator]();
  if ((await lines.next()).value !== 'ready') {
    throw new Error('bench-socket: receiver did not start');
  }

  await runChild(...[...prefix, ...senderCommand].map(String));
  const tally = JSON.parse((await lines.next()).value);
  await exited;

  if (tally.distinct !== EVENTS || tally.invalid !== 0) {
    console.error(`bench-socket: ${mode} lost events: ${JSON.stringify(tally)}`);
    process.exit(1);
  }
  return EVENTS / tally.seconds;
}

function runChild(command, ...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`bench-socket: ${command} exited with ${code}`));
    });
  });
}

function report(results) {
  console.log(`socket-bench: ${EVENTS} events per run, best of ${RUNS} run(s) per placement, ` +
    'every event of every run verified');
  console.log('events/s             ours/s   baseline/s      limit/s   ours/baseline  ours/limit');
  for (const { size, placements, rates } of results) {
    for (const [index, placement] of PLACEMENTS.entries()) {
      printRow(`${String(size).padStart(4)} B ${placement.name.padEnd(10)}`, placements[index]);
    }
    printRow(`${String(size).padStart(4)} B ${'best'.padEnd(10)}`, rates);
  }
  const { rates } = results[0];
  console.log(`socket-bench: ours/baseline=${(rates.ours / rates.baseline).toFixed(2)} ` +
    `ours/limit=${(rates.ours / rates.limit).toFixed(2)}`);
}
