/**
 * Checks a report directory's chain, pure: the caller (sinks/report-dir.ts) reads the directory and the
 * trusted keys and passes their contents here.
 */
import type { KeyObject } from 'node:crypto';
import { sha256Hex } from './canonical.js';
import { EXERCISE_SCHEMA } from './exercise.js';
import { compareReportFiles, REPORT_FILE, REPORT_SCHEMA, type ReportSignature } from './model.js';
import { RETRACTION_SCHEMA } from './retraction.js';
import { signedBytes, verifySignature, type ResolvedPublicKeys } from './signing.js';

export type ReportStatus = 'verified' | 'unsigned' | 'failed';

export interface ReportVerification {
  file: string;
  status: ReportStatus;
  /** Why it failed (every reason found), or why it is unsigned; empty when verified. */
  reasons: string[];
  /** The fingerprint of the key that signed it, when it claims one. */
  fingerprint: string | null;
}

export interface VerifyResult {
  ok: boolean;
  dir: string;
  reports: ReportVerification[];
  /** The first file that keeps the directory from verifying (failed, or unsigned when that is not allowed). */
  firstFailure: ReportVerification | null;
  /** Fingerprints of the keys verification trusted, and where they came from. */
  keys: string[];
  keyOrigin: string | null;
  /** One line: all verified, or the first failing file and why. */
  message: string;
}

/** A report directory as read: every name in it and the bytes of each regular file. */
export interface ReportDirectory {
  /** Shown in messages. */
  dir: string;
  names: string[];
  files: ReadonlyMap<string, Uint8Array>;
}

/** The documents one chain holds: drill reports, recorded exercises and retractions. */
export const CHAIN_SCHEMAS: readonly string[] = [REPORT_SCHEMA, EXERCISE_SCHEMA, RETRACTION_SCHEMA];

const STEM = (name: string): string => name.replace(/\.(json|md)$/, '');

/** A result that verified nothing: the directory is missing or the keys could not be read. */
export function verificationFailed(
  dir: string,
  message: string,
  trusted: ResolvedPublicKeys = { keys: new Map(), origin: null },
): VerifyResult {
  return {
    ok: false,
    dir,
    reports: [],
    firstFailure: null,
    keys: [...trusted.keys.keys()],
    keyOrigin: trusted.origin,
    message,
  };
}

/**
 * Checks every report in the directory: its own name, its Markdown's hash, its link to the report
 * before it (so deletion, reordering or editing breaks the chain), and its signature. Unsigned reports
 * fail unless allowUnsigned (they are still reported as unsigned, never as verified).
 */
export function verifyReportChain(
  directory: ReportDirectory,
  trusted: ResolvedPublicKeys,
  allowUnsigned = false,
): VerifyResult {
  const { dir, names } = directory;
  const { keys, origin: keyOrigin } = trusted;
  const files = names.filter((n) => REPORT_FILE.test(n)).sort(compareReportFiles);
  if (files.length === 0) return verificationFailed(dir, `verify-reports: no reports in ${dir}`, trusted);

  const reports: ReportVerification[] = [];
  let previousBytes: Uint8Array | null = null;
  let previousName: string | null = null;
  const earlier = new Map<string, Uint8Array>();
  for (const file of files) {
    const bytes = directory.files.get(file) ?? new Uint8Array();
    const checked = verifyOne(directory, file, bytes, previousName, previousBytes, keys);
    const retraction = retractionProblem(bytes, earlier);
    if (retraction) {
      checked.status = 'failed';
      checked.reasons = [...(checked.reasons[0] === 'no signature' ? [] : checked.reasons), retraction];
    }
    reports.push(checked);
    earlier.set(file, bytes);
    previousName = file;
    previousBytes = bytes;
  }

  // A Markdown report without its JSON: the JSON was deleted (the chain catches it unless it was the newest).
  const jsonStems = new Set(files.map(STEM));
  for (const md of names
    .filter((n) => REPORT_FILE.test(n.replace(/\.md$/, '.json')) && n.endsWith('.md'))
    .sort()) {
    if (!jsonStems.has(STEM(md))) {
      reports.push({
        file: md,
        status: 'failed',
        reasons: ['Markdown report whose JSON report is missing'],
        fingerprint: null,
      });
    }
  }

  const firstFailure =
    reports.find((r) => r.status === 'failed') ??
    (allowUnsigned ? undefined : reports.find((r) => r.status === 'unsigned')) ??
    null;
  const verified = reports.filter((r) => r.status === 'verified').length;
  const unsigned = reports.filter((r) => r.status === 'unsigned').length;
  const message = firstFailure
    ? `verify-reports: ${firstFailure.file} ${firstFailure.status === 'unsigned' ? 'is unsigned' : 'failed'}: ${firstFailure.reasons.join('; ')}`
    : `verify-reports: ${verified} of ${reports.length} reports verified${unsigned ? `, ${unsigned} unsigned (allowed)` : ''} in ${dir}`;
  return {
    ok: firstFailure === null,
    dir,
    reports,
    firstFailure,
    keys: [...keys.keys()],
    keyOrigin,
    message,
  };
}

