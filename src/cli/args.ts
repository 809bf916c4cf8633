// The command line, read the way Wazuh's aws-s3 (Python argparse) reads it, so that every line
// wazuh-modulesd builds means the same here, and every line Wazuh refuses is refused here with
// exit 2 and an argparse-style message. What it yields:
// - a subscriber run, with validated SubscriberOptions;
// - a hand-off: bucket (-b) and service (-sr) runs, passed on untouched to Wazuh's Python wodle;
// - help.

import type { DebugLevel } from '../log.js';
import { ArgumentError } from '../errors.js';
import { SUBSCRIBER_TYPES, type SubscriberType } from '../model.js';
import { InvalidSubscriberTypeError, MissingSubscriberArgumentError } from './cli-errors.js';
import type { SubscriberOptions } from './options.js';
import {
  displayName,
  findOption,
  OPTIONS,
  optionNamed,
  takesValue,
  type OptionSpec,
  type RunMode,
} from './option-table.js';
import { translatePythonRegex } from './python-regex.js';
import { STDOUT_TARGET } from '../wazuh/file-sink.js';

export type CommandLine =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'handoff';
      readonly mode: Exclude<RunMode, 'subscriber'>;
      /** The arguments exactly as we got them, for the Python wodle. */
      readonly argv: readonly string[];
      readonly debugLevel: DebugLevel;
    }
  | { readonly kind: 'subscriber'; readonly options: SubscriberOptions };

/** Option values by OptionSpec name: the checked value, or true for a flag. */
type Values = ReadonlyMap<string, unknown>;

const MODE_OPTIONS = OPTIONS.filter((spec) => spec.mode !== undefined);

/**
 * Parses and validates the arguments (without the program name). Throws ArgumentError
 * (exit 2) for anything argparse would refuse, and the errors of cli-errors.ts for the checks
 * Wazuh makes once the arguments are parsed.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const values = readValues(argv);
  if (values === 'help') return { kind: 'help' };

  const mode = runMode(values);
  checkCombinations(values, mode);
  if (mode === 'subscriber') return { kind: 'subscriber', options: subscriberOptions(values) };
  return { kind: 'handoff', mode, argv: [...argv], debugLevel: debugLevelOf(values) };
}

function readValues(argv: readonly string[]): Values | 'help' {
  const values = new Map<string, unknown>();
  const unrecognized: string[] = [];
  let modeSpec: OptionSpec | undefined;

  for (let index = 0; index < argv.length; index++) {
    const { spec, inlineValue } = lookUp(argv[index]);
    if (!spec) {
      unrecognized.push(argv[index]);
      continue;
    }
    if (spec.name === 'help') return 'help';

    if (spec.mode) modeSpec = checkModeConflict(spec, modeSpec);
    if (!takesValue(spec)) {
      if (inlineValue !== undefined) fail(spec, `ignored explicit argument '${inlineValue}'`);
      values.set(spec.name, true);
      continue;
    }

    const value = inlineValue ?? argumentAfter(argv, index, spec);
    if (inlineValue === undefined) index++;
    values.set(spec.name, checked(spec, value));
  }

  requireOneMode(modeSpec);
  if (unrecognized.length > 0) {
    throw new ArgumentError(`unrecognized arguments: ${unrecognized.join(' ')}`);
  }
  return values;
}

/** `--opt`, `--opt=value`, `-sb`, `-sb=value`; a lone '-' is a value, not an option. */
function lookUp(token: string): { spec?: OptionSpec; inlineValue?: string } {
  if (!token.startsWith('-') || token === '-') return {};

  const equals = token.indexOf('=');
  if (equals < 0) return { spec: findOption(token) };
  return { spec: findOption(token.slice(0, equals)), inlineValue: token.slice(equals + 1) };
}

/** argparse takes the next word as the value unless it looks like an option. */
function argumentAfter(argv: readonly string[], index: number, spec: OptionSpec): string {
  const next = argv[index + 1];
  if (next === undefined || looksLikeOption(next)) fail(spec, 'expected one argument');
  return next;
}

function looksLikeOption(token: string): boolean {
  return token.startsWith('-') && token !== '-' && !/^-\d+$|^-\d*\.\d+$/.test(token);
}

