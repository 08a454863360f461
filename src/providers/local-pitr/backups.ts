/**
 * The base backups in backup-dir: plain-format pg_basebackup directories (one sub-directory per backup), each
 * read from its backup_label and, for its consistency point, the backup history file the source archived
 * into the WAL archive (else the manifest's modification time, else the label's start time).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { ConnectionSettings } from '../../model/types.js';
import { InputError } from '../../inputs/input-error.js';
import type { RestoreTestPlan as Plan } from '../../inputs/plan-types.js';

/** One base backup in backup-dir, as read from its backup_label and the archived backup history file. */
export interface BaseBackup {
  name: string;
  path: string;
  timeline: number;
  /** WAL segment file holding the backup's start (from backup_label). */
  startSegment: string;
  startLsn: string;
  startTime: Date;
  /** The earliest instant a restore from this backup can reach: its consistency point (STOP TIME, rounded up). */
  consistentAt: Date;
  /** Where consistentAt came from: the history file, or the manifest's modification time. */
  consistentFrom: 'history' | 'manifest-mtime' | 'label';
  pgVersion: string;
}

const HISTORY = /^[0-9A-F]{24}\.[0-9A-F]{8}\.backup$/;

/** key: value lines of backup_label / backup history files. */
export function parseLabel(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z ]+):\s?(.*)$/.exec(line.trimEnd());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** "0/2000028 (file 000000010000000000000002)" -> { lsn, segment }. */
export function parseWalLocation(value: string | undefined): { lsn: string; segment: string } | undefined {
  const m = /^([0-9A-F]+\/[0-9A-F]+)\s+\(file ([0-9A-F]{24})\)/i.exec(value ?? '');
  return m ? { lsn: m[1]!.toUpperCase(), segment: m[2]!.toUpperCase() } : undefined;
}

/**
 * A PostgreSQL timestamp as printed in backup_label ("2026-01-31 03:15:00 UTC", "... +01", "... +0530") or by
 * pg_waldump under TZ=UTC ("2026-01-31 03:15:00.123456 UTC"). Undefined for zone abbreviations it cannot map.
 */
export function parsePgTimestamp(value: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?\s*(UTC|GMT|Z|[+-]\d{2}(?::?\d{2})?)$/.exec(
    value.trim(),
  );
  if (!m) return undefined;
  const fraction = m[3] ? m[3].slice(0, 4) : '';
  let zone = m[4]!;
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') zone = 'Z';
  else if (/^[+-]\d{2}$/.test(zone)) zone = `${zone}:00`;
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${m[1]}T${m[2]}${fraction}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const ceilSecond = (d: Date): Date => new Date(Math.ceil(d.getTime() / 1000) * 1000);

/** The base backups in backup-dir (plain format), oldest consistency point first. */
export async function listBackups(plan: Plan): Promise<BaseBackup[]> {
  const dir = plan.backupDir!;
  const archive = plan.walArchiveDir!;
  const histories = new Map<string, Map<string, string>>();
  for (const name of await readdir(archive)) {
    if (!HISTORY.test(name)) continue;
    const fields = parseLabel(await readFile(join(archive, name), 'utf8'));
    const start = parseWalLocation(fields.get('START WAL LOCATION'));
    if (start) histories.set(start.lsn, fields);
  }
  const backups: BaseBackup[] = [];
  let tarOnly = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    const labelPath = join(path, 'backup_label');
    if (!existsSync(labelPath)) {
      if (existsSync(join(path, 'base.tar')) || existsSync(join(path, 'base.tar.gz'))) tarOnly++;
      continue;
    }
    const label = parseLabel(await readFile(labelPath, 'utf8'));
    const start = parseWalLocation(label.get('START WAL LOCATION'));
    const startRaw = label.get('START TIME');
    if (!start || !startRaw) continue;
    const pgVersion = (await readFile(join(path, 'PG_VERSION'), 'utf8').catch(() => '')).trim();
    const history = histories.get(start.lsn);
    const startTime = (await readLabelTime(startRaw, plan)) ?? (await stat(labelPath)).mtime;
    let consistentAt: Date | undefined;
    let consistentFrom: BaseBackup['consistentFrom'] = 'history';
    const stopRaw = history?.get('STOP TIME');
    if (stopRaw) consistentAt = await readLabelTime(stopRaw, plan);
    if (!consistentAt && existsSync(join(path, 'backup_manifest'))) {
      consistentAt = (await stat(join(path, 'backup_manifest'))).mtime;
      consistentFrom = 'manifest-mtime';
    }
    if (!consistentAt) {
      consistentAt = startTime;
      consistentFrom = 'label';
    }
    backups.push({
      name: entry.name,
      path,
      timeline: Number(label.get('START TIMELINE') ?? parseInt(start.segment.slice(0, 8), 16)),
      startSegment: start.segment,
      startLsn: start.lsn,
      startTime,
      consistentAt: ceilSecond(consistentAt),
      consistentFrom,
      pgVersion,
    });
  }
  if (backups.length === 0) {
    throw new InputError(
      'backup-dir',
      tarOnly > 0
        ? 'holds only tar-format backups; restore-proof reads plain-format ones (pg_basebackup -Fp -D <backup-dir>/<name>)'
        : 'holds no pg_basebackup backup: expected sub-directories made by pg_basebackup -Fp -D <backup-dir>/<name>',
      plan.backupDir,
    );
  }
  return backups.sort((a, b) => a.consistentAt.getTime() - b.consistentAt.getTime());
}

/** Reads a label time: UTC or an offset here; any other zone through the source (source-url). */
async function readLabelTime(raw: string, plan: Plan): Promise<Date | undefined> {
  const local = parsePgTimestamp(raw);
  const source = sourceUrl(plan);
  if (local || !source) return local;
  const client = new pg.Client({
    ...source,
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ t: Date }>('select $1::timestamptz as t', [raw]);
    return rows[0]?.t;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** source-url's connection settings, parsed while planning (ssl-mode disable: a local server). */
export const sourceUrl = (plan: Plan): ConnectionSettings | undefined =>
  plan.source.kind === 'local-pitr' ? plan.source.url?.settings : undefined;
