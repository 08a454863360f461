import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Logger } from '../log/logger.js';
import type { DrillOutcome, Plan } from '../model/types.js';
import { canonicalJson, sha256Hex } from '../report/canonical.js';
import { renderIndex, type IndexedReport } from '../report/render/index-page.js';
import { renderMarkdown } from '../report/render/markdown.js';
import {
  buildReport,
  compareReportFiles,
  REPORT_FILE,
  reportStem,
  runContextFromEnv,
  type Report,
} from '../report/model.js';
import { secretsFrom } from '../report/sanitize.js';
import {
  loadSigningKey,
  parsePublicKeys,
  PUBLIC_KEY_FILE,
  publicKeyFingerprint,
  publicKeyPem,
  signReport,
} from '../report/signing.js';

export const INDEX_FILE = 'README.md';

export interface WriteReportInput {
  plan: Pick<Plan, 'reportDir' | 'signingKey'> &
    Partial<Pick<Plan, 'githubToken' | 'productionUrl' | 'sourceUrl'>>;
  outcome: DrillOutcome;
  /** process.env in the action; a map in tests. */
  env?: Record<string, string | undefined>;
  now?: Date;
  logger?: Logger;
  /** More strings that must never appear in the report (the plan's secrets are added automatically). */
  secrets?: string[];
  toolVersion?: string;
}

export interface WrittenReport {
  report: Report;
  markdown: string;
  jsonPath: string;
  markdownPath: string;
  indexPath: string;
  /** Set when this run wrote (or extended) the public key file beside the reports. */
  publicKeyPath: string | null;
  /** Every file this run wrote, for the commit: report JSON and Markdown, index, and a new public key. */
  files: string[];
}

/** Report JSON files in the directory, in chain (file-name) order. */
export async function listReportFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((name) => REPORT_FILE.test(name)).sort(compareReportFiles);
}

