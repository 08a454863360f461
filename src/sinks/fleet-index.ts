/**
 * The fleet index: a report directory whose subdirectories each hold one source's report chain (the fleet
 * workflow gives every cluster its own, so parallel drills never fork a chain). Reads every subdirectory's
 * reports and writes the fleet index (README.md of the directory) from them.
 */
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import { FLEET_INDEX_FILE } from '../report/model.js';
import { renderFleetIndex } from '../report/render/fleet-index.js';
import type { ReportGroup } from '../report/render/index-sections.js';
import { readIndexedReports } from './report-dir.js';

/** The groups under dir: dir itself when it holds reports, then each subdirectory (sorted by name). */
export async function readFleet(
  dir: string,
  logger?: Logger,
): Promise<{ groups: ReportGroup[]; unreadable: string[] }> {
  const unreadable: string[] = [];
  if (!existsSync(dir)) return { groups: [], unreadable };
  const groups: ReportGroup[] = [];
  const own = await readIndexedReports(dir, null, logger);
  unreadable.push(...own.unreadable);
  if (own.entries.length > 0) groups.push({ dir: null, entries: own.entries });
  const subdirs = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
  for (const name of subdirs) {
    const group = await readIndexedReports(join(dir, name), name, logger);
    unreadable.push(...group.unreadable);
    groups.push({ dir: name, entries: group.entries });
  }
  return { groups, unreadable };
}

export async function writeFleetIndex(
  dir: string,
  now: Date,
  logger?: Logger,
): Promise<{ path: string; markdown: string }> {
  const { groups, unreadable } = await readFleet(dir, logger);
  const markdown = renderFleetIndex(groups, now, unreadable);
  const path = join(dir, FLEET_INDEX_FILE);
  await writeFile(path, markdown);
  logger?.info(
    `fleet index: ${path} from ${groups.reduce((n, g) => n + g.entries.length, 0)} reports in ${groups.length} directories`,
  );
  return { path, markdown };
}
