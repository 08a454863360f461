import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DrillOutcome } from '../../src/model/types.js';
import { sha256Hex } from '../../src/report/canonical.js';
import { composeReport, type ComposedReport } from '../../src/report/compose.js';
import { runContextFromEnv } from '../../src/report/model.js';
import { secretsFrom } from '../../src/report/sanitize.js';
import { loadSigningKey } from '../../src/report/signing.js';
import { tempDir } from './temp-dir.js';

export const fixtures = fileURLToPath(new URL('../fixtures/report/', import.meta.url));
export const testKey = readFileSync(join(fixtures, 'test-signing-key.pem'), 'utf8');
export const otherKey = readFileSync(join(fixtures, 'other-signing-key.pem'), 'utf8');

/** A fresh workspace with docs/tests inside, as the action sees the repository. */
export function workspace(): { root: string; dir: string } {
  const root = tempDir('report');
  return { root, dir: join(root, 'docs', 'tests') };
}

export interface ChainLink {
  outcome: DrillOutcome;
  env?: Record<string, string | undefined>;
  now?: Date;
  toolVersion?: string;
}

/**
 * Reports composed in memory as writeReport would write them into an empty docs/tests, each linked to
 * the one before: no files, for unit tests of what the renderers produce.
 */
export function composeChain(links: ChainLink[], signingKey: string | undefined = testKey): ComposedReport[] {
  const key = signingKey ? loadSigningKey(signingKey) : null;
  const out: ComposedReport[] = [];
  for (const link of links) {
    const last = out.at(-1);
    out.push(
      composeReport({
        outcome: link.outcome,
        run: runContextFromEnv(link.env ?? {}, link.outcome.cadence),
        taken: new Set(out.flatMap((c) => [c.report.file, c.report.markdown.file])),
        previous: last ? { file: last.report.file, sha256: sha256Hex(last.json) } : null,
        generatedAt: link.now ?? new Date(),
        toolVersion: link.toolVersion ?? 'dev',
        secrets: secretsFrom([signingKey]),
        signingKey: key,
        shownDir: 'docs/tests',
      }),
    );
  }
  return out;
}

/** One report composed in memory as the first in an empty docs/tests. */
export function composeFirst(link: ChainLink, signingKey: string | undefined = testKey): ComposedReport {
  return composeChain([link], signingKey)[0]!;
}
