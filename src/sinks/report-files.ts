/**
 * Writes a drill's evidence into the report directory: the report JSON and Markdown composed by
 * report/compose.ts, the public key beside them once, and the regenerated evidence index.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Logger } from '../log/logger.js';
import type { DrillOutcome, Plan } from '../model/types.js';
import { TOOL_VERSION } from '../model/version.js';
import { sha256Hex } from '../report/canonical.js';
import { composeReport } from '../report/compose.js';
import { renderEvidenceIndex } from '../report/render/evidence-index.js';
import { compareReportFiles, EVIDENCE_INDEX_FILE, runContextFromEnv, type Report } from '../report/model.js';
import { secretsFrom } from '../report/sanitize.js';
import {
  loadSigningKey,
  parsePublicKeys,
  PUBLIC_KEY_FILE,
  publicKeyFingerprint,
  publicKeyPem,
} from '../report/signing.js';
import { listReportFiles, readEvidenceConfig, readEvidenceDocuments } from './report-dir.js';
import { secretsOf } from '../inputs/secrets.js';
import type { KeyObject } from 'node:crypto';

export interface WriteReportInput {
  /** The plan's evidence settings: the signing key parsed while planning; secrets from secretsOf. */
  plan: Pick<Plan, 'reportDir' | 'signingKey'> &
    Partial<Pick<Plan, 'githubToken' | 'productionUrl' | 'sourceUrl'>> & {
      evidence?: { signingKey?: KeyObject };
      secrets?: readonly string[];
    };
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
  /** The evidence index (README.md beside the reports). */
  evidenceIndexPath: string;
  /** Set when this run wrote (or extended) the public key file beside the reports. */
  publicKeyPath: string | null;
  /** Every file this run wrote, for the commit: report JSON and Markdown, index, and a new public key. */
  files: string[];
}

/**
 * Writes the drill's evidence: builds the model, links it to the previous report, renders Markdown,
 * binds the Markdown's hash into the model, signs, writes both files, commits the public key beside
 * them once, and regenerates the evidence index. Works the same for passed, failed and errored drills.
 */
export async function writeReport(input: WriteReportInput): Promise<WrittenReport> {
  const { plan, outcome } = input;
  const env = input.env ?? {};
  const now = input.now ?? new Date();
  const dir = plan.reportDir;
  // A plan from buildPlan holds the key parsed; a plan built by hand (tests, the demo) may hold its PEM.
  const signingKey = plan.evidence?.signingKey ?? (plan.signingKey ? loadSigningKey(plan.signingKey) : null);
  const secrets = secretsFrom([...secretsOf(plan), ...(input.secrets ?? [])]);

  await mkdir(dir, { recursive: true });
  const existing = await listReportFiles(dir);
  const last = existing.at(-1);
  const lastBytes = last ? await readFile(join(dir, last)) : null;
  const previous = last && lastBytes ? { file: last, sha256: sha256Hex(lastBytes) } : null;
  warnSignedOntoUnsigned(lastBytes?.toString('utf8') ?? null, last, signingKey !== null, input.logger);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const { report, markdown, json } = composeReport({
    outcome,
    run: runContextFromEnv(env, outcome.cadence),
    taken: new Set(await readdir(dir)),
    previous,
    generatedAt: now,
    toolVersion: input.toolVersion ?? TOOL_VERSION,
    secrets,
    signingKey,
    shownDir: shownReportDir(dir, workspace),
  });
  const file = report.file;
  if (last && compareReportFiles(last, file) > 0) {
    input.logger?.warning(
      `report: ${file} sorts before the existing ${last}; the chain follows file-name order, so verify-reports will flag it (is the clock right?)`,
    );
  }
  const fingerprint = report.signature?.publicKeyFingerprint ?? null;

  const jsonPath = join(dir, file);
  const markdownPath = join(dir, report.markdown.file);
  await writeFile(markdownPath, markdown, { flag: 'wx' });
  await writeFile(jsonPath, json, { flag: 'wx' });
  const files = [jsonPath, markdownPath];

  let publicKeyPath: string | null = null;
  if (signingKey) {
    publicKeyPath = await ensurePublicKey(dir, signingKey, input.logger);
    if (publicKeyPath) files.push(publicKeyPath);
  }

  const evidenceIndexPath = await writeEvidenceIndex(dir, now, input.logger);
  files.push(evidenceIndexPath);
  input.logger?.info(
    `report: ${report.result} written to ${jsonPath} and ${markdownPath}${fingerprint ? ` (signed ${fingerprint})` : ' (unsigned)'}`,
  );
  return { report, markdown, jsonPath, markdownPath, evidenceIndexPath, publicKeyPath, files };
}

/**
 * Writes the public key beside the reports when absent. When a different key is already committed
 * (a rotation), the new key is appended so verify-reports can check old and new reports alike; the
 * auditor's pinned fingerprints decide which keys are trusted.
 */
export async function ensurePublicKey(
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

/**
 * Reads every document of the chain and restore-proof.yml beside them (else the defaults), and regenerates
 * the evidence index (README.md).
 */
export async function writeEvidenceIndex(dir: string, now: Date, logger?: Logger): Promise<string> {
  const { entries, exercises, retractions, unreadable } = await readEvidenceDocuments(dir, logger);
  const config = await readEvidenceConfig(dir);
  const path = join(dir, EVIDENCE_INDEX_FILE);
  await writeFile(path, renderEvidenceIndex(entries, now, unreadable, { config, exercises, retractions }));
  return path;
}

/**
 * A signed run never chains silently onto an unsigned document: it warns, naming the unsigned one (the chain
 * still holds; verify-reports reports the unsigned document as unsigned, and fails unless unsigned is allowed).
 */
export function warnSignedOntoUnsigned(
  lastText: string | null,
  last: string | undefined,
  signing: boolean,
  logger?: Logger,
): void {
  if (!signing || !lastText || !last) return;
  try {
    const parsed = JSON.parse(lastText) as { signature?: unknown };
    if (parsed && typeof parsed === 'object' && !parsed.signature)
      logger?.warning(
        `report: this signed document chains onto ${last}, which is unsigned; verify-reports will name it unsigned (sign every run, or retract it)`,
      );
  } catch {
    // an unreadable previous document is verify-reports' to name
  }
}

const toPosix = (p: string): string => p.split(sep).join('/').replace(/\/+$/, '') || '.';

/**
 * The report directory as the Markdown's verify recipe shows it: relative to the repository root, or the
 * relative path given; never an absolute path outside the repository (a runner's temporary directory).
 */
export function shownReportDir(dir: string, workspace: string): string {
  return repositoryPath(resolve(dir), workspace) ?? (isAbsolute(dir) ? 'REPORT_DIR' : toPosix(dir));
}

/** A path relative to the repository root in forward slashes, or null when it lies outside it. */
export function repositoryPath(path: string, workspace: string): string | null {
  const rel = relative(workspace, path);
  if (!rel || rel.startsWith('..') || rel.includes(`:${sep}`) || rel.startsWith(sep)) return null;
  return toPosix(rel);
}
