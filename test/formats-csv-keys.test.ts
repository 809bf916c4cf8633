import { describe, expect, it } from 'vitest';

import { bucketsEvent, recordFields } from '../src/subscribers/buckets.js';
import { keyByHeader } from '../src/formats/csv.js';

describe('CSV rows keyed by their header', () => {
  it('keeps a column whose name is __proto__ as data, through to the sent JSON', () => {
    const row = keyByHeader(['P1', 'x'], ['__proto__', 'name']);
    const fields = recordFields({ kind: 'csv', fields: row });
    const event = bucketsEvent(fields!, { log_file: 'k', s3bucket: 'b' });

    expect(Object.keys(row)).toEqual(['__proto__', 'name']);
    expect(JSON.parse(JSON.stringify(event)).aws).toMatchObject({ name: 'x', ['__proto__']: 'P1' });
  });

  it('puts values beyond the header in extra_fields and leaves missing ones out', () => {
    expect(keyByHeader(['1', '2', '3'], ['a', 'b'])).toEqual({ a: '1', b: '2', extra_fields: ['3'] });
    expect(keyByHeader(['1'], ['a', 'b'])).toEqual({ a: '1' });
  });
});
