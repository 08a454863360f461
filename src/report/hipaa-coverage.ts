/**
 * HIPAA coverage of a year of evidence, with the corrected mapping: TLS checks serve transmission security
 * (§164.312(e)(2)(ii)), not encryption at rest; checksums and amcheck also serve integrity (§164.312(c)(1));
 * every drill and exercise serves testing (§164.308(a)(7)(ii)(D)); and retention (§164.316(b)(2)) is met by
 * the git history of the report directory, not by workflow artifacts. It maps each check by its id, so
 * reports written under the earlier per-category mapping are counted correctly too.
 */
import { hipaaForCheck, isTransmissionCheck } from './hipaa.js';
import type { ExerciseReport } from './exercise.js';
import type { Report, ReportCheck } from './model.js';

export const COVERAGE_CLAUSES = {
  '164.308(a)(7)(ii)(A)': 'Data backup plan: retrievable exact copies of ePHI',
  '164.308(a)(7)(ii)(B)': 'Disaster recovery plan: restore any loss of data',
  '164.308(a)(7)(ii)(C)': 'Emergency mode operation: protect ePHI while operating from a recovered copy',
  '164.308(a)(7)(ii)(D)': 'Testing and revision: periodic testing of contingency plans',
  '164.312(a)(2)(iv)': 'Encryption and decryption of ePHI at rest',
  '164.312(c)(1)': 'Integrity: ePHI not improperly altered or destroyed',
  '164.312(e)(2)(ii)': 'Transmission security: encryption of ePHI in transit',
  '164.316(b)(2)': 'Documentation: retained six years, available, reviewed',
} as const;
export type CoverageClause = keyof typeof COVERAGE_CLAUSES;

const TESTING: CoverageClause = '164.308(a)(7)(ii)(D)';

export { isTransmissionCheck };

/** The clauses one check is evidence for, under the corrected mapping (hipaa.ts's hipaaForCheck). */
export function coverageClausesFor(check: Pick<ReportCheck, 'id' | 'category'>): CoverageClause[] {
  return hipaaForCheck(check);
}

export interface ClauseCoverage {
  clause: CoverageClause;
  title: string;
  /** Checks that ran (not skipped) for it, across the year. */
  checksRan: number;
  checksFailed: number;
  /** Drills (and, for testing, exercises) that carried evidence for it. */
  documents: number;
  /** evidenced: at least one check passed (failures are counted beside it); failures: none passed. */
  state: 'evidenced' | 'failures' | 'not evidenced' | 'by retention';
  note: string | null;
}

export const RETENTION_NOTE =
  'Met by the git history of the report directory: every signed report and exercise is committed, and git keeps it for as long as the repository lives (keep it at least six years). Workflow artifacts expire after 90 days and are not the record.';

/** Coverage per clause for a set of drill reports and exercises. */
export function hipaaCoverage(reports: Report[], exercises: ExerciseReport[]): ClauseCoverage[] {
  return (Object.keys(COVERAGE_CLAUSES) as CoverageClause[]).map((clause) => {
    const title = COVERAGE_CLAUSES[clause];
    if (clause === '164.316(b)(2)') {
      const documents = reports.length + exercises.length;
      return {
        clause,
        title,
        checksRan: 0,
        checksFailed: 0,
        documents,
        state: 'by retention',
        note: RETENTION_NOTE,
      };
    }
    let checksRan = 0;
    let checksFailed = 0;
    let documents = 0;
    for (const report of reports) {
      const serving = report.checks.filter(
        (c) => c.status !== 'skip' && coverageClausesFor(c).includes(clause),
      );
      checksRan += serving.length;
      checksFailed += serving.filter((c) => c.status === 'fail' || c.status === 'error').length;
      if (serving.length > 0 || clause === TESTING) documents += 1;
    }
    if (clause === TESTING) documents += exercises.length;
    const passed = checksRan - checksFailed;
    const state: ClauseCoverage['state'] =
      passed > 0 || (clause === TESTING && documents > 0)
        ? 'evidenced'
        : checksFailed > 0
          ? 'failures'
          : 'not evidenced';
    return { clause, title, checksRan, checksFailed, documents, state, note: null };
  });
}
