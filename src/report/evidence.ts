/** The evidence layer: one JSON model, rendered to Markdown, summary, outputs and an index; signed and chained. */
export { canonicalJson, sha256Hex } from './canonical.js';
export { cadencePeriod, nextDue, validUntil } from './cadence.js';
export { HIPAA_BY_CATEGORY, HIPAA_CLAUSES, type HipaaClause } from './hipaa.js';
export { renderIndex, SCHEDULE, type IndexedReport } from './render/index-page.js';
export { renderMarkdown, verdictSentence, type MarkdownOptions } from './render/markdown.js';
export {
  buildReport,
  REPORT_FILE,
  REPORT_SCHEMA,
  reportStem,
  runContextFromEnv,
  type Report,
  type ReportCheck,
  type ReportSignature,
  type RunContext,
} from './model.js';
export { scrubText, secretsFrom } from './sanitize.js';
export {
  loadSigningKey,
  parsePublicKeys,
  PUBLIC_KEY_FILE,
  publicKeyFingerprint,
  publicKeyPem,
  resolvePublicKeys,
  signReport,
  signedBytes,
  verifySignature,
} from './signing.js';
export {
  annotationsFor,
  renderJobSummary,
  reportMetrics,
  reportOutputs,
  type Annotation,
  type Metric,
  type ReportOutputs,
} from './render/summary.js';
export {
  formatVerifyResult,
  renderVerifySummary,
  verifyExitCode,
  verifyReports,
  type ReportStatus,
  type ReportVerification,
  type VerifyOptions,
  type VerifyResult,
} from './verify.js';
export {
  INDEX_FILE,
  listReportFiles,
  repositoryPath,
  serializeReport,
  writeIndex,
  writeReport,
  type WriteReportInput,
  type WrittenReport,
} from '../sinks/report-files.js';
