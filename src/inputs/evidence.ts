/**
 * The evidence a drill leaves: where reports go, how they are signed (the signing key parsed once into a
 * KeyObject), whether they are committed (which needs github-token) and to which branch, and the CloudWatch
 * namespace.
 */
import { InputError } from './input-error.js';
import type { EvidenceSettings } from './plan-types.js';
import { defined, type InputReader } from './raw-inputs.js';
import { bool, ed25519PrivateKey, pattern } from './values.js';

const CADENCE = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** A branch name git accepts (git check-ref-format, the common subset). */
const BRANCH = /^(?!-|\/|.*(?:\.\.|\/\/|@\{|\/\.|\.lock\/|\.lock$|\/$|\.$))[^\s~^:?*[\\\p{Cc}]{1,200}$/u;
const NAMESPACE = /^(?!AWS\/)[A-Za-z0-9._/#:-]{1,255}$/;

export interface PlannedEvidence extends EvidenceSettings {
  /** The signing key's PEM with real newlines (legacy field; a secret). */
  signingKeyPem?: string;
  publicKey?: string;
}

export function planEvidence(inputs: InputReader): PlannedEvidence {
  const cadence = pattern(
    'cadence',
    inputs.required('cadence'),
    CADENCE,
    'accepts a short lower-case name such as weekly, monthly, quarterly, annual, audit or adhoc',
  );
  const commitReport = bool('commit-report', inputs.required('commit-report'));
  const signing = inputs.parse('signing-key', (v) => ed25519PrivateKey('signing-key', v));
  const githubToken = inputs.get('github-token');
  if (commitReport && githubToken === undefined) {
    throw new InputError(
      'github-token',
      'is required with commit-report true (a token with contents: write)',
    );
  }
  const reportBranch = inputs.parse('report-branch', reportBranchName);
  const metricsNamespace = inputs.parse('metrics-namespace', (v) =>
    pattern(
      'metrics-namespace',
      v,
      NAMESPACE,
      "accepts a CloudWatch namespace (letters, digits, . _ / # : -; not starting with 'AWS/')",
    ),
  );
  return defined<PlannedEvidence>({
    reportDir: inputs.required('report-dir'),
    cadence,
    signingKey: signing?.key,
    signingKeyPem: signing?.pem,
    publicKey: inputs.get('public-key'),
    commitReport,
    reportBranch,
    githubToken,
    metricsNamespace,
  });
}

/** report-branch: a branch name (refs/heads/ accepted and dropped); throws the input's one-line error. */
export function reportBranchName(value: string): string {
  return pattern(
    'report-branch',
    value.replace(/^refs\/heads\//, ''),
    BRANCH,
    'accepts a branch name such as restore-proof-evidence (no spaces, no .., none of ~^:?*[\\, not ending in / or .lock)',
  );
}
