/**
 * Reads a report directory for the pure report code: the chain's file list, the reports read back for an
 * index page, the trusted public keys, and every file's bytes for verify-reports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import { compareReportFiles, REPORT_FILE } from '../report/model.js';
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
    const entry = readBackReport(file, await readFile(join(dir, file), 'utf8'));
    if (entry) entries.push(entry);
    else {
      const shown = shownPrefix ? `${shownPrefix}/${file}` : file;
      unreadable.push(shown);
      logger?.warning(`index: ${shown} could not be read`);
    }
  }
  return { entries, unreadable };
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
