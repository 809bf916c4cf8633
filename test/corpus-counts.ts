// How many `buckets` events each file of the shared corpus (../shared/corpus) must give, or
// which error it must end in. Every number was checked by reading the file (Python's json,
// gzip and zipfile, line counts by eye) independently of this code:
//   - JSON: one event per record; a `{"Records":[...]}` document, an AWS Config file's
//     `configurationItems` or a top-level array gives one per element; `null`, `{}` and
//     CloudTrail digest documents give none;
//   - CSV with a header row (VPC flow logs included): one event per data row, none for the
//     header;
//   - W3C extended logs (CloudFront standard logs, `#Version:` and `#Fields:` first): one
//     event per line that is neither blank nor a `#` directive (counted with grep -vc '^#');
//   - plain text: one event per line that is not blank or NUL-only.
// Parquet files and notification bodies are not objects the `buckets` path reads: not here.
// The end-to-end tests reuse this table; keep keys relative to the corpus directory.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type CorpusExpectation = number | 'DecompressError' | 'ParseError';

export const CORPUS_COUNTS: Readonly<Record<string, CorpusExpectation>> = {
  'logs/alb/123456789012_elasticloadbalancing_us-east-2_app.my-loadbalancer.50dc6c495c0c9188_20180702T2225Z_192.0.2.1_5tvobnhk.log.gz': 7,
  'logs/alb/docs-alb-examples.log': 7,
  'logs/alb/loki-albaccesslog.log.gz': 2,
  'logs/clb/docs-clb-examples.log': 4,
  'logs/cloudfront/E2EXAMPLE123.2019-12-13-21.abcd1234.gz': 6,
  'logs/cloudfront/docs-cloudfront-standard.log': 6,
  'logs/cloudfront/logstash-cloudfront-rtmp-legacy.log': 2,
  'logs/cloudfront/loki-cloudfront.json.gz': 1,
  'logs/cloudfront/loki-cloudfront.log.gz': 2,
  'logs/cloudtrail/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz': 6,
  'logs/cloudtrail/docs-cloudtrail-combined.json': 6,
  'logs/cloudtrail/docs-cloudtrail-digest.json': 0,
  'logs/cloudtrail/docs-cloudtrail-ec2-startinstances.json': 1,
  'logs/cloudtrail/docs-cloudtrail-insight.json': 2,
  'logs/cloudtrail/loki-cloudtrail-log-file.json.gz': 2,
  'logs/cloudtrail/securitylake-input-AssumeRole.test.gz': 1,
  'logs/cloudtrail/securitylake-input-AttachRolePolicy.test.gz': 1,
  'logs/cloudtrail/securitylake-input-ConsoleLogin.test.gz': 1,
  'logs/cloudtrail/securitylake-input-CreateUser.test.gz': 1,
  'logs/config/123456789012_Config_us-west-2_ConfigHistory_AWS__EC2__Volume_20140307T234708Z_20140308T054708Z_1.json.gz': 3,
  'logs/config/docs-config-history-ebs.json': 3,
  'logs/config/docs-config-snapshot.json': 2,
  'logs/misc/logstash-multiple_compressed_streams.gz': 16,
  'logs/nlb/docs-nlb-examples.log': 2,
  'logs/nlb/loki-nlbaccesslog.log.gz': 2,
  'logs/route53-resolver/111122223333_vpcdnsquerylogs_vpc-7example_20210204T1755Z_3e1ba7d1.log.gz': 5,
  'logs/route53-resolver/docs-route53-resolver-query.log': 1,
  'logs/route53-resolver/securitylake-input-example0.json': 1,
  'logs/route53-resolver/securitylake-input-example3.json': 1,
  'logs/route53-resolver/securitylake-input-route53-inputs0.json.gz': 1,
  'logs/route53-resolver/securitylake-input-route53-inputs1.json.gz': 1,
  'logs/s3-server-access/2019-02-06-00-00-38-5A52831B8156E694': 5,
  'logs/s3-server-access/docs-s3-server-access.log': 5,
  'logs/s3-server-access/loki-s3accesslog.log': 1,
  'logs/securityhub/docs-securityhub-findings-imported-firehose-concat.json': 5,
  'logs/securityhub/docs-securityhub-findings-imported-single.json': 1,
  'logs/securityhub/securityhub-firehose-1-2023-06-15-10-00-00-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d.gz': 5,
  'logs/securityhub/securitylake-asff-findings-imported.jsonl': 5,
  'logs/vpcflow/123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0005Z_a1b2c3d4.log.gz': 7,
  'logs/vpcflow/docs-vpcflow-v2-default.log': 7,
  'logs/vpcflow/docs-vpcflow-v3-custom-nat-gateway.log': 4,
  'logs/vpcflow/docs-vpcflow-v3-custom-tcpflags.log': 8,
  'logs/vpcflow/docs-vpcflow-v5-custom-all-fields.log': 2,
  'logs/vpcflow/loki-vpcflowlog.log.gz': 3,
  'logs/vpcflow/securitylake-input-vpc_flow-input0.json': 1,
  'logs/vpcflow/securitylake-input-vpc_flow-input1.json': 1,
  'logs/waf/aws-waf-logs-delivery-stream-1-2022-08-31-01-00-00-12345678-1234-1234-1234-123456789012.gz': 6,
  'logs/waf/docs-waf-examples.log': 6,
  'logs/waf/loki-waflog.log.gz': 1,
  'logs/waf/wazuh-aws-waf.json': 7,

  // 256 bytes 00..ff: a tenth control characters and half not UTF-8, binary rather than text.
  'bad/binary-garbage.json': 'ParseError',
  'bad/bom-cloudtrail.json': 6,
  'bad/bom-utf16le.json': 0,
  'bad/bom-vpcflow.log': 7,
  // A raw Snappy block has no signature: its bytes read as one line of text.
  'bad/cloudtrail-raw-block.json.snappy': 1,
  'bad/cloudtrail-truncated-json.json': 'ParseError',
  'bad/crlf-vpcflow.log': 7,
  'bad/crlf-waf.jsonl': 6,
  'bad/csv-header-with-digits.csv': 2,
  'bad/csv-no-header.csv': 2,
  'bad/csv-semicolon-crlf.csv': 2,
  'bad/empty-archive.zip': 0,
  'bad/empty-array.json': 0,
  'bad/empty-content.json.gz': 0,
  'bad/empty-object.json': 0,
  'bad/empty-records.json': 0,
  'bad/empty.json.gz': 0,
  'bad/empty.log': 0,
  'bad/gzip-json-named-as.gz.parquet': 6,
  // Complete deflate data without its trailer is kept (with a WARNING line).
  'bad/gzip-missing-trailer.json.gz': 6,
  'bad/gzip-trailing-garbage.json.gz': 6,
  'bad/gzip-without-extension.json': 6,
  'bad/json-bad-then-good.json': 'ParseError',
  'bad/jsonlines-last-line-partial.jsonl': 'ParseError',
  'bad/logstash-gzip-named-as.gee.zip': 2,
  'bad/logstash-invalid_utf8.gbk.log': 1,
  'bad/mixed-line-endings-alb.log': 7,
  // Three entries: a VPC flow log (7 rows), an ALB log (7 lines), a one-line README.
  'bad/multi-entry.zip': 15,
  'bad/nul-bytes.log': 2,
  'bad/null.json': 0,
  'bad/plaintext-named-as.json.gz': 6,
  'bad/single-entry-valid.zip': 6,
  'bad/top-level-array.json': 2,
  'bad/truncated-cloudtrail.json.gz': 'DecompressError',
  'bad/waf-concat-trailing-partial-object.json': 'ParseError',
  'bad/wazuh-aws-waf-invalid-json.json': 'ParseError',
  'bad/wazuh-aws-waf-wrong-structure.json': 1,
};

/** Corpus files the `buckets` path does not read (another subscriber's tests cover them). */
export function isOutsideBucketsCorpus(relativePath: string): boolean {
  const name = relativePath.split('/').pop() ?? '';
  if (relativePath.startsWith('bad/notification-')) return true;
  return name.endsWith('.parquet') && !relativePath.startsWith('bad/gzip-json-named-as');
}

/** The corpus directory (../shared/corpus from the checkout), or why it cannot be used. */
export function findCorpus(): { dir: string } | { missing: string } {
  const checkout = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = join(checkout, '..', 'shared', 'corpus');
  return existsSync(dir) ? { dir } : { missing: `no corpus at ${dir}` };
}
