// The program's entry point, run by the `wodle/aws-s3` wrapper. The only place that catches
// errors, prints the final `ERROR:` line and exits: everything below it throws typed errors
// (src/errors.ts, ./cli-errors.ts) that carry their exit code.
//
// Exit codes, as wazuh-modulesd reads them (README "Exit codes and troubleshooting"):
//   0 success, 1 unknown error, 2 bad arguments or SIGINT, 3 invalid credentials,
//   8 decompression failed, 9 parsing failed, 11 Wazuh not reachable, 12 invalid subscriber
//   type or unexpected error, 13 sending to Wazuh failed, 15 invalid endpoint, 16 throttled,
//   20 queue not found, 21 queue receive/delete failed or Security Lake argument missing,
//   22 invalid region, 23 profile not found, 143 SIGTERM; a bucket or service run ends with
//   the code of Wazuh's Python wodle.

import { ArgumentError, ExitCode, WodleError } from '../errors.js';
import { Logger } from '../log.js';
import { RunStats } from '../stats.js';
import { resolveWazuhDir } from '../wazuh/paths.js';
import { parseCommandLine, type CommandLine } from './args.js';
import { handOff } from './handoff.js';
import { helpText, PROGRAM_NAME, USAGE } from './help.js';
import type { SubscriberOptions } from './options.js';
import { ProgressLine } from './progress.js';

/**
 * Wazuh's wodle ends with 2 on SIGINT, after one ERROR line. SIGTERM (a service manager, or
 * modulesd stopping) ends with 143, what a shell reports for a process SIGTERM ended (128 + 15).
 */
const STOP_EXIT_CODES = { SIGINT: ExitCode.badArguments, SIGTERM: 143 } as const;
type StopSignal = keyof typeof STOP_EXIT_CODES;

/** How long a signalled run may take to delete the messages it finished before it exits anyway. */
const STOP_GRACE_MS = 5_000;

/** The AWS SDK warns on stderr under Node 20; modulesd would forward it as events. */
const SUPPRESSED_WARNING = 'NodeVersionSupportWarning';

async function main(argv: readonly string[]): Promise<void> {
  suppressSdkVersionWarning();
  let logger = new Logger();

  try {
    const commandLine = parseCommandLine(argv);
    logger = new Logger(debugLevelOf(commandLine));
    await finish(await execute(commandLine, logger));
  } catch (error) {
    await finish(report(error, logger));
  }
}

async function execute(commandLine: CommandLine, logger: Logger): Promise<number> {
  switch (commandLine.kind) {
    case 'help':
      process.stdout.write(helpText());
      return ExitCode.success;
    case 'handoff':
      // The Python wodle gets the terminal's SIGINT too and reports it itself.
      process.on('SIGINT', () => {});
      return handOff(commandLine.mode, commandLine.argv, resolveWazuhDir(process.env));
    case 'subscriber':
      return subscribe(commandLine.options, logger);
  }
}

async function subscribe(options: SubscriberOptions, baseLogger: Logger): Promise<number> {
  const stats = new RunStats();
  const progress = ProgressLine.wanted() ? new ProgressLine(stats) : undefined;
  const logger = progress ? new Logger(options.debugLevel, progress.lineWriter()) : baseLogger;

  const stop = new StopOnSignal(stats, (line, exitCode) => {
    progress?.stop();
    logger.error(line);
    void finish(exitCode);
  });

  // Loaded only here: help and hand-off runs need neither the pipeline nor the AWS SDK.
  const { runSubscriber } = await import('../run.js');
  progress?.start();
  try {
    const exitCode = await runSubscriber(options, logger, stats, stop.signal);
    return stop.requested ? concludeStop(stop, logger) : exitCode;
  } catch (error) {
    if (!stop.requested) throw error;
    // The signal is what ended the run; what failed while it stopped is detail.
    const message = error instanceof Error ? error.message : String(error);
    logger.debug(1, `While stopping: ${message}`);
    return concludeStop(stop, logger);
  } finally {
    progress?.stop();
  }
}

/**
 * SIGINT and SIGTERM during a subscriber run. The first one aborts `signal`: the run stops
 * receiving, deletes the messages it had finished and ends, and conclude() gives its ERROR
 * line and exit code. A second signal, or STOP_GRACE_MS without an end, ends the run at once
 * through `exitNow`. Either way one ERROR line names the signal and what was deleted.
 */
