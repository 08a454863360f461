/** Encryption: storage encryption on both sides, the expected KMS key, TLS on the wire, rds.force_ssl. */
import type pg from 'pg';
import type { CheckResult, Plan, Target } from '../model/types.js';
import { result, elapsed } from './result.js';
import { safeError } from '../db/session.js';

/** The key id inside a KMS key ARN (arn:aws:kms:region:account:key/ID), else the value itself. */
export function kmsKeyIdentity(value: string): string {
  const m = /^arn:aws[a-z-]*:kms:[^:]*:[^:]*:key\/(.+)$/.exec(value);
  return m ? m[1]! : value;
}

export function encryptionChecks(
  plan: Pick<Plan, 'kmsKeyId' | 'targetKmsKeyId'>,
  target: Target,
): CheckResult[] {
  const { source, copy } = target;
  const out: CheckResult[] = [];
  if (source.storageEncrypted === undefined || copy.storageEncrypted === undefined) {
    out.push(
      result(
        'encryption:storage',
        'encryption',
        'skip',
        `storage encryption not reported by the ${target.provider} provider`,
        0,
      ),
    );
  } else {
    const ok = source.storageEncrypted && copy.storageEncrypted;
    out.push(
      result(
        'encryption:storage',
        'encryption',
        ok ? 'pass' : 'fail',
        `StorageEncrypted: source ${source.storageEncrypted}, copy ${copy.storageEncrypted}`,
        0,
        { measured: copy.storageEncrypted, expected: true },
      ),
    );
  }

  // A cross-region copy is re-encrypted with target-kms-key-id: the source's key does not reach that region.
  const chosen: [string | undefined, string] = target.region
    ? [plan.targetKmsKeyId, 'target-kms-key-id']
    : [plan.kmsKeyId, 'kms-key-id'];
  const expectedKey = chosen[0] ?? (target.region ? undefined : source.kmsKeyId);
  if (!expectedKey || copy.kmsKeyId === undefined) {
    out.push(
      result(
        'encryption:kms-key',
        'encryption',
        'skip',
        !expectedKey
          ? `no expected KMS key (neither ${chosen[1]} nor the source reports one)`
          : 'the copy reports no KMS key',
        0,
      ),
    );
  } else if (/^alias\//.test(expectedKey) || /:alias\//.test(expectedKey)) {
    out.push(
      result(
        'encryption:kms-key',
        'encryption',
        'warn',
        `expected key is an alias (${expectedKey}); cannot compare with the copy's key id`,
        0,
        {
          measured: copy.kmsKeyId,
          expected: expectedKey,
        },
      ),
    );
  } else {
    const ok = kmsKeyIdentity(copy.kmsKeyId) === kmsKeyIdentity(expectedKey);
    out.push(
      result(
        'encryption:kms-key',
        'encryption',
        ok ? 'pass' : 'fail',
        ok
          ? `copy encrypted with the expected key (${chosen[0] ? chosen[1] : "source's key"})`
          : `copy encrypted with a different KMS key than ${chosen[0] ? chosen[1] : "the source's"}`,
        0,
        { measured: copy.kmsKeyId, expected: expectedKey },
      ),
    );
  }
  return out;
}

/** TLS read back from pg_stat_ssl on the validating connection, and rds.force_ssl as in the source. */
export async function connectionEncryptionChecks(client: pg.Client, target: Target): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const started = Date.now();
  const mode = target.connection.sslMode;
  try {
    const { rows } = await client.query<{ ssl: boolean | null; version: string | null }>(
      'SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    const ssl = rows[0]?.ssl === true;
    const version = rows[0]?.version ?? 'none';
    if (mode === 'disable') {
      out.push(
        result(
          'encryption:tls',
          'encryption',
          'skip',
          `ssl-mode disable: TLS not asked for (connection ssl ${ssl})`,
          elapsed(started),
          { measured: ssl },
        ),
      );
    } else {
      out.push(
        result(
          'encryption:tls',
          'encryption',
          ssl ? 'pass' : 'fail',
          ssl
            ? `connection uses ${version} (ssl-mode ${mode})`
            : `ssl-mode ${mode} but the connection is not TLS`,
          elapsed(started),
          {
            measured: ssl,
            expected: true,
          },
        ),
      );
    }
  } catch (error) {
    out.push(
      result(
        'encryption:tls',
        'encryption',
        'error',
        `cannot read pg_stat_ssl: ${safeError(error)}`,
        elapsed(started),
      ),
    );
  }

  const t2 = Date.now();
  const expected = target.source.forceSsl;
  let measured = target.copy.forceSsl;
  if (measured === undefined && expected !== undefined) {
    const { rows } = await client
      .query<{ v: string | null }>("SELECT current_setting('rds.force_ssl', true) AS v")
      .catch(() => ({ rows: [] as { v: string | null }[] }));
    measured = rows[0]?.v ?? undefined;
  }
  if (expected === undefined || measured === undefined) {
    out.push(
      result(
        'encryption:force-ssl',
        'encryption',
        'skip',
        'rds.force_ssl not known for source and copy',
        elapsed(t2),
      ),
    );
  } else {
    const ok = normalizeBool(measured) === normalizeBool(expected);
    out.push(
      result(
        'encryption:force-ssl',
        'encryption',
        ok ? 'pass' : 'fail',
        `rds.force_ssl: source ${expected}, copy ${measured}`,
        elapsed(t2),
        {
          measured,
          expected,
        },
      ),
    );
  }
  return out;
}

const normalizeBool = (v: string): string => (['1', 'on', 'true'].includes(v.toLowerCase()) ? '1' : '0');
