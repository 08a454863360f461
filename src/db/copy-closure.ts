/**
 * Closes the copy to everyone but the drill. A restored copy is a full copy of the patient data, and every
 * application role keeps its production password on it: anyone and anything that can reach the copy with a
 * production credential could read it. Right after the drill's first connection, every other role that can
 * log in loses LOGIN on the copy (never on production: this runs on the copy's connection only), and their
 * sessions on the copy are ended. The roles' attributes are read before, so the access comparison still
 * compares the copy as it was restored.
 */
import type pg from 'pg';

export interface CopyClosure {
  /** Roles whose LOGIN the drill removed on the copy. */
  closed: string[];
  /** Roles the drill could not close (e.g. the platform's own administrator), each with the reason. */
  kept: { role: string; reason: string }[];
  /** Sessions of other roles that were open on the copy and were ended. */
  terminated: number;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Takes LOGIN from every role but the connection's own, then ends their sessions on the copy. */
export async function closeCopy(client: pg.Client): Promise<CopyClosure> {
  const { rows } = await client.query<{ rolname: string }>(
    `SELECT rolname FROM pg_catalog.pg_roles
      WHERE rolcanlogin AND rolname <> current_user AND rolname !~ '^pg_'
      ORDER BY rolname`,
  );
  const closed: string[] = [];
  const kept: CopyClosure['kept'] = [];
  for (const { rolname } of rows) {
    try {
      await client.query(`ALTER ROLE ${quoteIdent(rolname)} NOLOGIN`);
      closed.push(rolname);
    } catch (error) {
      // Only the SQLSTATE and the server's words: never a value.
      const e = error as { code?: string; message?: string };
      kept.push({ role: rolname, reason: `${e.code ?? 'error'}: ${(e.message ?? '').split('\n')[0]}` });
    }
  }
  const sessions = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_catalog.pg_stat_activity
      WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'
        AND usename IS DISTINCT FROM current_user`,
  );
  let terminated = 0;
  for (const { pid } of sessions.rows) {
    const ended = await client
      .query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid])
      .then((r) => r.rows[0]?.ok === true)
      .catch(() => false);
    if (ended) terminated++;
  }
  return { closed, kept, terminated };
}

/**
 * The copy's roles as restored: the attributes read after closing, with LOGIN given back to the roles the
 * drill closed (roles as readRoles renders them: "superuser=.. login=.. ...").
 */
export function rolesAsRestored(roles: Map<string, string>, closed: readonly string[]): Map<string, string> {
  const out = new Map(roles);
  for (const role of closed) {
    const attributes = out.get(role);
    if (attributes !== undefined) out.set(role, attributes.replace('login=false', 'login=true'));
  }
  return out;
}

/** One line for the report: what was closed, what could not be, and why. Role names only. */
export function describeClosure(closure: CopyClosure): string {
  const closed = `logins disabled on the copy for ${closure.closed.length} role${closure.closed.length === 1 ? '' : 's'} (every role but the drill's own)`;
  const ended = closure.terminated > 0 ? `; ${closure.terminated} other session(s) ended` : '';
  const kept =
    closure.kept.length > 0
      ? `; could not close ${closure.kept.map((k) => `${k.role} (${k.reason})`).join(', ')}`
      : '';
  return `${closed}${ended}${kept}`;
}
