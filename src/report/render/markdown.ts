import { CHECK_CATEGORIES, type CheckCategory } from '../../model/types.js';
import { priceCaveats } from './price-caveats.js';
import { HIPAA_CLAUSES, hipaaForCheck, type HipaaClause } from '../hipaa.js';
import { COVERAGE_CLAUSES, RETENTION_NOTE } from '../hipaa-coverage.js';
import {
  cell,
  code,
  duration,
  plural,
  resultCell,
  STATUS_ORDER,
  statusLabel,
  usd,
  utc,
  value,
  yesNo,
} from './format.js';
import { clusterName, PRICING_REGION, type Report, type ReportCheck } from '../model.js';
import { PUBLIC_KEY_FILE } from '../signing.js';

export interface MarkdownOptions {
  /** Fingerprint of the key that will sign the report, or null when it stays unsigned. */
  signingFingerprint: string | null;
  /** The report directory as the repository sees it (docs/tests), for the verify commands. */
  reportDir: string;
}

const CATEGORY_TITLE: Record<CheckCategory, string> = {
  posture: 'Backup posture',
  encryption: 'Encryption',
  access: 'Access controls',
  schema: 'Schema',
  integrity: 'Integrity',
  counts: 'Row counts',
  checksums: 'Checksums',
  custom: 'Custom checks',
  smoke: 'Smoke test',
  objectives: 'Objectives',
};

/** One sentence: what happened, against which objectives, and whether the copy is gone. */
export function verdictSentence(report: Report): string {
  const source = code(clusterName(report.source.cluster));
  const t = report.totals;
  const bad = t.failed + t.errored;
  const checks =
    t.total === 0
      ? 'ran no checks'
      : bad === 0
        ? `passed ${t.passed} of ${plural(t.total, 'check')}${t.warned ? ` (${plural(t.warned, 'warning')})` : ''}`
        : `failed ${bad} of ${plural(t.total, 'check')}`;
  const rto = report.objectives.rto;
  const rpo = report.objectives.rpo;
  const restored =
    report.restore.seconds === null
      ? 'did not complete a restore'
      : `restored a copy in ${duration(report.restore.seconds)} (RTO target ${duration(rto.targetSeconds)})`;
  const loss =
    rpo.measuredSeconds === null
      ? 'data loss was not measured'
      : `lost ${duration(rpo.measuredSeconds)} of data (RPO target ${duration(rpo.targetSeconds)})`;
  const cleanup = {
    deleted: 'deleted the copy',
    kept: 'kept the copy for investigation',
    failed: 'FAILED to delete the copy',
    none: 'had nothing to delete',
  }[report.cleanup.status];
  return `**${report.result.toUpperCase()}**: the ${report.cadence} drill of ${source} ${restored}, ${loss}, ${checks}, and ${cleanup}.`;
}

