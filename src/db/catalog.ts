/**
 * A catalog snapshot: the user relations the validator fingerprints (tables, materialized views, and
 * foreign tables, which it names but never reads), and the schema objects, roles and
 * privileges it compares. Names and definitions only; no query here reads a row of user data.
 */
import type pg from 'pg';

export interface ColumnInfo {
  name: string;
  attnum: number;
  /** format_type: the declared type with modifiers, e.g. numeric(12,2). */
  type: string;
  /** The base type name in pg_catalog (domains resolved), or null for types outside pg_catalog. */
  baseType: string | null;
  /** Element type name in pg_catalog for arrays, else null. */
  elementType: string | null;
  collatable: boolean;
  notNull: boolean;
}

/** What a relation in TableInfo is: relkind r, m or f (partitioned tables are read through their partitions). */
export type RelationKind = 'table' | 'materialized view' | 'foreign table';

export interface TableInfo {
  schema: string;
  name: string;
  /** Absent means a table. */
  kind?: RelationKind;
  /** A materialized view holds data (relispopulated); one created WITH NO DATA cannot be read. */
  populated?: boolean;
  /** schema.name as used in check ids: each part double-quoted unless a plain lower-case name (tableKey). */
  key: string;
  /** p: permanent, u: unlogged (empty after any restore). */
  persistence: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  /** Columns fed by a sequence (serial or identity): the sequence's key, schema and name. */
  sequences: { column: string; sequence: string; schema?: string; name?: string }[];
  estimatedRows: number;
  /** Row-level security is enabled on the table (policies may hide rows from a non-owner). */
  rowSecurity?: boolean;
}

/**
 * Whether a fingerprint pass reads the relation's rows: not an unlogged table (empty after any restore),
 * not a foreign table (its rows live on another server, which the drill must not query), not a
 * materialized view that is not populated (reading it is an error).
 */
export function readsRows(table: Pick<TableInfo, 'persistence' | 'kind' | 'populated'>): boolean {
  return table.persistence !== 'u' && table.kind !== 'foreign table' && table.populated !== false;
}

const RELATION_KINDS: Record<string, RelationKind> = {
  r: 'table',
  m: 'materialized view',
  f: 'foreign table',
};

const PLAIN_NAME = /^[a-z_][a-z0-9_$]*$/;