class StopOnSignal {
  private readonly controller = new AbortController();
  private readonly stats: RunStats;
  private readonly exitNow: (line: string, exitCode: number) => void;
  private received: StopSignal | undefined;
  private ended = false;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(stats: RunStats, exitNow: (line: string, exitCode: number) => void) {
    this.stats = stats;
    this.exitNow = exitNow;
    // Listening also keeps Node from ending the process at SIGTERM, before the deletes.
    process.on('SIGINT', () => this.onSignal('SIGINT'));
    process.on('SIGTERM', () => this.onSignal('SIGTERM'));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get requested(): boolean {
    return this.received !== undefined;
  }

  /** The run ended after the signal: its ERROR line (unless already printed) and exit code. */
  conclude(): { line: string | undefined; exitCode: number } {
    clearTimeout(this.graceTimer);
    const { line, exitCode } = this.outcome('');
    if (this.ended) return { line: undefined, exitCode };

    this.ended = true;
    return { line, exitCode };
  }

  private onSignal(name: StopSignal): void {
    if (this.ended) return;
    if (this.received !== undefined) {
      this.endAtOnce(`a second signal (${name}) came before the run had stopped`);
      return;
    }

    this.received = name;
    const graceSec = STOP_GRACE_MS / 1000;
    this.graceTimer = setTimeout(
      () => this.endAtOnce(`the run had not stopped within ${graceSec} s`),
      STOP_GRACE_MS,
    );
    this.controller.abort(name);
  }

  private endAtOnce(why: string): void {
    this.ended = true;
    const { line, exitCode } = this.outcome(` Exited at once: ${why}.`);
    this.exitNow(line, exitCode);
  }

  private outcome(how: string): { line: string; exitCode: number } {
    const name = this.received ?? 'SIGINT';
    const deleted = this.stats.messagesDeleted;
    const line = `${name} received.${how} ${deleted} messages whose events were all sent ` +
      'were deleted; the others stay in the queue.';
    return { line, exitCode: STOP_EXIT_CODES[name] };
  }
}

function concludeStop(stop: StopOnSignal, logger: Logger): number {
  const { line, exitCode } = stop.conclude();
  if (line !== undefined) logger.error(line);
  return exitCode;
}

/** Turns what ended the run into its exit code, printing why. */
function report(error: unknown, logger: Logger): number {
  if (error instanceof ArgumentError) {
    // Where and how argparse prints: usage, then `prog: error: ...`, on stderr.
    process.stderr.write(`${USAGE}\n${PROGRAM_NAME}: error: ${error.message}\n`);
    return error.exitCode;
  }
  const exitCode = error instanceof WodleError ? error.exitCode : ExitCode.unknown;
  const message = error instanceof Error ? error.message : String(error);
  // On exit 1 modulesd quotes the output from "Unknown error" on; on others, from "ERROR: ".
  logger.error(exitCode === ExitCode.unknown ? `Unknown error: ${message}` : message);
  logStack(error, logger);
  return exitCode;
}

function logStack(error: unknown, logger: Logger): void {
  if (error instanceof Error && error.stack) logger.debug(2, error.stack);
}

function debugLevelOf(commandLine: CommandLine): 0 | 1 | 2 | 3 {
  if (commandLine.kind === 'subscriber') return commandLine.options.debugLevel;
  return commandLine.kind === 'handoff' ? commandLine.debugLevel : 0;
}

/** Exits once everything written to stdout and stderr has been handed to the OS. */
async function finish(exitCode: number): Promise<never> {
  await Promise.all([drain(process.stdout), drain(process.stderr)]);
  process.exit(exitCode);
}

function drain(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

function suppressSdkVersionWarning(): void {
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!isSuppressedWarning(warning, rest[0])) emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}

/** The SDK names the warning in its text today; a `type` option would name it too. */
function isSuppressedWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const text = typeof warning === 'string' ? warning : `${warning.name}: ${warning.message}`;
  const type = typeof typeOrOptions === 'string'
    ? typeOrOptions
    : (typeOrOptions as { type?: unknown } | undefined)?.type;
  return text.includes(SUPPRESSED_WARNING) || type === SUPPRESSED_WARNING;
}

await main(process.argv.slice(2));
