// AWS WAF (v2) web ACL traffic logs as delivered to an aws-waf-logs-* bucket: one JSON record
// per line, gzip, every five minutes, named AWSLogs/<account>/WAFLogs/<region>/<web ACL>/
// YYYY/MM/DD/HH/mm/<account>_waflogs_<region>_<web ACL>_<time>_<hash>.log.gz.

import { gzipSync } from 'node:zlib';
import { addMs, compactUtc, minutePath } from './time.mjs';

const WEB_ACL = 'shop-web-acl';
const CORE_RULES = 'AWS#AWSManagedRulesCommonRuleSet';
const SQLI_RULES = 'AWS#AWSManagedRulesSQLiRuleSet';

const REQUESTS = [
  [60, { method: 'GET', uri: '/', args: '' }],
  [15, { method: 'GET', uri: '/products', args: 'page=2' }],
  [10, { method: 'POST', uri: '/api/cart', args: '' }],
  [5, { method: 'GET', uri: '/search', args: "q=1%27%20OR%20%271%27%3D%271", attack: 'sqli' }],
  [4, { method: 'GET', uri: '/index.php', args: 'file=../../../../etc/passwd', attack: 'lfi' }],
  [3, { method: 'POST', uri: '/login', args: '', attack: 'rate' }],
  [3, { method: 'GET', uri: '/.git/config', args: '', attack: 'badpath' }],
];

// What the web ACL decided for each kind of request: [terminatingRuleId, type, action, group,
// rule inside the group, label].
const VERDICTS = {
  sqli: ['AWS-AWSManagedRulesSQLiRuleSet', 'MANAGED_RULE_GROUP', 'BLOCK', SQLI_RULES,
    'SQLi_QUERYARGUMENTS', 'awswaf:managed:aws:sql-database:SQLi_QueryArguments'],
  lfi: ['AWS-AWSManagedRulesCommonRuleSet', 'MANAGED_RULE_GROUP', 'BLOCK', CORE_RULES,
    'GenericLFI_QUERYARGUMENTS', 'awswaf:managed:aws:core-rule-set:GenericLFI_QueryArguments'],
  rate: ['login-rate-limit', 'RATE_BASED', 'BLOCK', null, null, null],
  badpath: ['block-sensitive-paths', 'REGULAR', 'BLOCK', null, null, null],
};

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15';
const TOOLS = ['sqlmap/1.8.3#stable (https://sqlmap.org)', 'curl/8.5.0', 'python-requests/2.31.0'];

function headers(random, client, request) {
  const list = [
    { name: 'Host', value: 'shop.example.com' },
    { name: 'User-Agent', value: request.attack ? random.pick(TOOLS) : BROWSER },
    { name: 'Accept', value: '*/*' },
    { name: 'X-Forwarded-For', value: client.ip },
  ];
  if (request.method === 'POST') list.push({ name: 'Content-Type', value: 'application/json' });
  return list;
}

function ruleGroups(verdict) {
  const [, , action, group, rule] = verdict ?? [];
  return [CORE_RULES, SQLI_RULES].map((ruleGroupId) => ({
    ruleGroupId,
    terminatingRule: ruleGroupId === group ? { ruleId: rule, action } : null,
    nonTerminatingMatchingRules: [],
    excludedRules: null,
    customerConfig: null,
  }));
}

function wafRecord(random, estate, acl, time) {
  const request = random.weighted(REQUESTS);
  const client = random.pick(estate.clients);
  const verdict = VERDICTS[request.attack];
  const [ruleId, ruleType, action] = verdict ?? ['Default_Action', 'REGULAR', 'ALLOW'];
  const label = verdict?.[5];

  return {
    timestamp: time.getTime(),
    formatVersion: 1,
    webaclId: acl.arn,
    terminatingRuleId: ruleId,
    terminatingRuleType: ruleType,
    action,
    terminatingRuleMatchDetails: [],
    httpSourceName: 'ALB',
    httpSourceId: `${estate.accountId}-app/web-prod/${estate.loadBalancerId}`,
    ruleGroupList: ruleGroups(verdict),
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: {
      clientIp: client.ip,
      country: client.country,
      headers: headers(random, client, request),
      uri: request.uri,
      args: request.args,
      httpVersion: 'HTTP/1.1',
      httpMethod: request.method,
      requestId: `1-${Math.floor(time.getTime() / 1000).toString(16)}-${random.hex(24)}`,
    },
    ...(label ? { labels: [{ name: label }] } : {}),
  };
}

export const waf = {
  type: 'waf',
  description: 'AWS WAF web ACL logs, JSON lines, gzip',

  generate({ random, estate, records, deliveredAt }) {
    const { accountId, region } = estate;
    const acl = { arn: `arn:aws:wafv2:${region}:${accountId}:regional/webacl/${WEB_ACL}/` +
      `${estate.webAclId}` };
    const lines = [];
    for (let i = 0; i < records; i++) {
      const time = addMs(deliveredAt, -random.int(0, 5 * 60_000));
      lines.push(JSON.stringify(wafRecord(random, estate, acl, time)));
    }

    const folder = `AWSLogs/${accountId}/WAFLogs/${region}/${WEB_ACL}/${minutePath(deliveredAt)}`;
    const name = `${accountId}_waflogs_${region}_${WEB_ACL}_${compactUtc(deliveredAt)}_` +
      `${random.hex(8)}.log.gz`;
    return { key: `${folder}/${name}`, body: gzipSync(`${lines.join('\n')}\n`), records };
  },
};
