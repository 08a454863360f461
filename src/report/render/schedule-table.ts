import { frequencyLabel } from '../evidence-config.js';
import type { RowStatus, ScheduledRun } from '../schedule-status.js';
import { plural, utcDate } from './format.js';
import { tableText } from './markdown-text.js';

/** What the row's status reads: passed on time, due now, OVERDUE, not evidenced, not run by this team. */
export function scheduleStatusLabel(row: RowStatus): string {
  switch (row.state) {
    case 'not-run':
      return 'not run by this team';
    case 'not-evidenced':
      return `**not evidenced**: ${tableText(row.reasons.join('; '))}`;
    case 'overdue': {
      if (!row.lastRun) return '**OVERDUE**: never performed';
      if (!row.nextDue) return '**OVERDUE**: no run has evidenced it yet';
      const missed = row.missed > 0 ? ` (${plural(row.missed, 'due date')} missed)` : '';
      return `**OVERDUE** since ${utcDate(row.nextDue)}${missed}`;
    }
    default: {
      const evidence = row.lastEvidence;
      const since =
        evidence && row.lastRun && evidence.file !== row.lastRun.file
          ? ` (last evidence ${utcDate(evidence.startedAt)})`
          : '';
      const passed = `${row.state === 'late' ? 'passed late' : 'passed on time'}${since}`;
      return row.dueNow
        ? `${passed}; due now (${utcDate(row.nextDue)})`
        : `${passed}; next due ${utcDate(row.nextDue)}`;
    }
  }
}

const performed = (run: ScheduledRun | null): string =>
  run
    ? `${utcDate(run.startedAt)} ([${run.kind === 'exercise' ? 'record' : 'report'}](${run.markdownFile}))`
    : 'never';

const resultOf = (run: ScheduledRun | null): string =>
  !run
    ? '—'
    : run.verdict === 'evidence'
      ? 'pass'
      : run.verdict === 'failed'
        ? '**FAIL**'
        : 'pass, not evidenced';

/**
 * The index page's "Restore testing schedule" table from the rows of restore-proof.yml (replaces the
 * hard-coded SCHEDULE): one line per test type, in the configuration's order.
 */
export function renderScheduleTable(rows: RowStatus[]): string[] {
  const out = [
    '## Restore testing schedule',
    '',
    'The test types of the Backup and Disaster Recovery plan (restore-proof.yml beside the reports). Next due counts from the last run that evidenced the test type: ' +
      'it passed and showed the success criterion. A test type is **OVERDUE** once that date plus its grace has passed.',
    '',
    '| Test type | Frequency | Last performed | Result | Status | Success criterion |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const frequency = frequencyLabel(row.type.cadence);
    if (row.state === 'not-run') {
      out.push(
        `| ${tableText(row.type.name)} | ${frequency} | — | — | ${scheduleStatusLabel(row)} | ${tableText(row.criteria)} |`,
      );
      continue;
    }
    out.push(
      `| ${tableText(row.type.name)} | ${frequency} | ${performed(row.lastRun)} | ${resultOf(row.lastRun)} | ${scheduleStatusLabel(row)} | ${tableText(row.criteria)} |`,
    );
  }
  return out;
}