export function renderMarkdown(report: Report, options: MarkdownOptions): string {
  const out: string[] = [];
  const source = clusterName(report.source.cluster);
  out.push(
    report.result === 'pass'
      ? `# PASS: ${code(source)} restores and verifies`
      : report.result === 'cancelled'
        ? `# CANCELLED: ${code(source)} restore drill was cancelled`
        : `# FAIL: ${code(source)} restore drill failed`,
    '',
    verdictSentence(report),
    '',
  );
  if (report.error) out.push(`> **Error:** ${report.error.replace(/\r?\n/g, ' ')}`, '');
  out.push(...facts(report), '');
  out.push(...objectives(report), '');
  out.push(...timeline(report), '');
  out.push(...checks(report), '');
  out.push(...hipaa(report), '');
  out.push(...cleanup(report), '');
  if (report.cost) out.push(...cost(report.cost, report), '');
  if (report.warnings.length > 0) {
    out.push('## Warnings', '', ...report.warnings.map((w) => `- ${w.replace(/\r?\n/g, ' ')}`), '');
  }
  out.push(...verification(report, options));
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function facts(report: Report): string[] {
  const r = report.restore;
  const s = report.source;
  const about = [[s.engine, s.engineVersion].filter(Boolean).join(' '), s.region].filter(Boolean).join(', ');
  const to =
    r.type === 'snapshot'
      ? `from snapshot ${r.snapshotId ? code(r.snapshotId) : '(newest automated)'}`
      : r.targetTime
        ? `${r.type} restore to ${utc(r.targetTime)}`
        : `${r.type} restore`;
  const run = report.run;
  const runText = run.runUrl
    ? `[${run.workflow ?? 'workflow'} run ${run.runId}${run.runAttempt && run.runAttempt > 1 ? ` attempt ${run.runAttempt}` : ''}](${run.runUrl})`
    : 'local run (not GitHub Actions)';
  const by = [
    run.repository ? `in ${code(run.repository)}` : null,
    run.actor ? `by ${code(run.actor)}` : null,
    `on ${run.trigger}`,
    run.commit ? `at commit ${code(run.commit.slice(0, 12))}` : null,
    run.ref ? `(${code(run.ref)})` : null,
  ].filter(Boolean);
  return [
    `- **Source:** ${code(s.cluster)}${about ? ` (${about})` : ''}`,
    `- **Restored copy:** ${r.restoredCluster ? code(r.restoredCluster) : 'none'}, ${to} (${report.provider})`,
    `- **Drill:** ${report.cadence}, ${utc(report.startedAt)} to ${utc(report.finishedAt)}`,
    `- **Run:** ${runText} ${by.join(' ')}`,
    `- **Evidence valid until:** ${utc(report.validUntil)} (next ${report.cadence} run plus grace)`,
    `- **Previous report:** ${report.previous ? `${code(report.previous.file)} (SHA-256 ${code(report.previous.sha256)})` : 'none; this report starts the chain'}`,
  ];
}

function objectives(report: Report): string[] {
  const { rto, rpo } = report.objectives;
  return [
    '## Objectives',
    '',
    '| Objective | Target | Measured | Met |',
    '| --- | --- | --- | --- |',
    `| Recovery time (RTO): restore request to first query on the copy | ${duration(rto.targetSeconds)} | ${duration(rto.measuredSeconds)} | ${yesNo(rto.met)} |`,
    `| Recovery point (RPO): data lost between production and the copy | ${duration(rpo.targetSeconds)} | ${duration(rpo.measuredSeconds)} | ${yesNo(rpo.met)} |`,
  ];
}

/** Mermaid task names may not hold ':', '#' or ';'. */
const taskName = (name: string): string => name.replace(/[:#;]/g, ' ').trim() || 'phase';
const mermaidTime = (iso: string): string => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');

function timeline(report: Report): string[] {
  const phases = report.restore.phases;
  if (phases.length === 0) return ['## Timeline', '', 'No phase was recorded.'];
  const total = phases.reduce((sum, p) => sum + p.seconds, 0);
  const lines = [
    '## Timeline',
    '',
    '```mermaid',
    'gantt',
    '  title Drill phases (UTC)',
    '  dateFormat YYYY-MM-DD HH:mm:ss',
    `  axisFormat ${total < 600 ? '%H:%M:%S' : '%H:%M'}`,
    '  todayMarker off',
    '  section Drill',
    ...phases.map(
      (p, i) =>
        `  ${taskName(p.name)} (${duration(p.seconds)}) :done, p${i + 1}, ${mermaidTime(p.startedAt)}, ${mermaidTime(p.endedAt)}`,
    ),
    '```',
    '',
    '| Phase | Started | Ended | Duration |',
    '| --- | --- | --- | --- |',
    ...phases.map(
      (p) => `| ${cell(p.name)} | ${utc(p.startedAt)} | ${utc(p.endedAt)} | ${duration(p.seconds)} |`,
    ),
  ];
  return lines;
}

const rank = (c: ReportCheck): number => STATUS_ORDER.indexOf(c.status);

/** Categories with failures first (then errors, warnings), each sorted the same way inside. */
export function groupChecks(checks: ReportCheck[]): { category: CheckCategory; checks: ReportCheck[] }[] {
  const groups = CHECK_CATEGORIES.map((category) => ({
    category,
    checks: checks
      .map((check, index) => ({ check, index }))
      .filter(({ check }) => check.category === category)
      .sort((a, b) => rank(a.check) - rank(b.check) || a.index - b.index)
      .map(({ check }) => check),
  })).filter((g) => g.checks.length > 0);
  const worst = (g: { checks: ReportCheck[] }) => Math.min(...g.checks.map(rank));
  return groups
    .map((g, index) => ({ g, index }))
    .sort((a, b) => worst(a.g) - worst(b.g) || a.index - b.index)
    .map(({ g }) => g);
}

function checks(report: Report): string[] {
  const t = report.totals;
  const out = ['## Checks', ''];
  if (t.total === 0) return [...out, 'No check ran.'];
  const parts = [
    `${t.passed} passed`,
    t.failed ? `**${t.failed} failed**` : null,
    t.errored ? `**${t.errored} errored**` : null,
    t.warned ? `${plural(t.warned, 'warning')}` : null,
    t.skipped ? `${t.skipped} skipped` : null,
  ].filter(Boolean);
  out.push(`${plural(t.total, 'check')}: ${parts.join(', ')}.`, '');
  for (const group of groupChecks(report.checks)) {
    const bad = group.checks.filter((c) => c.status === 'fail' || c.status === 'error').length;
    const warned = group.checks.filter((c) => c.status === 'warn').length;
    const served = new Set(group.checks.flatMap((c) => hipaaForCheck(c)));
    const clauses = (Object.keys(HIPAA_CLAUSES) as HipaaClause[])
      .filter((c) => served.has(c))
      .map((c) => `§${c}`)
      .join(', ');
    out.push(
      `### ${CATEGORY_TITLE[group.category]}: ${bad ? `**${bad} of ${group.checks.length} failed**` : `${group.checks.filter((c) => c.status === 'pass').length} of ${group.checks.length} passed`}${warned ? `, ${plural(warned, 'warning')}` : ''}`,
      '',
      `HIPAA ${clauses}`,
      '',
      '| Status | Check | Summary | Measured | Expected |',
      '| --- | --- | --- | --- | --- |',
      ...group.checks.map(
        (c) =>
          `| ${statusLabel(c.status)} | ${code(c.id)} | ${cell(c.summary)} | ${value(c.measured)} | ${value(c.expected)} |`,
      ),
      '',
    );
  }
  return out;
}

function hipaa(report: Report): string[] {
  const out = [
    '## HIPAA evidence',
    '',
    '| Clause | Requirement | Evidence in this report | Result |',
    '| --- | --- | --- | --- |',
  ];
  for (const clause of Object.keys(HIPAA_CLAUSES) as HipaaClause[]) {
    const serving = report.checks.filter((c) => hipaaForCheck(c).includes(clause));
    const bad = serving.filter((c) => c.status === 'fail' || c.status === 'error').length;
    // Only checks that ran are evidence: a clause whose checks were all skipped is not shown to pass.
    const ran = serving.filter((c) => c.status !== 'skip').length;
    const skipped = serving.length - ran;
    let evidence = serving.length
      ? `${plural(ran, 'check')}${skipped ? ` (${skipped} more skipped)` : ''}`
      : 'no check';
    let result = bad ? `**${bad} failed**` : ran === 0 ? 'not evidenced' : 'pass';
    if (clause === '164.308(a)(7)(ii)(D)') {
      evidence = `this ${report.cadence} drill${serving.length ? ` and ${plural(serving.length, 'objective check')}` : ''}`;
      result = resultCell(report.result);
    }
    out.push(`| §${clause} | ${HIPAA_CLAUSES[clause]} | ${evidence} | ${result} |`);
  }
  out.push(
    `| §164.316(b)(2) | ${COVERAGE_CLAUSES['164.316(b)(2)']} | commit this report | by retention |`,
    '',
    RETENTION_NOTE,
  );
  return out;
}

function cleanup(report: Report): string[] {
  const c = report.cleanup;
  const sentence = {
    deleted: 'Everything the drill created was deleted.',
    kept: '**Kept** for investigation: the resources below still exist; the janitor deletes them when they expire.',
    failed:
      '**Cleanup failed**: the resources below may still exist (and cost money); the janitor retries, or delete them by hand.',
    none: 'The drill created nothing that needed deleting.',
  }[c.status];
  const out = ['## Cleanup', '', sentence];
  if (c.resources.length > 0) {
    out.push(
      '',
      '| Resource | Identifier | Outcome |',
      '| --- | --- | --- |',
      ...c.resources.map(
        (r) =>
          `| ${cell(r.kind)} | ${code(r.id)} | ${r.outcome === 'failed' ? '**failed**' : r.outcome}${r.error ? `: ${cell(r.error)}` : ''} |`,
      ),
    );
  }
  return out;
}

const COST_ITEM: Record<NonNullable<Report['cost']>['items'][number]['item'], string> = {
  instance: 'Instance',
  storage: 'Storage',
  io: 'I/O',
  transfer: 'Cross-region transfer',
};

function cost(c: NonNullable<Report['cost']>, report: Report): string[] {
  const caveats = priceCaveats(c.pricesAsOf, report.generatedAt, report.source.region);
  const total =
    c.totalUsd === null
      ? 'unknown (no price on record for the instance class)'
      : `${usd(c.totalUsd)}${c.complete ? '' : ' plus the unknown items below'}`;
  return [
    '## Estimated cost',
    '',
    `About **${total}** for this drill: on-demand ${PRICING_REGION} list prices as of ${c.pricesAsOf}, an estimate for budgeting the cadence, not a bill.`,
    '',
    ...(caveats.length > 0 ? [...caveats.flatMap((line) => [line, '>']).slice(0, -1), ''] : []),
    '| Item | Counted | USD |',
    '| --- | --- | --- |',
    ...c.items.map((i) => `| ${COST_ITEM[i.item]} | ${cell(i.detail)} | ${usd(i.usd)} |`),
    ...(c.notes.length > 0 ? ['', ...c.notes.map((n) => `- ${cell(n)}`)] : []),
  ];
}

function verification(report: Report, options: MarkdownOptions): string[] {
  const json = report.file;
  const md = report.markdown.file;
  const out = ['## Verify this report', ''];
  if (options.signingFingerprint) {
    out.push(
      `This file's SHA-256 is recorded in ${code(json)} (\`markdown.sha256\`), and that JSON is signed with the Ed25519 key ${code(options.signingFingerprint)} (its public key is ${code(PUBLIC_KEY_FILE)} beside the reports; check its fingerprint against the one you were given out of band).`,
    );
  } else {
    out.push(
      `**Unsigned.** No signing key was configured, so nothing but the repository's history vouches for ${code(json)} and this file. This file's SHA-256 is still recorded there (\`markdown.sha256\`).`,
    );
  }
  out.push(
    '',
    report.previous
      ? `The JSON records the SHA-256 of the report before it, so deleting, reordering or editing an earlier report breaks the chain.`
      : 'This is the first report in its directory; the next one will record its SHA-256.',
    '',
    'With restore-proof, from the repository root:',
    '',
    '```sh',
    `restore-proof verify-reports --report-dir ${options.reportDir} --public-key ${options.reportDir}/${PUBLIC_KEY_FILE}`,
    '```',
    '',
    `With standard tools (jq 1.6+, OpenSSL 3, sha256sum), in ${code(options.reportDir)}:`,
    '',
    '```sh',
    `sha256sum ${md}`,
    `jq -r .markdown.sha256 ${json}    # must print the same hash`,
    ...(options.signingFingerprint
      ? [
          `jq -jcS 'del(.signature)' ${json} > canon.json`,
          `jq -r .signature.value ${json} | base64 -d > sig.bin`,
          `openssl pkeyutl -verify -pubin -inkey ${PUBLIC_KEY_FILE} -rawin -in canon.json -sigfile sig.bin    # Signature Verified Successfully`,
        ]
      : []),
    '```',
    '',
    `See docs/verifying-reports.md in restore-proof for the chain and fingerprint checks. Generated by restore-proof ${report.tool.version} at ${utc(report.generatedAt)}.`,
  );
  return out;
}
