// Errors only the command line raises. Each names its exit code, like those of src/errors.ts.

import { ExitCode, WodleError } from '../errors.js';

/** `--subscriber` names no type we know; Wazuh's wodle ends such a run with 12. */
export class InvalidSubscriberTypeError extends WodleError {
  constructor(type: string) {
    super(ExitCode.unexpected, `Invalid type of subscriber '${type}'`);
  }
}

/** A subscriber run without an argument it cannot do without (Wazuh's wodle: exit 21). */
export class MissingSubscriberArgumentError extends WodleError {
  constructor(option: string, type: string) {
    super(
      ExitCode.queueOperationFailed,
      `Used a subscriber (${type}) but no ${option} provided.`,
    );
  }
}

/**
 * A bucket or service run, which this program hands to Wazuh's Python wodle, when that wodle
 * is not installed. Exit 12, Wazuh's code for a run type it cannot handle, so that
 * wazuh-modulesd quotes our ERROR line (on exit 1 it looks for "Unknown error" instead).
 */
export class HandoffUnavailableError extends WodleError {
  constructor(mode: string, lookedAt: string) {
    super(
      ExitCode.unexpected,
      `${mode} runs need Wazuh's Python aws-s3 wodle, which was not found at ${lookedAt}; ` +
        'this program only runs --subscriber',
    );
  }
}
