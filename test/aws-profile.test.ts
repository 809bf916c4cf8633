import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createAwsClients } from '../src/aws/clients.js';
import { checkProfileExists } from '../src/aws/profile.js';
import { ExitCode } from '../src/errors.js';

function awsFiles(credentials: string, config: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'wodle-profile-'));
  writeFileSync(join(dir, 'credentials'), credentials);
  writeFileSync(join(dir, 'config'), config);
  return {
    HOME: dir,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'config'),
  };
}

describe('checking that the AWS profile exists', () => {
  const env = awsFiles(
    '[default]\naws_access_key_id = a\n[reader]\naws_access_key_id = b\n',
    '[default]\nregion = us-east-1\n[profile auditor]\nrole_arn = arn:aws:iam::111122223333:role/x\n',
  );

  it('finds a profile of the credentials file and a [profile name] of the config file', async () => {
    await expect(checkProfileExists('reader', env)).resolves.toBeUndefined();
    await expect(checkProfileExists('auditor', env)).resolves.toBeUndefined();
    await expect(checkProfileExists('default', env)).resolves.toBeUndefined();
  });

  it('ends with exit 23, naming both files, when no file defines it', async () => {
    const failure = await checkProfileExists('reedr', env).catch((error: unknown) => error);

    expect(failure).toMatchObject({ exitCode: ExitCode.profileNotFound });
    expect(String((failure as Error).message)).toContain(env.AWS_CONFIG_FILE);
  });

  it('ends with exit 23 when there are no AWS files at all, before looking for a region', async () => {
    const bare = { HOME: mkdtempSync(join(tmpdir(), 'wodle-nohome-')) };

    await expect(createAwsClients({ awsProfile: 'prod' }, bare)).rejects.toMatchObject({
      exitCode: ExitCode.profileNotFound,
    });
  });
});
