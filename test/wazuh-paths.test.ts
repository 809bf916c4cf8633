import { describe, expect, it } from 'vitest';

import { queueSocketPath, resolveWazuhDir } from '../src/wazuh/paths.js';

describe('resolveWazuhDir', () => {
  it('takes the directory above wodles/ when the wrapper ran from <X>/wodles/<module>', () => {
    const env = { WAZUH_AWS_WODLE_DIR: '/opt/wazuh/wodles/aws', WAZUH_PATH: '/elsewhere' };

    expect(resolveWazuhDir(env)).toBe('/opt/wazuh');
  });

  it('accepts a trailing slash on the wodle directory', () => {
    expect(resolveWazuhDir({ WAZUH_AWS_WODLE_DIR: '/var/ossec/wodles/aws/' })).toBe('/var/ossec');
  });

  it('falls back to WAZUH_PATH when the wodle directory is not inside wodles/', () => {
    const env = { WAZUH_AWS_WODLE_DIR: '/home/me/checkout/wodle', WAZUH_PATH: '/srv/wazuh' };

    expect(resolveWazuhDir(env)).toBe('/srv/wazuh');
  });

  it('does not treat the wodles directory itself as a module directory', () => {
    expect(resolveWazuhDir({ WAZUH_AWS_WODLE_DIR: '/opt/wazuh/wodles' })).toBe('/var/ossec');
  });

  it('defaults to /var/ossec', () => {
    expect(resolveWazuhDir({})).toBe('/var/ossec');
  });
});

describe('queueSocketPath', () => {
  it('is queue/sockets/queue under the Wazuh directory', () => {
    expect(queueSocketPath('/var/ossec')).toBe('/var/ossec/queue/sockets/queue');
  });
});
