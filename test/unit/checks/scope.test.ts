import { excludedObject, excludedTable, tablesInScope } from '../../../src/checks/scope.js';
import type { TableInfo } from '../../../src/db/catalog.js';

const table = (key: string, persistence = 'p'): TableInfo => {
  const [schema, name] = key.split('.') as [string, string];
  return { schema, name, key, persistence, columns: [], primaryKey: [], sequences: [], estimatedRows: 0 };
};

const file = { checks: [], 'exclude-tables': ['public.audit'] };

test('excluded tables leave the scope; unlogged tables stay in it', () => {
  const tables = [table('public.orders'), table('public.audit'), table('public.cache', 'u')];
  expect(tablesInScope(tables, file).map((t) => t.key)).toEqual(['public.orders', 'public.cache']);
  expect(tablesInScope(tables, { checks: [] })).toHaveLength(3);
  expect(excludedTable(file)('public.audit')).toBe(true);
  expect(excludedTable(file)('public.audit_log')).toBe(false);
});

test("an excluded table's objects leave the schema comparison, but not functions or extensions", () => {
  const columns = excludedObject('columns', file);
  expect(columns('public.audit')).toBe(true);
  expect(columns('public.audit.id')).toBe(true);
  expect(columns('public.audit_log.id')).toBe(false);
  expect(excludedObject('functions', file)('public.audit')).toBe(false);
  expect(excludedObject('extensions', file)('public.audit')).toBe(false);
  expect(excludedObject('indexes', { checks: [] })('public.audit')).toBe(false);
});
