import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @ts-expect-error: a plain JavaScript module without type declarations
import { generateLogs, LOG_TYPES } from '../scripts/generate-logs.mjs';

interface LogObject {
  type: string;
  key: string;
  body: Buffer;
  records: number;
}

const SCRIPT = fileURLToPath(new URL('../scripts/generate-logs.mjs', import.meta.url));
const RECORDS = 40;
const objects: LogObject[] = generateLogs({ seed: 'test', records: RECORDS, files: 2 });

function only(type: string): LogObject[] {
  return objects.filter((object) => object.type === type);
}

function text(object: LogObject): string {
  const bytes = object.key.endsWith('.gz') ? gunzipSync(object.body) : object.body;
  return bytes.toString('utf8');
}

function lines(object: LogObject): string[] {
  const content = text(object);
  expect(content.endsWith('\n')).toBe(true);
  return content.slice(0, -1).split('\n');
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3,6})?Z$/;
const DATE_PATH = String.raw`\d{4}/\d{2}/\d{2}`;
const DELIVERY = String.raw`\d{8}T\d{4}Z`;

const REQUEST_LINE = /^(GET|POST) https?:\/\/shop\.example\.com:(80|443)\/\S* HTTP\/[12]\.[01]$/;

/** Splits an ALB access log line into fields: quoted strings or runs of non-spaces. */
function albFields(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]);
}

describe('generated CloudTrail files', () => {
  it('are gzip JSON documents of Records under the CloudTrail object key naming', () => {
    const name = new RegExp(`^AWSLogs/111122223333/CloudTrail/us-east-1/${DATE_PATH}/` +
      `111122223333_CloudTrail_us-east-1_${DELIVERY}_[A-Za-z0-9]{16}\\.json\\.gz$`);

    for (const object of only('cloudtrail')) {
      expect(object.key).toMatch(name);
      const { Records } = JSON.parse(text(object));
      expect(Records).toHaveLength(RECORDS);
      for (const record of Records) {
        expect(record.eventTime).toMatch(ISO_TIME);
        expect(record.eventSource).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
        expect(record.eventName).toMatch(/^[A-Z][A-Za-z]+$/);
        expect(['IAMUser', 'AssumedRole']).toContain(record.userIdentity.type);
        expect(isIPv4(record.sourceIPAddress)).toBe(true);
        expect(record.recipientAccountId).toBe('111122223333');
      }
    }
  });
});

describe('generated VPC flow logs', () => {
  it('start with the version 2 header and hold one 14-field record per line', () => {
    const name = new RegExp(`^AWSLogs/111122223333/vpcflowlogs/us-east-1/${DATE_PATH}/` +
      `111122223333_vpcflowlogs_us-east-1_fl-[0-9a-f]{17}_${DELIVERY}_[0-9a-f]{8}\\.log\\.gz$`);

    for (const object of only('vpcflow')) {
      expect(object.key).toMatch(name);
      const [header, ...records] = lines(object);
      expect(header).toBe('version account-id interface-id srcaddr dstaddr srcport dstport ' +
        'protocol packets bytes start end action log-status');
      expect(records).toHaveLength(RECORDS);

      for (const record of records) {
        const fields = record.split(' ');
        expect(fields).toHaveLength(14);
        const [version, account, eni, src, dst, , , , , , start, end, action, status] = fields;
        expect([version, account]).toEqual(['2', '111122223333']);
        expect(eni).toMatch(/^eni-[0-9a-f]{17}$/);
        expect(Number(end)).toBeGreaterThanOrEqual(Number(start));
        if (status === 'OK') {
          expect(isIPv4(src) && isIPv4(dst)).toBe(true);
          expect(['ACCEPT', 'REJECT']).toContain(action);
        } else {
          expect(['NODATA', 'SKIPDATA']).toContain(status);
          expect(action).toBe('-');
        }
      }
    }
  });
});

