// Benchmark sender for this project's path, run as its own process like the other senders:
// builds each event object, serialises it with serializeEvent and hands it to
// WazuhSocketSink in chunks, as the pipeline does. Needs `npm run build` first.
//
// usage: node ours-sender.mjs PATH EVENTS SIZE

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const { serializeEvent } = await import(join(projectDir, 'dist', 'wazuh', 'frame.js'));
const { WazuhSocketSink } = await import(join(projectDir, 'dist', 'wazuh', 'socket-sink.js'));
const { RunStats } = await import(join(projectDir, 'dist', 'stats.js'));

/** Events per write(), about what one parsed chunk of a log object holds. */
const WRITE_CHUNK = 1000;

const [path, eventsArgument, sizeArgument] = process.argv.slice(2);
const events = Number(eventsArgument);
const pad = paddingFor(Number(sizeArgument));

const sink = new WazuhSocketSink({ socketPath: path, stats: new RunStats() });
await sink.open();
for (let first = 0; first < events; first += WRITE_CHUNK) {
  const chunk = [];
  const end = Math.min(first + WRITE_CHUNK, events);
  for (let seq = first; seq < end; seq++) chunk.push(serializeEvent(makeEvent(seq, pad)).json);
  await sink.write(chunk);
}
await sink.close();

/** The event shape the Python baseline builds too. */
function makeEvent(seq, message) {
  return {
    integration: 'aws',
    aws: {
      log_info: { log_file: 'AWSLogs/bench/events.json.gz', s3bucket: 'bench-bucket' },
      seq,
      message,
      source: 'custom',
    },
  };
}

/** Padding that makes the datagram about size bytes. */
function paddingFor(size) {
  const overhead = '1:Wazuh-AWS:'.length + JSON.stringify(makeEvent(0, '')).length;
  return 'p'.repeat(Math.max(0, size - overhead));
}