function checked(spec: OptionSpec, value: string): unknown {
  if (!spec.check) return value;
  try {
    return spec.check(value);
  } catch (error) {
    fail(spec, error instanceof Error ? error.message : String(error));
  }
}

function checkModeConflict(spec: OptionSpec, previous: OptionSpec | undefined): OptionSpec {
  if (previous && previous !== spec) {
    fail(spec, `not allowed with argument ${displayName(previous)}`);
  }
  return spec;
}

function requireOneMode(modeSpec: OptionSpec | undefined): void {
  if (modeSpec) return;
  const names = MODE_OPTIONS.map(displayName).join(' ');
  throw new ArgumentError(`one of the arguments ${names} is required`);
}

function runMode(values: Values): RunMode {
  const spec = MODE_OPTIONS.find((candidate) => values.has(candidate.name));
  // readValues has already required exactly one.
  return spec?.mode ?? 'subscriber';
}

function checkCombinations(values: Values, mode: RunMode): void {
  if (values.has('iamRoleDuration') && !values.has('iamRoleArn')) {
    throw new ArgumentError('Used --iam_role_duration argument but no --iam_role_arn provided.');
  }
  const dryRunOption = ['dryRun', 'output'].find((name) => values.has(name));
  if (dryRunOption && mode !== 'subscriber') {
    fail(optionNamed(dryRunOption), 'only applies to --subscriber runs');
  }
}

function subscriberOptions(values: Values): SubscriberOptions {
  const subscriber = subscriberType(String(values.get('subscriber')));
  requireSubscriberArguments(values, subscriber);

  return {
    subscriber,
    queue: String(values.get('queue')),
    iamRoleArn: stringValue(values, 'iamRoleArn'),
    externalId: stringValue(values, 'externalId'),
    iamRoleDurationSec: values.get('iamRoleDuration') as number | undefined,
    awsProfile: stringValue(values, 'awsProfile'),
    stsEndpoint: stringValue(values, 'stsEndpoint'),
    serviceEndpoint: stringValue(values, 'serviceEndpoint'),
    regions: subscriberRegions(values),
    discardField: stringValue(values, 'discardField'),
    discardRegex: discardRegex(values),
    debugLevel: debugLevelOf(values),
    skipOnError: values.has('skipOnError'),
    dryRunOutput: dryRunOutput(values),
  };
}

/** Case-insensitive, as in Wazuh's wodle. */
function subscriberType(value: string): SubscriberType {
  const type = SUBSCRIBER_TYPES.find((known) => known === value.toLowerCase());
  if (!type) throw new InvalidSubscriberTypeError(value);
  return type;
}

/** Security Lake needs the role, the queue and the external id; every type needs a queue. */
function requireSubscriberArguments(values: Values, type: SubscriberType): void {
  const required = type === 'security_lake'
    ? [['iamRoleArn', '--iam_role_arn'], ['queue', '--queue'], ['externalId', '--external_id']]
    : [['queue', '--queue']];

  const missing = required.find(([name]) => !values.has(name));
  if (missing) throw new MissingSubscriberArgumentError(missing[1], type);
}

/** A subscriber reads one queue, which lives in one region. */
function subscriberRegions(values: Values): readonly string[] | undefined {
  const regions = values.get('regions') as string[] | undefined;
  if (!regions || regions.length <= 1) return regions;

  const detail = `a subscriber run reads one queue in one region, got ${regions.join(',')}`;
  fail(optionNamed('regions'), detail);
}

function discardRegex(values: Values): RegExp | undefined {
  const pattern = stringValue(values, 'discardRegex');
  return pattern === undefined ? undefined : translatePythonRegex(pattern);
}

function dryRunOutput(values: Values): string | undefined {
  const output = stringValue(values, 'output');
  if (output !== undefined) return output;
  return values.has('dryRun') ? STDOUT_TARGET : undefined;
}

function debugLevelOf(values: Values): DebugLevel {
  return (values.get('debug') as DebugLevel | undefined) ?? 0;
}

function stringValue(values: Values, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

function fail(spec: OptionSpec, message: string): never {
  throw new ArgumentError(`argument ${displayName(spec)}: ${message}`);
}