describe('generated ALB access logs', () => {
  it('hold one line per request in the documented field order', () => {
    const name = new RegExp(`^AWSLogs/111122223333/elasticloadbalancing/us-east-1/${DATE_PATH}/` +
      `111122223333_elasticloadbalancing_us-east-1_app\\.web-prod\\.[0-9a-f]{16}_${DELIVERY}_` +
      `[\\d.]+_[a-z0-9]{8}\\.log\\.gz$`);

    for (const object of only('alb')) {
      expect(object.key).toMatch(name);
      const records = lines(object);
      expect(records).toHaveLength(RECORDS);

      for (const record of records) {
        const fields = albFields(record);
        expect(fields).toHaveLength(30);
        expect(['http', 'https', 'h2']).toContain(fields[0]);
        expect(fields[1]).toMatch(ISO_TIME);
        expect(fields[2]).toMatch(/^app\/web-prod\/[0-9a-f]{16}$/);
        expect(isIPv4(fields[3].split(':')[0])).toBe(true);
        expect(fields[8]).toMatch(/^[1-5]\d\d$/);
        expect(fields[12]).toMatch(REQUEST_LINE);
        expect(fields[17]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      }
    }
  });
});

describe('generated WAF logs', () => {
  it('are gzip JSON lines of web ACL records under the WAFLogs key naming', () => {
    const name = new RegExp(`^AWSLogs/111122223333/WAFLogs/us-east-1/shop-web-acl/` +
      `${DATE_PATH}/\\d{2}/\\d{2}/111122223333_waflogs_us-east-1_shop-web-acl_${DELIVERY}_` +
      `[0-9a-f]{8}\\.log\\.gz$`);

    for (const object of only('waf')) {
      expect(object.key).toMatch(name);
      const records = lines(object).map((line) => JSON.parse(line));
      expect(records).toHaveLength(RECORDS);
      for (const record of records) {
        expect(record.formatVersion).toBe(1);
        expect(Number.isInteger(record.timestamp)).toBe(true);
        expect(record.webaclId).toMatch(/^arn:aws:wafv2:us-east-1:111122223333:regional\/webacl\//);
        expect(['ALLOW', 'BLOCK']).toContain(record.action);
        expect(isIPv4(record.httpRequest.clientIp)).toBe(true);
        expect(record.httpRequest.headers.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('generated GuardDuty exports', () => {
  it('are gzip JSON lines of findings under AWSLogs/<account>/GuardDuty/', () => {
    const name = new RegExp(`^AWSLogs/111122223333/GuardDuty/us-east-1/${DATE_PATH}/` +
      `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.jsonl\\.gz$`);

    for (const object of only('guardduty')) {
      expect(object.key).toMatch(name);
      const findings = lines(object).map((line) => JSON.parse(line));
      expect(findings).toHaveLength(RECORDS);
      for (const finding of findings) {
        expect(finding.schemaVersion).toBe('2.0');
        expect(finding.id).toMatch(/^[0-9a-f]{32}$/);
        expect(finding.arn.endsWith(`/finding/${finding.id}`)).toBe(true);
        expect(finding.type).toMatch(/^\w+:\w+\/[\w.!]+$/);
        expect(finding.severity).toBeGreaterThanOrEqual(1);
        expect(finding.severity).toBeLessThan(9);
        expect(['Instance', 'AccessKey']).toContain(finding.resource.resourceType);
        expect(finding.service.action.actionType).toMatch(/^[A-Z_]+$/);
      }
    }
  });
});

describe('generated application logs', () => {
  it('are uncompressed text lines in time order', () => {
    for (const object of only('applog')) {
      expect(object.key).toMatch(/^app-logs\/checkout-api\/\d{4}\/\d{2}\/\d{2}\/[\w-]+\.log$/);
      expect([...object.body.subarray(0, 2)]).not.toEqual([0x1f, 0x8b]);
      const records = lines(object);
      expect(records).toHaveLength(RECORDS);

      const times = records.map((line) => line.split(' ')[0]);
      for (const line of records) {
        expect(line).toMatch(/^\S+Z (INFO |DEBUG|WARN |ERROR) checkout-api \[req-[0-9a-f]{12}\] /);
      }
      expect(times.every((time) => ISO_TIME.test(time))).toBe(true);
      expect([...times].sort()).toEqual(times);
    }
  });
});

describe('generateLogs', () => {
  it('gives the same keys and bytes for the same seed and different ones for another', () => {
    const again: LogObject[] = generateLogs({ seed: 'test', records: RECORDS, files: 2 });
    const other: LogObject[] = generateLogs({ seed: 'other', records: RECORDS, files: 2 });

    expect(again.map((object) => object.key)).toEqual(objects.map((object) => object.key));
    again.forEach((object, index) => expect(object.body.equals(objects[index].body)).toBe(true));
    other.forEach((object, index) => expect(object.body.equals(objects[index].body)).toBe(false));
  });

  it('makes the asked number of files of every type, each under its own key', () => {
    expect(LOG_TYPES).toEqual(['cloudtrail', 'vpcflow', 'alb', 'waf', 'guardduty', 'applog']);
    for (const type of LOG_TYPES) expect(only(type)).toHaveLength(2);
    expect(new Set(objects.map((object) => object.key)).size).toBe(objects.length);
    expect(objects.every((object) => object.records === RECORDS)).toBe(true);
  });

  it('compresses every .gz object with gzip', () => {
    for (const object of objects.filter((candidate) => candidate.key.endsWith('.gz'))) {
      expect([...object.body.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    }
  });

  it('uses only private and documentation (RFC 5737) IPv4 addresses', () => {
    const allowed = /^(10\.|192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|0\.0\.0\.0$)/;
    // Not preceded by '/': 'Chrome/124.0.0.0' is a version, not an address.
    const address = /(?<![\w/.])\d{1,3}(\.\d{1,3}){3}\b/g;
    const addresses = objects.flatMap((object) =>
      [...`${object.key}\n${text(object)}`.matchAll(address)].map((match) => match[0]));

    expect(addresses.length).toBeGreaterThan(objects.length);
    expect(addresses.filter((address) => !allowed.test(address))).toEqual([]);
  });

  it('gives each type the same files whether or not other types are generated with it', () => {
    for (const type of LOG_TYPES) {
      const alone: LogObject[] = generateLogs({ seed: 'test', records: RECORDS, files: 2,
        types: [type] });
      const together = only(type);
      expect(alone.map((object) => object.key)).toEqual(together.map((object) => object.key));
      alone.forEach((object, index) => expect(object.body.equals(together[index].body)).toBe(true));
    }
  });

  it('refuses an unknown log type and a record count below one', () => {
    expect(() => generateLogs({ types: ['nginx'] })).toThrow(/unknown log type nginx/);
    expect(() => generateLogs({ records: 0 })).toThrow(/records/);
  });
});

describe('scripts/generate-logs.mjs', () => {
  let out = '';
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'generate-logs-test-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes each file at its object key under --out', () => {
    const result = spawnSync(process.execPath,
      [SCRIPT, '--out', out, '--records', '7', '--types', 'vpcflow,applog', '--seed', 'cli'],
      { encoding: 'utf8' });

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/generate-logs: 14 records in 2 files under /);
    const expected: LogObject[] = generateLogs({ seed: 'cli', records: 7,
      types: ['vpcflow', 'applog'] });
    for (const object of expected) {
      expect(readFileSync(join(out, object.key)).equals(object.body)).toBe(true);
    }
  });

  it('exits 2 with the usage when --out is missing', () => {
    const result = spawnSync(process.execPath, [SCRIPT, '--records', '7'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--out DIR is required[\s\S]*usage: generate-logs/);
  });
});