/** The JSON file as written: readable, signature last; verification reads it back canonically. */
export function serializeReport(report: Report): string {
  canonicalJson(report); // refuses anything the canonical form cannot carry before it is written
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Writes the drill's evidence: builds the model, links it to the previous report, renders Markdown,
 * binds the Markdown's hash into the model, signs, writes both files, commits the public key beside
 * them once, and regenerates the index. Works the same for passed, failed and errored drills.
 */
export async function writeReport(input: WriteReportInput): Promise<WrittenReport> {
  const { plan, outcome } = input;
  const env = input.env ?? {};
  const now = input.now ?? new Date();
  const dir = plan.reportDir;
  const signingKey = plan.signingKey ? loadSigningKey(plan.signingKey) : null;
  const secrets = secretsFrom([
    plan.signingKey,
    plan.githubToken,
    plan.productionUrl,
    plan.sourceUrl,
    ...(input.secrets ?? []),
  ]);

  await mkdir(dir, { recursive: true });
  const existing = await listReportFiles(dir);
  const stem = uniqueStem(reportStem(outcome), new Set(await readdir(dir)));
  const file = `${stem}.json`;
  const markdownFile = `${stem}.md`;
  const last = existing.at(-1);
  if (last && compareReportFiles(last, file) > 0) {
    input.logger?.warning(
      `report: ${file} sorts before the existing ${last}; the chain follows file-name order, so verify-reports will flag it (is the clock right?)`,
    );
  }
  const previous = last ? { file: last, sha256: sha256Hex(await readFile(join(dir, last))) } : null;

  const report = buildReport({
    outcome,
    run: runContextFromEnv(env, outcome.cadence),
    file,
    markdownFile,
    previous,
    generatedAt: now,
    toolVersion: input.toolVersion ?? 'dev',
    secrets,
  });
  const fingerprint = signingKey ? publicKeyFingerprint(signingKey) : null;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const shownDir = repositoryPath(resolve(dir), workspace) ?? toPosix(dir);
  const markdown = renderMarkdown(report, { signingFingerprint: fingerprint, reportDir: shownDir });
  report.markdown.sha256 = sha256Hex(markdown);
  if (signingKey) report.signature = signReport(report, signingKey);

  const jsonPath = join(dir, file);
  const markdownPath = join(dir, markdownFile);
  const json = serializeReport(report);
  await writeFile(markdownPath, markdown, { flag: 'wx' });
  await writeFile(jsonPath, json, { flag: 'wx' });
  const files = [jsonPath, markdownPath];

  let publicKeyPath: string | null = null;
  if (signingKey) {
    publicKeyPath = await ensurePublicKey(dir, signingKey, input.logger);
    if (publicKeyPath) files.push(publicKeyPath);
  }

  const indexPath = await writeIndex(dir, now, input.logger);
  files.push(indexPath);
  input.logger?.info(
    `report: ${report.result} written to ${jsonPath} and ${markdownPath}${fingerprint ? ` (signed ${fingerprint})` : ' (unsigned)'}`,
  );
  return { report, markdown, jsonPath, markdownPath, indexPath, publicKeyPath, files };
}

/** Two drills in the same second for the same source and cadence get -2, -3, ... */
function uniqueStem(stem: string, taken: Set<string>): string {
  const free = (s: string) => !taken.has(`${s}.json`) && !taken.has(`${s}.md`);
  if (free(stem)) return stem;
  for (let n = 2; ; n++) if (free(`${stem}-${n}`)) return `${stem}-${n}`;
}

/**
 * Writes the public key beside the reports when absent. When a different key is already committed
 * (a rotation), the new key is appended so verify-reports can check old and new reports alike; the
 * auditor's pinned fingerprints decide which keys are trusted.
 */
async function ensurePublicKey(
  dir: string,
  signingKey: ReturnType<typeof loadSigningKey>,
  logger: Logger | undefined,
): Promise<string | null> {
  const path = join(dir, PUBLIC_KEY_FILE);
  const pem = publicKeyPem(signingKey);
  const fingerprint = publicKeyFingerprint(signingKey);
  if (!existsSync(path)) {
    await writeFile(path, pem);
    logger?.info(
      `report: wrote the public key ${fingerprint} to ${path}; commit it once and pin its fingerprint`,
    );
    return path;
  }
  const current = await readFile(path, 'utf8');
  let known: Map<string, unknown>;
  try {
    known = parsePublicKeys(current);
  } catch {
    logger?.warning(`report: ${path} holds no readable public key; leaving it as it is`);
    return null;
  }
  if (known.has(fingerprint)) return null;
  await writeFile(path, `${current.trimEnd()}\n${pem}`);
  logger?.warning(
    `report: signing key ${fingerprint} is new; appended it to ${path}. Tell the auditor its fingerprint out of band.`,
  );
  return path;
}

/** Reads every report in the directory and regenerates README.md from them. */
export async function writeIndex(dir: string, now: Date, logger?: Logger): Promise<string> {
  const entries: IndexedReport[] = [];
  const unreadable: string[] = [];
  for (const name of await listReportFiles(dir)) {
    try {
      const report = JSON.parse(await readFile(join(dir, name), 'utf8')) as Report;
      if (!report || typeof report !== 'object' || !report.restore || !report.objectives)
        throw new Error('shape');
      entries.push({ file: name, report });
    } catch {
      unreadable.push(name);
      logger?.warning(`report: ${name} could not be read for the index`);
    }
  }
  const path = join(dir, INDEX_FILE);
  await writeFile(path, renderIndex(entries, now, unreadable));
  return path;
}

const toPosix = (p: string): string => p.split(sep).join('/').replace(/\/+$/, '') || '.';

/** A path relative to the repository root in forward slashes, or null when it lies outside it. */
export function repositoryPath(path: string, workspace: string): string | null {
  const rel = relative(workspace, path);
  if (!rel || rel.startsWith('..') || rel.includes(`:${sep}`) || rel.startsWith(sep)) return null;
  return toPosix(rel);
}
