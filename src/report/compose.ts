/**
 * A drill's evidence as text, pure: the report model linked to the report before it, its Markdown, the
 * Markdown's hash bound into the model, the signature, and the JSON as it is written. Reading the
 * directory and writing the files is sinks/report-files.ts's job.
 */
import type { KeyObject } from 'node:crypto';
import type { DrillOutcome } from '../model/types.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { buildReport, reportStem, type Report, type RunContext } from './model.js';
import { renderMarkdown } from './render/markdown.js';
import { publicKeyFingerprint, signReport } from './signing.js';

export interface ComposeReportInput {
  outcome: DrillOutcome;
  run: RunContext;
  /** Every name already in the report directory: the new report takes a name none of them has. */
  taken: ReadonlySet<string>;
  /** The newest report in the directory and the SHA-256 of its bytes, or null for the first. */
  previous: { file: string; sha256: string } | null;
  generatedAt: Date;
  toolVersion: string;
  /** Strings that must not appear in the report. */
  secrets: readonly string[];
  signingKey: KeyObject | null;
  /** The report directory as the Markdown shows it (relative to the repository, forward slashes). */
  shownDir: string;
}

export interface ComposedReport {
  report: Report;
  markdown: string;
  /** The JSON file's text (serializeReport). */
  json: string;
}

export function composeReport(input: ComposeReportInput): ComposedReport {
  const stem = uniqueStem(reportStem(input.outcome), input.taken);
  const report = buildReport({
    outcome: input.outcome,
    run: input.run,
    file: `${stem}.json`,
    markdownFile: `${stem}.md`,
    previous: input.previous,
    generatedAt: input.generatedAt,
    toolVersion: input.toolVersion,
    secrets: input.secrets,
  });
  const fingerprint = input.signingKey ? publicKeyFingerprint(input.signingKey) : null;
  const markdown = renderMarkdown(report, { signingFingerprint: fingerprint, reportDir: input.shownDir });
  report.markdown.sha256 = sha256Hex(markdown);
  if (input.signingKey) report.signature = signReport(report, input.signingKey);
  return { report, markdown, json: serializeReport(report) };
}

/** Two drills in the same second for the same source and cadence get -2, -3, ... */
export function uniqueStem(stem: string, taken: ReadonlySet<string>): string {
  const free = (s: string) => !taken.has(`${s}.json`) && !taken.has(`${s}.md`);
  if (free(stem)) return stem;
  for (let n = 2; ; n++) if (free(`${stem}-${n}`)) return `${stem}-${n}`;
}

/** The JSON file as written: readable, signature last; verification reads it back canonically. */
export function serializeReport(report: Report): string {
  canonicalJson(report); // refuses anything the canonical form cannot carry before it is written
  return `${JSON.stringify(report, null, 2)}\n`;
}
