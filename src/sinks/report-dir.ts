/**
 * Reads a report directory for the pure report code: the chain's file list, the reports read back for an
 * index page, the trusted public keys, and every file's bytes for verify-reports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import {
  DEFAULT_EVIDENCE_CONFIG,
  EVIDENCE_CONFIG_FILE,
  parseEvidenceConfig,
  type EvidenceConfig,
} from '../report/evidence-config.js';
import { isExerciseReport, type ExerciseReport } from '../report/exercise.js';
import { compareReportFiles, REPORT_FILE } from '../report/model.js';
import { isRetraction, type RetractionDocument } from '../report/retraction.js';
import { readBackReport, type IndexedReport } from '../report/render/index-sections.js';
import { parsePublicKeys, PUBLIC_KEY_FILE, type ResolvedPublicKeys } from '../report/signing.js';
import {
  verificationFailed,
  verifyReportChain,
  type ReportDirectory,
  type VerifyResult,
} from '../report/verify.js';

/** Report JSON files in the directory, in chain (file-name) order. */
export async function listReportFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((name) => REPORT_FILE.test(name)).sort(compareReportFiles);
}

/** The directory's reports read back for an index page; names of those that could not be read. */
export async function readIndexedReports(
  dir: string,
  shownPrefix: string | null,
  logger?: Logger,
): Promise<{ entries: IndexedReport[]; unreadable: string[] }> {
  const entries: IndexedReport[] = [];
  const unreadable: string[] = [];
  for (const file of await listReportFiles(dir)) {
    const text = await readFile(join(dir, file), 'utf8');
    if (otherChainDocument(text)) continue;
    const entry = readBackReport(file, text);
    if (entry) entries.push(entry);
    else {
      const shown = shownPrefix ? `${shownPrefix}/${file}` : file;
      unreadable.push(shown);
      logger?.warning(`index: ${shown} could not be read`);
    }
  }
  return { entries, unreadable };
}

const otherChainDocument = (text: string): ExerciseReport | RetractionDocument | null => {
  try {
    const parsed = JSON.parse(text) as { schema?: unknown } | null;
    if (parsed && typeof parsed === 'object' && (isExerciseReport(parsed) || isRetraction(parsed)))
      return parsed;
  } catch {
    // read as a report below, which names it unreadable
  }
  return null;
};

/** Every document of the chain read back: drill reports, exercises, retractions; names of unreadable ones. */
export interface EvidenceDocuments {
  entries: IndexedReport[];
  exercises: ExerciseReport[];
  retractions: RetractionDocument[];
  unreadable: string[];
}

export async function readEvidenceDocuments(dir: string, logger?: Logger): Promise<EvidenceDocuments> {
  const out: EvidenceDocuments = { entries: [], exercises: [], retractions: [], unreadable: [] };
  for (const file of await listReportFiles(dir)) {
    const text = await readFile(join(dir, file), 'utf8');
    const other = otherChainDocument(text);
    if (other && isExerciseReport(other)) out.exercises.push(other);
    else if (other) out.retractions.push(other);
    else {
      const entry = readBackReport(file, text);
      if (entry) out.entries.push(entry);
      else {
        out.unreadable.push(file);
        logger?.warning(`index: ${file} could not be read`);
      }
    }
  }
  return out;
}

/** restore-proof.yml beside the reports when it exists, else the defaults. Throws one line naming the key. */
export async function readEvidenceConfig(dir: string): Promise<EvidenceConfig> {
  const path = join(dir, EVIDENCE_CONFIG_FILE);
  if (!existsSync(path)) return DEFAULT_EVIDENCE_CONFIG;
  return parseEvidenceConfig(await readFile(path, 'utf8'), path);
}

/**
 * The public-key input is PEM text or a path to a PEM file; without it, the key committed beside the
 * reports is used (an auditor should still pin its fingerprint out of band: whoever can commit a
 * report can commit a key).
 */
export function readPublicKeys(input: string | undefined, reportDir: string): ResolvedPublicKeys {
  const given = input?.trim();
  if (given) {
    if (given.includes('-----BEGIN')) return { keys: parsePublicKeys(given), origin: 'input' };
    if (!existsSync(given)) throw new Error(`public-key: ${given} is neither PEM text nor a readable file`);
    return { keys: parsePublicKeys(readFileSync(given, 'utf8')), origin: given };
  }
  const committed = join(reportDir, PUBLIC_KEY_FILE);
  if (existsSync(committed))
    return { keys: parsePublicKeys(readFileSync(committed, 'utf8')), origin: committed };
  return { keys: new Map(), origin: null };
}

export interface VerifyOptions {
  /** PEM text or a path; default: restore-proof.pub.pem beside the reports. */
  publicKey?: string;
  /** Accept unsigned reports (still reported as unsigned, never as verified). Default false. */
  allowUnsigned?: boolean;
}

/** Reads the directory and its trusted keys, and checks the chain (report/verify.ts). */
export async function verifyReportDir(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (!existsSync(dir)) return verificationFailed(dir, `verify-reports: ${dir} does not exist`);
  let trusted: ResolvedPublicKeys;
  try {
    trusted = readPublicKeys(options.publicKey, dir);
  } catch (error) {
    return verificationFailed(dir, error instanceof Error ? error.message : String(error));
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const files = new Map<string, Uint8Array>();
  for (const entry of entries) {
    if (entry.isFile()) files.set(entry.name, await readFile(join(dir, entry.name)));
  }
  const directory: ReportDirectory = { dir, names: entries.map((e) => e.name), files };
  return verifyReportChain(directory, trusted, options.allowUnsigned ?? false);
}
