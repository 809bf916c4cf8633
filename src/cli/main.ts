// The program's entry point, run by the `wodle/aws-s3` wrapper. The only place that catches
// errors, prints the final `ERROR:` line and exits: everything below it throws typed errors
// (src/errors.ts, ./cli-errors.ts) that carry their exit code.
//
// Exit codes, as wazuh-modulesd reads them (README "Exit codes and troubleshooting"):
//   0 success, 1 unknown error, 2 bad arguments or SIGINT, 3 invalid credentials,
//   8 decompression failed, 9 parsing failed, 11 Wazuh not reachable, 12 invalid subscriber
//   type or unexpected error, 13 sending to Wazuh failed, 15 invalid endpoint, 16 throttled,
//   20 queue not found, 21 queue receive/delete failed or Security Lake argument missing,
//   22 invalid region, 23 profile not found; a bucket or service run ends with the code of
//   Wazuh's Python wodle.

import { ArgumentError, ExitCode, WodleError } from '../errors.js';
import { Logger } from '../log.js';
import { RunStats } from '../stats.js';
import { resolveWazuhDir } from '../wazuh/paths.js';
import { parseCommandLine, type CommandLine } from './args.js';
import { handOff } from './handoff.js';
import { helpText, PROGRAM_NAME, USAGE } from './help.js';
import type { SubscriberOptions } from './options.js';
import { ProgressLine } from './progress.js';

/** Wazuh's wodle ends with 2 on SIGINT, after one ERROR line. */
const SIGINT_EXIT_CODE = ExitCode.badArguments;

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

  process.once('SIGINT', () => {
    progress?.stop();
    logger.error('SIGINT received.');
    void finish(SIGINT_EXIT_CODE);
  });

  // Loaded only here: help and hand-off runs need neither the pipeline nor the AWS SDK.
  const { runSubscriber } = await import('../run.js');
  progress?.start();
  try {
    return await runSubscriber(options, logger, stats);
  } finally {
    progress?.stop();
  }
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
