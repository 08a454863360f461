/**
 * The fleet index: a report directory whose subdirectories each hold one source's report chain (the fleet
 * workflow gives every cluster its own, so parallel drills never fork a chain). Reads every subdirectory's
 * reports and writes the directory's README.md from them.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import { renderFleetIndex, type IndexedReport, type ReportGroup } from '../report/render/index-page.js';
import type { Report } from '../report/model.js';
import { INDEX_FILE, listReportFiles } from './report-files.js';

async function readGroup(dir: string, name: string | null, unreadable: string[], logger?: Logger) {
  const entries: IndexedReport[] = [];
  for (const file of await listReportFiles(dir)) {
    const shown = name ? `${name}/${file}` : file;
    try {
      const report = JSON.parse(await readFile(join(dir, file), 'utf8')) as Report;
      if (!report || typeof report !== 'object' || !report.restore || !report.objectives)
        throw new Error('shape');
      entries.push({ file, report });
    } catch {
      unreadable.push(shown);
      logger?.warning(`fleet index: ${shown} could not be read`);
    }
  }
  return { dir: name, entries };
}

/** The groups under dir: each subdirectory (sorted by name), and dir itself when it holds reports. */
export async function readFleet(
  dir: string,
  logger?: Logger,
): Promise<{ groups: ReportGroup[]; unreadable: string[] }> {
  const unreadable: string[] = [];
  if (!existsSync(dir)) return { groups: [], unreadable };
  const groups: ReportGroup[] = [];
  const own = await readGroup(dir, null, unreadable, logger);
  if (own.entries.length > 0) groups.push(own);
  const subdirs = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
  for (const name of subdirs) groups.push(await readGroup(join(dir, name), name, unreadable, logger));
  return { groups, unreadable };
}

export async function writeFleetIndex(
  dir: string,
  now: Date,
  logger?: Logger,
): Promise<{ path: string; markdown: string }> {
  const { groups, unreadable } = await readFleet(dir, logger);
  const markdown = renderFleetIndex(groups, now, unreadable);
  const path = join(dir, INDEX_FILE);
  await writeFile(path, markdown);
  logger?.info(
    `fleet index: ${path} from ${groups.reduce((n, g) => n + g.entries.length, 0)} reports in ${groups.length} directories`,
  );
  return { path, markdown };
}
