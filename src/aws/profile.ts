// Whether a named AWS profile exists, so `--aws_profile` with a typo is exit 23 up front
// instead of a credentials or region error later. Reads the same two files the SDK reads.

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { ExitCode, WodleError } from '../errors.js';

/** Throws exit 23 when neither ~/.aws/credentials nor ~/.aws/config defines the profile. */
export async function checkProfileExists(profile: string, env: NodeJS.ProcessEnv): Promise<void> {
  const files = profileFiles(env);
  const credentials = sectionNames(await readOrEmpty(files.credentials));
  // The credentials file names sections [name]; the config file [profile name], or [default].
  const config = sectionNames(await readOrEmpty(files.config)).map(stripProfilePrefix);
  if (credentials.includes(profile) || config.includes(profile)) return;

  throw new WodleError(
    ExitCode.profileNotFound,
    `The AWS profile '${profile}' was not found in ${files.credentials} or ${files.config}`,
  );
}

function profileFiles(env: NodeJS.ProcessEnv): { credentials: string; config: string } {
  const home = env.HOME || homedir();
  return {
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    config: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
  };
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

function sectionNames(ini: string): string[] {
  const names: string[] = [];
  for (const line of ini.split(/\r?\n/)) {
    const match = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line);
    if (match?.[1] !== undefined) names.push(match[1]);
  }
  return names;
}

function stripProfilePrefix(section: string): string {
  return section.startsWith('profile ') ? section.slice('profile '.length).trim() : section;
}