function verifyOne(
  directory: ReportDirectory,
  file: string,
  bytes: Uint8Array,
  previousName: string | null,
  previousBytes: Uint8Array | null,
  keys: Map<string, KeyObject>,
): ReportVerification {
  const { names } = directory;
  const reasons: string[] = [];
  let report: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    report = parsed as Record<string, unknown>;
  } catch {
    return { file, status: 'failed', reasons: ['not valid JSON (edited or truncated)'], fingerprint: null };
  }

  if (!CHAIN_SCHEMAS.includes(report.schema as string))
    reasons.push(`unknown schema ${JSON.stringify(report.schema)}`);
  if (report.file !== file)
    reasons.push(`names itself ${JSON.stringify(report.file)} (renamed or reordered)`);

  // The Markdown rendering, bound by its hash.
  const markdown = report.markdown as { file?: unknown; sha256?: unknown } | undefined;
  if (!markdown || typeof markdown.file !== 'string' || typeof markdown.sha256 !== 'string') {
    reasons.push('no markdown hash');
  } else if (
    !names.includes(markdown.file) ||
    markdown.file.includes('/') ||
    !directory.files.has(markdown.file)
  ) {
    reasons.push(`its Markdown ${markdown.file} is missing`);
  } else {
    const actual = sha256Hex(directory.files.get(markdown.file)!);
    if (actual !== markdown.sha256)
      reasons.push(
        `its Markdown ${markdown.file} was changed (SHA-256 ${actual}, recorded ${markdown.sha256})`,
      );
  }

  // The chain: each report records the file name and SHA-256 of the report before it.
  const previous = report.previous as { file?: unknown; sha256?: unknown } | null | undefined;
  if (previousName === null || previousBytes === null) {
    if (previous !== null) {
      reasons.push(
        `links to ${describe(previous)}, which is not in the directory (an earlier report was deleted)`,
      );
    }
  } else if (!previous || typeof previous !== 'object') {
    reasons.push(
      `does not link to ${previousName}, the report before it (a report was inserted or the chain restarted)`,
    );
  } else if (previous.file !== previousName) {
    reasons.push(
      `links to ${describe(previous)} but the report before it is ${previousName} (${names.includes(String(previous.file)) ? 'reports were reordered' : 'a report was deleted'})`,
    );
  } else if (previous.sha256 !== sha256Hex(previousBytes)) {
    reasons.push(
      `records SHA-256 ${String(previous.sha256)} for ${previousName}, which now hashes to ${sha256Hex(previousBytes)} (${previousName} was changed)`,
    );
  }

  // The signature over the canonical JSON without the signature field.
  const signature = report.signature as ReportSignature | null | undefined;
  let fingerprint: string | null = null;
  let unsigned = false;
  if (signature === null || signature === undefined) {
    unsigned = true;
  } else if (signature.algorithm !== 'ed25519' || typeof signature.value !== 'string') {
    reasons.push('malformed signature');
  } else {
    fingerprint = typeof signature.publicKeyFingerprint === 'string' ? signature.publicKeyFingerprint : null;
    const key = fingerprint ? keys.get(fingerprint) : undefined;
    if (keys.size === 0)
      reasons.push('signed, but no public key was given and none is committed beside the reports');
    else if (!key)
      reasons.push(
        `signed by key ${fingerprint ?? '(none named)'}, which is not among the trusted keys (${[...keys.keys()].join(', ')})`,
      );
    else {
      try {
        signedBytes(report);
        if (!verifySignature(report, signature, key))
          reasons.push('signature does not match the content (the JSON was edited)');
      } catch (error) {
        reasons.push(`cannot be canonicalised (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  }

  if (reasons.length > 0) return { file, status: 'failed', reasons, fingerprint };
  if (unsigned) return { file, status: 'unsigned', reasons: ['no signature'], fingerprint: null };
  return { file, status: 'verified', reasons: [], fingerprint };
}

/** A retraction must name an earlier document of the chain, with the SHA-256 of its bytes. */
function retractionProblem(bytes: Uint8Array, earlier: ReadonlyMap<string, Uint8Array>): string | null {
  let document: { schema?: unknown; retracts?: { file?: unknown; sha256?: unknown } };
  try {
    document = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof document;
  } catch {
    return null;
  }
  if (!document || document.schema !== RETRACTION_SCHEMA) return null;
  const target = document.retracts;
  if (!target || typeof target.file !== 'string' || typeof target.sha256 !== 'string')
    return 'retraction names no file';
  const retracted = earlier.get(target.file);
  if (!retracted) return `retracts ${target.file}, which is not an earlier document of the chain`;
  if (sha256Hex(retracted) !== target.sha256)
    return `retracts ${target.file} with SHA-256 ${target.sha256}, but it hashes to ${sha256Hex(retracted)}`;
  return null;
}

function describe(previous: { file?: unknown; sha256?: unknown } | null | undefined): string {
  return previous && typeof previous === 'object' ? String(previous.file) : String(previous);
}

/** Lines for a log or terminal: one per report, then the verdict. */
export function formatVerifyResult(result: VerifyResult): string[] {
  const lines = result.reports.map(
    (r) =>
      `${r.status.padEnd(8)} ${r.file}${r.reasons.length && r.status !== 'unsigned' ? `: ${r.reasons.join('; ')}` : ''}`,
  );
  if (result.keys.length > 0) lines.push(`trusted keys (${result.keyOrigin}): ${result.keys.join(', ')}`);
  lines.push(result.message);
  return lines;
}

/** Exit code for the CLI and the action: 0 when every report holds, 1 otherwise. */
export const verifyExitCode = (result: VerifyResult): number => (result.ok ? 0 : 1);

/** The job summary for command verify-reports. */
export function renderVerifySummary(result: VerifyResult): string {
  const out = [
    `## restore-proof verify-reports: ${result.ok ? 'all reports hold' : 'FAILED'}`,
    '',
    result.message,
    '',
  ];
  if (result.reports.length > 0) {
    out.push(
      '| Report | Status | Detail |',
      '| --- | --- | --- |',
      ...result.reports.map(
        (r) =>
          `| \`${r.file}\` | ${r.status === 'verified' ? 'verified' : `**${r.status}**`} | ${r.reasons.join('; ').replace(/\|/g, '\\|') || (r.fingerprint ?? '')} |`,
      ),
      '',
    );
  }
  if (result.keys.length > 0) {
    out.push(
      `Trusted keys (from ${result.keyOrigin}): ${result.keys.map((k) => `\`${k}\``).join(', ')}. Compare them with the fingerprints you hold out of band.`,
    );
  }
  return `${out.join('\n')}\n`;
}
