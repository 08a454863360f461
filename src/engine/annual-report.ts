/**
 * command: annual-report. Verifies the report directory's chain, builds the annual B/DR test report from every
 * document dated in the year (retracted ones left out), and writes annual-<year>.md beside the reports. The
 * page restates signed documents and is not itself signed; its name is not a report's, so verify-reports
 * never mistakes it for an orphan. Exit 1 when the chain does not verify (the page is written and says so).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineIO } from '../host/io.js';
import type { AnnualReportPlan } from '../inputs/plan-types.js';
import { buildAnnualReport } from '../report/annual.js';
import { renderAnnualMarkdown } from '../report/render/annual-markdown.js';
import { retractedFiles } from '../report/retraction.js';
import { formatVerifyResult } from '../report/verify.js';
import { readEvidenceConfig, readEvidenceDocuments, verifyReportDir } from '../sinks/report-dir.js';
import type { EvidenceCommandOptions } from './record-exercise.js';

/** The annual report's file name, beside the reports. */
export const annualReportFile = (year: number): string => `annual-${year}.md`;

export async function annualReportCommand(
  plan: AnnualReportPlan,
  io: EngineIO,
  options: EvidenceCommandOptions = {},
): Promise<number> {
  const now = options.now?.() ?? new Date();
  const dir = plan.reportDir;
  const verification = await verifyReportDir(dir, { publicKey: plan.publicKey, allowUnsigned: true });
  for (const line of formatVerifyResult(verification)) io.logger.info(line);
  if (verification.reports.length === 0) {
    io.logger.error(`annual-report: ${verification.message}`);
    io.setOutput('result', 'fail');
    return 1;
  }
  let markdown: string;
  try {
    const config = await readEvidenceConfig(dir);
    const documents = await readEvidenceDocuments(dir, io.logger);
    const retracted = retractedFiles(documents.retractions);
    const annual = buildAnnualReport({
      year: plan.year,
      config,
      reports: documents.entries.filter((e) => !retracted.has(e.file)).map((e) => e.report),
      exercises: documents.exercises.filter((e) => !retracted.has(e.file)),
      verification,
      now,
    });
    markdown = renderAnnualMarkdown(annual);
  } catch (error) {
    io.logger.error(`annual-report: ${(error as Error).message}`);
    io.setOutput('result', 'fail');
    return 1;
  }
  const path = join(dir, annualReportFile(plan.year));
  await writeFile(path, markdown);
  io.logger.info(`annual-report: wrote ${path}`);
  io.setOutput('report-path', path);
  await io.summary?.(markdown);
  if (!verification.ok) {
    io.logger.error(`annual-report: the chain does not verify: ${verification.message}`);
    io.setOutput('result', 'fail');
    return 1;
  }
  io.setOutput('result', 'pass');
  return 0;
}
