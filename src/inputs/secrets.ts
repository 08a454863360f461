/**
 * Every secret value among the inputs, computed once while planning, for the logger (setSecret), error
 * messages and report scrubbing: the signing key's PEM (as pasted and with real newlines) and each of its
 * body lines, github-token, production-url and source-url with their passwords (as written and decoded).
 */
import type { Plan as LegacyPlan } from '../model/types.js';

export interface SecretInputs {
  signingKeyPem?: string;
  githubToken?: string;
  urls: (string | undefined)[];
}

/** Distinct secrets of four characters or more (shorter ones are not masked), longest first. */
export function secretValues(inputs: SecretInputs): string[] {
  const out = new Set<string>();
  const pem = inputs.signingKeyPem;
  if (pem) {
    out.add(pem);
    out.add(pem.replace(/\n/g, '\\n'));
    for (const line of pem.split('\n')) if (line.trim() && !line.startsWith('-----')) out.add(line.trim());
  }
  if (inputs.githubToken) out.add(inputs.githubToken);
  for (const url of inputs.urls) {
    if (!url) continue;
    out.add(url);
    for (const password of urlPasswords(url)) out.add(password);
  }
  return [...out].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/** The password of a URL as written and decoded; none when it is not a URL or has no password. */
function urlPasswords(url: string): string[] {
  try {
    const written = new URL(url).password;
    return written ? [written, decodeURIComponent(written)] : [];
  } catch {
    return [];
  }
}

/**
 * The plan's secrets. A plan from buildPlan carries them; a plan built by hand (tests) has them worked out
 * from its legacy string fields.
 */
export function secretsOf(
  plan: Pick<LegacyPlan, 'signingKey' | 'githubToken' | 'productionUrl' | 'sourceUrl'> & {
    secrets?: readonly string[];
  },
): readonly string[] {
  return (
    plan.secrets ??
    secretValues({
      signingKeyPem: plan.signingKey,
      githubToken: plan.githubToken,
      urls: [plan.productionUrl, plan.sourceUrl],
    })
  );
}
