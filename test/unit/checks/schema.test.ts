import { compareSchemaKind } from '../../../src/checks/schema.js';

test('schema differences name the object', () => {
  const prod = new Map([
    ['public.a_idx', 'CREATE INDEX a_idx ON public.a USING btree (x)'],
    ['public.b_idx', 'CREATE INDEX b_idx ON public.b USING btree (y)'],
  ]);
  const copy = new Map([['public.a_idx', 'CREATE INDEX a_idx ON public.a USING btree (x)']]);
  const r = compareSchemaKind('indexes', prod, copy, 3);
  expect(r).toMatchObject({ id: 'schema:indexes', status: 'fail' });
  expect(r.summary).toBe('1 index difference; missing on copy: public.b_idx');
  const cols = compareSchemaKind(
    'columns',
    new Map([['public.a.x', 'integer']]),
    new Map([['public.a.x', 'bigint']]),
    1,
  );
  expect(cols.summary).toContain('public.a.x (integer on production, bigint on copy)');
});
