import { describe, expect, it } from 'vitest';

import { createDiscardFilter, keepEverything } from '../src/subscribers/discard.js';

describe('createDiscardFilter', () => {
  it('discards nothing without a regex, even with a field', () => {
    const filter = createDiscardFilter('action', undefined);
    expect(filter).toBe(keepEverything);
    expect(filter({ action: 'ALLOW' })).toBe(false);
  });

  it('matches the value at a dotted path at its start, like re.match', () => {
    const filter = createDiscardFilter('http.method', /GET/);
    expect(filter({ http: { method: 'GET' } })).toBe(true);
    expect(filter({ http: { method: 'FORGET' } })).toBe(false);
    expect(filter({ http: { other: 'GET' } })).toBe(false);
  });

  it('does not need the regex to match the whole value', () => {
    expect(createDiscardFilter('user', /adm/)({ user: 'admin' })).toBe(true);
  });

  it('ignores global and sticky flags of the regex it was given', () => {
    const filter = createDiscardFilter('a', /x/g);
    expect([filter({ a: 'xy' }), filter({ a: 'xy' })]).toEqual([true, true]);
  });

  it('searches lists on the way element by element', () => {
    const filter = createDiscardFilter('resources.type', /AWS::S3/);
    const record = { resources: [{ type: 'AWS::EC2::Instance' }, { type: 'AWS::S3::Bucket' }] };
    expect(filter(record)).toBe(true);
    expect(filter({ resources: [{ type: 'AWS::EC2::Instance' }] })).toBe(false);
  });

  it('searches a list at the end of the path', () => {
    const filter = createDiscardFilter('tags', /secret/);
    expect(filter({ tags: ['public', 'secret-stuff'] })).toBe(true);
  });

  it('matches numbers and booleans by their text, never objects', () => {
    expect(createDiscardFilter('port', /44/)({ port: 443 })).toBe(true);
    expect(createDiscardFilter('ok', /true/)({ ok: true })).toBe(true);
    expect(createDiscardFilter('obj', /\[object/)({ obj: { a: 1 } })).toBe(false);
  });

  it('tries the regex on a plain line itself, whatever the field', () => {
    const filter = createDiscardFilter('anything', /DEBUG/);
    expect(filter('DEBUG starting')).toBe(true);
    expect(filter('INFO DEBUG later')).toBe(false);
  });

  it('discards no JSON record when no field is given', () => {
    const filter = createDiscardFilter(undefined, /x/);
    expect(filter({ a: 'x' })).toBe(false);
    expect(filter('x marks the line')).toBe(true);
  });
});
