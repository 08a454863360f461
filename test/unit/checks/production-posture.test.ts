import { productionPassCheck } from '../../../src/checks/production-posture.js';
import type { ProductionSide } from '../../../src/checks/production-side.js';

const side = (over: Partial<ProductionSide>): ProductionSide => ({
  tables: [],
  fingerprints: new Map(),
  custom: new Map(),
  ...over,
});

test('the production pass: a reader passes, the writer warns and says why, an unread pass warns', () => {
  expect(productionPassCheck(undefined)).toBeUndefined();
  const reader = productionPassCheck(side({ pass: { ms: 1200, onReader: true, retried: [] } }))!;
  expect(reader).toMatchObject({
    id: 'posture:production-pass',
    category: 'posture',
    status: 'pass',
    measured: 1200,
  });
  const writer = productionPassCheck(side({ pass: { ms: 900, onReader: false, retried: ['public.tags'] } }))!;
  expect(writer.status).toBe('warn');
  expect(writer.summary).toContain('on the writer');
  expect(writer.summary).toContain('a long read on a reader never blocks a DDL on the writer');
  expect(writer.summary).toContain('retried after a lock timeout: public.tags');
  const unread = productionPassCheck(side({ error: 'connection refused', pass: { ms: 5, retried: [] } }))!;
  expect(unread.status).toBe('warn');
  expect(unread.summary).toContain('without reading production: connection refused');
});

test('the production pass states the load bounds it ran under', () => {
  const bounds = { tablesAtOnce: 3, parallelWorkers: 0, statementTimeoutMs: 120_000 };
  const reader = productionPassCheck(side({ pass: { ms: 10, onReader: true, retried: [] } }), bounds)!;
  expect(reader.summary).toContain(
    'at most 3 tables at once, 0 parallel workers per statement, lock_timeout 5 s, statement_timeout 120 s',
  );
  const writer = productionPassCheck(side({ pass: { ms: 10, onReader: false, retried: [] } }), {
    tablesAtOnce: 1,
    parallelWorkers: 2,
    lockTimeoutMs: 3000,
  })!;
  expect(writer.summary).toContain(
    'at most 1 table at once, 2 parallel workers per statement, lock_timeout 3 s, statement_timeout none',
  );
  const unread = productionPassCheck(side({ error: 'refused', pass: { ms: 5, retried: [] } }), bounds)!;
  expect(unread.summary).toContain('(at most 3 tables at once');
});
