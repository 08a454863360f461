import { plural } from '../../report/render/format.js';
/**
 * The backup policy every aws_rds_cluster and aws_rds_cluster_instance is held to. A rule sees one
 * attribute as it was observed (absent, a value, set from another resource, or not knowable statically)
 * and says pass, fail or cannot tell, in one line.
 */

export type Observed =
  | { kind: 'absent' }
  | { kind: 'value'; value: string | number | boolean | null }
  /** Set in configuration, from another resource: known after apply. */
  | { kind: 'computed'; via: string }
  | { kind: 'unknown'; why: string };

export interface Verdict {
  /** null: cannot tell without the resolved value (a warning, not a failure). */
  ok: boolean | null;
  says: string;
}

export interface Rule {
  attribute: string;
  resourceTypes: readonly string[];
  /** The one-line policy, for docs and failure messages. */
  policy: string;
  judge(observed: Observed, options: PolicyOptions): Verdict;
}

export interface PolicyOptions {
  minRetentionDays: number;
}

export const CLUSTER = 'aws_rds_cluster';
export const INSTANCE = 'aws_rds_cluster_instance';
const WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const AWS_MANAGED_KEY = /(^|:)alias\/aws\//;

const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : String(v));

type Settled = Extract<Observed, { kind: 'absent' | 'value' }>;
const settled = (o: Observed): o is Settled => o.kind === 'absent' || o.kind === 'value';

function cannotTell(o: Exclude<Observed, Settled>): Verdict {
  return o.kind === 'unknown'
    ? { ok: null, says: `cannot be checked statically: ${o.why}` }
    : { ok: null, says: `comes from ${o.via}, known only after apply` };
}

function mustBe(expected: boolean, absentMeans: boolean, why: string) {
  return (o: Observed): Verdict => {
    if (!settled(o)) return cannotTell(o);
    const value = o.kind === 'absent' ? absentMeans : o.value;
    if (value === expected) {
      return { ok: true, says: o.kind === 'absent' ? `not set (defaults to ${expected})` : `is ${expected}` };
    }
    const was = o.kind === 'absent' ? `not set (defaults to ${String(absentMeans)})` : `is ${show(o.value)}`;
    return { ok: false, says: `${was}; must be ${expected}: ${why}` };
  };
}

export const RULES: readonly Rule[] = [
  {
    attribute: 'backup_retention_period',
    resourceTypes: [CLUSTER],
    policy: 'backup_retention_period at least min-retention-days',
    judge(o, options) {
      if (!settled(o)) return cannotTell(o);
      const min = options.minRetentionDays;
      if (o.kind === 'absent')
        return { ok: false, says: `not set (AWS keeps 1 day); must be at least ${plural(min, 'day')}` };
      if (typeof o.value !== 'number')
        return { ok: false, says: `is ${show(o.value)}; must be a number of days` };
      return o.value >= min
        ? { ok: true, says: `is ${plural(Number(o.value), 'day')} (at least ${min})` }
        : { ok: false, says: `is ${plural(Number(o.value), 'day')}; must be at least ${min}` };
    },
  },
  {
    attribute: 'storage_encrypted',
    resourceTypes: [CLUSTER],
    policy: 'storage_encrypted = true',
    judge: mustBe(true, false, 'ePHI must be encrypted at rest (HIPAA 164.312(a)(2)(iv))'),
  },
  {
    attribute: 'kms_key_id',
    resourceTypes: [CLUSTER],
    policy: 'kms_key_id set to a customer-managed key',
    judge(o) {
      if (o.kind === 'unknown') return { ok: null, says: `cannot be checked statically: ${o.why}` };
      if (o.kind === 'computed') return { ok: true, says: `is set from ${o.via}` };
      if (o.kind === 'absent' || o.value === null || o.value === '')
        return {
          ok: false,
          says: 'not set: storage would use the AWS-managed aws/rds key; set a customer-managed key',
        };
      if (typeof o.value === 'string' && AWS_MANAGED_KEY.test(o.value))
        return { ok: false, says: `is ${show(o.value)}, the AWS-managed key; set a customer-managed key` };
      return { ok: true, says: `is set (${show(o.value)})` };
    },
  },
  {
    attribute: 'deletion_protection',
    resourceTypes: [CLUSTER],
    policy: 'deletion_protection = true',
    judge: mustBe(true, false, 'one API call could delete production and its automated backups'),
  },
  {
    attribute: 'preferred_backup_window',
    resourceTypes: [CLUSTER],
    policy: 'preferred_backup_window set (hh:mm-hh:mm UTC)',
    judge(o) {
      if (!settled(o)) return cannotTell(o);
      if (o.kind === 'absent' || o.value === null)
        return { ok: false, says: 'not set: AWS picks a random window; set it (hh:mm-hh:mm UTC)' };
      return typeof o.value === 'string' && WINDOW.test(o.value)
        ? { ok: true, says: `is ${show(o.value)}` }
        : { ok: false, says: `is ${show(o.value)}; must be hh:mm-hh:mm UTC` };
    },
  },
  {
    attribute: 'skip_final_snapshot',
    resourceTypes: [CLUSTER],
    policy: 'skip_final_snapshot = false',
    judge: mustBe(false, false, 'deleting the cluster must leave a final snapshot'),
  },
  {
    attribute: 'copy_tags_to_snapshot',
    resourceTypes: [CLUSTER, INSTANCE],
    policy: 'copy_tags_to_snapshot = true',
    judge: mustBe(true, false, 'snapshots must carry the tags that classify the data'),
  },
  {
    attribute: 'publicly_accessible',
    resourceTypes: [INSTANCE],
    policy: 'publicly_accessible = false',
    judge: mustBe(false, false, 'a database holding ePHI must not be reachable from the internet'),
  },
];

export const rulesFor = (type: string): Rule[] => RULES.filter((r) => r.resourceTypes.includes(type));
export const POLICED_TYPES: readonly string[] = [CLUSTER, INSTANCE];
