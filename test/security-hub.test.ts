import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { ParseError } from '../src/errors.js';
import type { ObjectRef, WazuhEvent } from '../src/model.js';
import { RunStats } from '../src/stats.js';
import {
  type SourceRecord,
  SecurityHubSubscriber,
  securityHubEvents,
} from '../src/subscribers/security-hub.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/logs/securityhub/', import.meta.url));
const haveCorpus = existsSync(CORPUS);
if (!haveCorpus) console.log(`security_hub corpus tests skipped: ${CORPUS} is missing`);

const LOCATION: ObjectRef = { bucket: 'hub-bucket', key: 'firehose/2023/06/15/events.json' };

/** The events of a corpus file, split here by hand: newline separated or run together. */
function corpusEvents(name: string): unknown[] {
  const text = readFileSync(CORPUS + name, 'utf8').trim();
  return JSON.parse(`[${text.replace(/}\s*{/g, '},{')}]`);
}

function finding(id: string) {
  return { SchemaVersion: '2018-10-08', Id: id, Severity: { Label: 'HIGH' } };
}

function hubEvent(detailType: string, detail: Record<string, unknown>) {
  return { version: '0', 'detail-type': detailType, source: 'aws.securityhub', detail };
}

async function collect(subscriber: SecurityHubSubscriber): Promise<WazuhEvent[]> {
  const events: WazuhEvent[] = [];
  for await (const batch of subscriber.events(LOCATION)) events.push(...batch);
  return events;
}

function readerOf(...batches: SourceRecord[][]) {
  return async function* readRecords() {
    yield* batches;
  };
}

describe.skipIf(!haveCorpus)('security_hub corpus', () => {
  // Counted by hand: every event of these files carries exactly one finding.
  it.each([
    ['docs-securityhub-findings-imported-single.json', 1],
    ['docs-securityhub-findings-imported-firehose-concat.json', 5],
    ['securitylake-asff-findings-imported.jsonl', 5],
  ])('makes one event per finding of %s', (name, expected) => {
    const events = corpusEvents(name).flatMap((event) => securityHubEvents(event, LOCATION));
    expect(events).toHaveLength(expected);
    for (const event of events) {
      expect(event).toMatchObject({
        integration: 'aws',
        aws: {
          log_info: { log_file: LOCATION.key, s3bucket: LOCATION.bucket },
          source: 'securityhub',
          detail_type: 'Security Hub Findings - Imported',
          finding: expect.any(Object),
        },
      });
    }
  });

  it('keeps each finding whole under aws.finding', () => {
    const [event] = corpusEvents('docs-securityhub-findings-imported-single.json').flatMap(
      (event) => securityHubEvents(event, LOCATION),
    );
    const aws = event?.aws as { finding: { Id: string; Severity: unknown } };
    expect(aws.finding.Id).toMatch(/CloudTrail\.2\/finding\/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111$/);
    expect(aws.finding.Severity).toEqual({
      Product: 40,
      Label: 'MEDIUM',
      Normalized: 40,
      Original: 'MEDIUM',
    });
  });
});

