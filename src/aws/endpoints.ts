// Endpoint URLs given on the command line or in the environment. A bad one is exit 15, found
// before any request, so the administrator reads which setting is wrong instead of an SDK error.

import { ExitCode, WodleError } from '../errors.js';

/** The environment variables through which the SDK takes endpoints for the services we use. */
export const ENDPOINT_ENV_VARS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_STS',
] as const;

/** Returns the URL unchanged when it is an absolute http(s) URL; throws exit 15 otherwise. */
export function checkEndpointUrl(setting: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidEndpoint(setting, value);
  }

  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw invalidEndpoint(setting, value);
  }
  return value;
}

/** Checks every endpoint variable that is set, so a typo fails the run up front. */
export function checkEndpointEnv(env: NodeJS.ProcessEnv): void {
  for (const name of ENDPOINT_ENV_VARS) {
    const value = env[name];
    if (value !== undefined && value !== '') checkEndpointUrl(name, value);
  }
}

/** Whether the SDK will send S3 requests somewhere other than AWS's own endpoints. */
export function hasCustomS3Endpoint(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

function invalidEndpoint(setting: string, value: string): WodleError {
  return new WodleError(
    ExitCode.invalidEndpoint,
    `Invalid endpoint URL in ${setting}: '${value}' (expected http:// or https:// and a host)`,
  );
}