/** A name as it appears in a key: as is when plain (lower case, digits, _ and $), else double-quoted. */
export function keyPart(name: string): string {
  return PLAIN_NAME.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * The key of schema.name, unambiguous: x."y.z" and "x.y".z differ, while plain names read as they always
 * did (public.orders), so exclude-tables and watermark entries written that way keep matching.
 */
export function tableKey(schema: string, name: string): string {
  return `${keyPart(schema)}.${keyPart(name)}`;
}

/** keyPart in SQL, for keys built by the server. */
export const keyPartSql = (expr: string): string =>
  `(CASE WHEN ${expr} ~ '^[a-z_][a-z0-9_$]*$' THEN ${expr}::text ELSE '"' || replace(${expr}, '"', '""') || '"' END)`;

export interface Catalog {
  tables: TableInfo[];
  /** Every comparable object, by kind, as name -> definition. */
  objects: Record<SchemaKind, Map<string, string>>;
}

export const SCHEMA_KINDS = [
  'tables',
  'columns',
  'indexes',
  'constraints',
  'sequences',
  'views',
  'functions',
  'extensions',
] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp_'`;
/** Objects created by an extension are covered by the extension's version. */
const NOT_EXTENSION_MEMBER = (classid: string, oid: string): string =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${classid}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

export async function readTables(client: pg.Client): Promise<TableInfo[]> {
  const { rows } = await client.query<{
    schema: string;
    name: string;
    relkind: string;
    populated: boolean;
    persistence: string;
    estimated: string;
    columns: ColumnInfo[];
    pk: string[] | null;
    seqs: { column: string; schema: string; name: string }[] | null;
    rls: boolean;
  }>(`
    SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, c.relispopulated AS populated,
           c.relpersistence AS persistence, c.relrowsecurity AS rls,
           greatest(c.reltuples, 0)::bigint::text AS estimated,
           (SELECT json_agg(json_build_object(
                     'name', a.attname, 'attnum', a.attnum, 'type', format_type(a.atttypid, a.atttypmod),
                     'baseType', CASE WHEN bt.typnamespace = 'pg_catalog'::regnamespace THEN bt.typname END,
                     'elementType', CASE WHEN et.typnamespace = 'pg_catalog'::regnamespace THEN et.typname END,
                     'collatable', bt.typcollation <> 0, 'notNull', a.attnotnull) ORDER BY a.attnum)
              FROM pg_attribute a
              JOIN pg_type t ON t.oid = a.atttypid
              JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
              LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
           (SELECT array_agg(a.attname::text ORDER BY k.ord)
              FROM pg_constraint pk
              CROSS JOIN LATERAL unnest(pk.conkey) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
             WHERE pk.conrelid = c.oid AND pk.contype = 'p') AS pk,
           (SELECT json_agg(json_build_object('column', a.attname, 'schema', sn.nspname, 'name', s.relname)
                     ORDER BY a.attnum)
              FROM pg_depend d
              JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
              JOIN pg_namespace sn ON sn.oid = s.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
             WHERE d.classid = 'pg_class'::regclass AND d.refobjid = c.oid AND d.deptype IN ('a', 'i')) AS seqs
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'm', 'f') AND ${USER_NS} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
     ORDER BY 1, 2`);
  return rows.map((r) => ({
    schema: r.schema,
    name: r.name,
    kind: RELATION_KINDS[r.relkind] ?? 'table',
    populated: r.populated,
    key: tableKey(r.schema, r.name),
    persistence: r.persistence,
    columns: r.columns ?? [],
    primaryKey: r.pk ?? [],
    sequences: (r.seqs ?? []).map((q) => ({ ...q, sequence: tableKey(q.schema, q.name) })),
    estimatedRows: Number(r.estimated),
    rowSecurity: r.rls,
  }));
}

/** name -> definition for each schema object kind. Definitions are DDL text, never data. */
export async function readSchemaObjects(client: pg.Client): Promise<Record<SchemaKind, Map<string, string>>> {
  const q = async (sql: string): Promise<Map<string, string>> => {
    const { rows } = await client.query<{ k: string; v: string }>(sql);
    return new Map(rows.map((r) => [r.k, r.v ?? '']));
  };
  // In SCHEMA_KINDS order, one query at a time (a pg client runs them in sequence anyway).
  const sqls = [
    `SELECT ${keyPartSql('n.nspname')} || '.' || ${keyPartSql('c.relname')} AS k,
              CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'table' END
              || CASE c.relpersistence WHEN 'u' THEN ', unlogged' ELSE '' END AS v
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'f') AND ${USER_NS} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}`,
    `SELECT ${keyPartSql('n.nspname')} || '.' || ${keyPartSql('c.relname')} || '.' || ${keyPartSql('a.attname')} AS k,
              format_type(a.atttypid, a.atttypmod)
              || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
              || CASE WHEN a.attidentity <> '' THEN ' identity' ELSE '' END
              || CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END
              || coalesce(' collate ' || nullif(co.collname, 'default'), '')
              || coalesce(' default#' || left(md5(pg_get_expr(ad.adbin, ad.adrelid)), 8), '') AS v
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
         LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND ${USER_NS}
          AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}`,
    `SELECT ${keyPartSql('n.nspname')} || '.' || ${keyPartSql('i.relname')} AS k, pg_get_indexdef(i.oid)
              || CASE WHEN x.indisvalid THEN '' ELSE ' (invalid)' END AS v
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
        WHERE ${USER_NS} AND ${NOT_EXTENSION_MEMBER('pg_class', 'x.indrelid')}`,
    `SELECT ${keyPartSql('n.nspname')} || '.' || ${keyPartSql('c.relname')} || '.' || ${keyPartSql('x.conname')} AS k,
              pg_get_constraintdef(x.oid) || CASE WHEN x.convalidated THEN '' ELSE ' (not validated)' END AS v
         FROM pg_constraint x JOIN pg_class c ON c.oid = x.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE ${USER_NS} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}`,
    `SELECT ${keyPartSql('schemaname')} || '.' || ${keyPartSql('sequencename')} AS k,
              concat_ws(' ', data_type::text, 'start', start_value, 'increment', increment_by,
                        'min', min_value, 'max', max_value, CASE WHEN cycle THEN 'cycle' END) AS v
         FROM pg_sequences`,
    `SELECT ${keyPartSql('n.nspname')} || '.' || ${keyPartSql('c.relname')} AS k,
              CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END
              || md5(pg_get_viewdef(c.oid)) AS v
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('v', 'm') AND ${USER_NS} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}`,
    `SELECT ${keyPartSql('n.nspname')} || '.' || ${keyPartSql('p.proname')} || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS k,
              p.prokind::text || ' returns ' || format_type(p.prorettype, NULL) || ' ' || l.lanname
              || ' ' || md5(coalesce(p.prosrc, '') || coalesce(p.probin, '')) AS v
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
        WHERE ${USER_NS} AND ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}`,
    `SELECT extname AS k, extversion AS v FROM pg_extension`,
  ];
  const out = {} as Record<SchemaKind, Map<string, string>>;
  for (const [index, kind] of SCHEMA_KINDS.entries()) out[kind] = await q(sqls[index]!);
  return out;
}

export async function readCatalog(client: pg.Client): Promise<Catalog> {
  const tables = await readTables(client);
  const objects = await readSchemaObjects(client);
  return { tables, objects };
}

/** Roles and the attributes that matter for access, as name -> "superuser=false login=true ...". */
export async function readRoles(client: pg.Client): Promise<Map<string, string>> {
  const { rows } = await client.query<{ k: string; v: string }>(`
    SELECT rolname AS k,
           concat_ws(' ', 'superuser=' || rolsuper, 'login=' || rolcanlogin,
                     'createrole=' || rolcreaterole, 'bypassrls=' || rolbypassrls) AS v
      FROM pg_roles WHERE rolname !~ '^pg_'`);
  return new Map(rows.map((r) => [r.k, r.v]));
}

/** Table privileges as a set of "schema.table grantee PRIVILEGE[ grantable]". */
export async function readTablePrivileges(client: pg.Client): Promise<Set<string>> {
  const { rows } = await client.query<{ k: string }>(`
    SELECT ${keyPartSql('n.nspname')} || '.' || ${keyPartSql('c.relname')} || ' ' ||
           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END || ' ' ||
           a.privilege_type || CASE WHEN a.is_grantable THEN ' grantable' ELSE '' END AS k
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND ${USER_NS}`);
  return new Set(rows.map((r) => r.k));
}