describe('securityHubEvents', () => {
  it('makes one event for every finding, not only the first', () => {
    const event = hubEvent('Security Hub Findings - Imported', {
      findings: [finding('a'), finding('b'), finding('c')],
    });
    const ids = securityHubEvents(event, LOCATION).map(
      (shaped) => (shaped.aws as { finding: { Id: string } }).finding.Id,
    );
    expect(ids).toEqual(['a', 'b', 'c']);
  });

  it('copies the custom action beside each finding', () => {
    const detail = {
      actionName: 'SendToTicketing',
      actionDescription: 'Open a ticket',
      findings: [finding('a')],
    };
    const [event] = securityHubEvents(
      hubEvent('Security Hub Findings - Custom Action', detail),
      LOCATION,
    );
    expect(event?.aws).toMatchObject({
      detail_type: 'Security Hub Findings - Custom Action',
      actionName: 'SendToTicketing',
      actionDescription: 'Open a ticket',
      finding: { Id: 'a' },
    });
  });

  it('makes one event of an insight result set', () => {
    const detail = {
      actionName: 'ExportInsight',
      actionDescription: 'Export',
      insightName: 'Top resources',
      insightArn: 'arn:aws:securityhub:::insight/securityhub/default/1',
      resultType: 'ResourceAwsEc2Instance',
      insightResults: [{ 'i-0123': 12 }, { 'i-4567': 3 }],
    };
    const events = securityHubEvents(hubEvent('Security Hub Insight Results', detail), LOCATION);
    expect(events).toHaveLength(1);
    expect(events[0]?.aws).toMatchObject({
      detail_type: 'Security Hub Insight Results',
      ...detail,
    });
    expect(events[0]?.aws).not.toHaveProperty('finding');
  });

  it('makes one event of a bare ASFF finding, as GetFindings exports write them', () => {
    const productArn = 'arn:aws:securityhub:us-east-1::product/aws/guardduty';
    const bare = { ...finding('x'), ProductArn: productArn };
    expect(securityHubEvents(bare, LOCATION)).toEqual([
      {
        integration: 'aws',
        aws: {
          log_info: { log_file: LOCATION.key, s3bucket: LOCATION.bucket },
          source: 'securityhub',
          finding: bare,
        },
      },
    ]);
  });

  it('takes a lone finding object as a list of one, and skips entries that are no object', () => {
    const lone = hubEvent('Security Hub Findings - Imported', { findings: finding('solo') });
    const withNulls = hubEvent('Security Hub Findings - Imported', {
      findings: [null, finding('kept'), 7],
    });

    const findingIds = (event: unknown): string[] => securityHubEvents(event, LOCATION).map(
      (shaped) => (shaped.aws as { finding: { Id: string } }).finding.Id,
    );

    expect(findingIds(lone)).toEqual(['solo']);
    expect(findingIds(withNulls)).toEqual(['kept']);
  });

  it('makes no event of an event whose findings list is empty', () => {
    expect(
      securityHubEvents(hubEvent('Security Hub Findings - Imported', { findings: [] }), LOCATION),
    ).toEqual([]);
  });

  it.each([
    [42, 'is not a JSON object'],
    [{ 'detail-type': 'x' }, 'has no detail'],
  ])('rejects %j with a ParseError naming the object', (record, reason) => {
    expect(() => securityHubEvents(record, LOCATION)).toThrow(ParseError);
    expect(() => securityHubEvents(record, LOCATION)).toThrow(
      `s3://hub-bucket/${LOCATION.key}: a record ${reason}`,
    );
  });
});

describe('SecurityHubSubscriber', () => {
  const imported = (...ids: string[]) => ({
    kind: 'json',
    value: hubEvent('Security Hub Findings - Imported', { findings: ids.map(finding) }),
  });

  it('shapes every record of every batch the record reader yields', async () => {
    const subscriber = new SecurityHubSubscriber({
      readRecords: readerOf([imported('a', 'b')], [imported('c')]),
    });
    expect(await collect(subscriber)).toHaveLength(3);
  });

  it('rejects an object whose records are not JSON', async () => {
    const subscriber = new SecurityHubSubscriber({
      readRecords: readerOf([{ kind: 'line', value: undefined }]),
    });
    await expect(collect(subscriber)).rejects.toThrow(
      'holds line records, not Security Hub JSON events',
    );
  });

  it('leaves out and counts the events the discard filter matches on aws', async () => {
    const stats = new RunStats();
    const discard = (aws: Record<string, unknown>) => (aws.finding as { Id: string }).Id === 'b';
    const subscriber = new SecurityHubSubscriber({
      readRecords: readerOf([imported('a', 'b', 'c')]),
      stats,
      discard,
    });
    const ids = (await collect(subscriber)).map(
      (event) => (event.aws as { finding: { Id: string } }).finding.Id,
    );
    expect(ids).toEqual(['a', 'c']);
    expect(stats.eventsDiscarded).toBe(1);
  });
});
