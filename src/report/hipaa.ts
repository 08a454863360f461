import type { CheckCategory } from '../model/types.js';

/** The HIPAA Security Rule clauses a restore drill produces evidence for. */
export const HIPAA_CLAUSES = {
  '164.308(a)(7)(ii)(A)': 'Data backup plan: retrievable exact copies of ePHI',
  '164.308(a)(7)(ii)(B)': 'Disaster recovery plan: restore any loss of data',
  '164.308(a)(7)(ii)(C)': 'Emergency mode operation: protect ePHI while operating from a recovered copy',
  '164.308(a)(7)(ii)(D)': 'Testing and revision: periodic testing of contingency plans',
  '164.312(a)(2)(iv)': 'Encryption and decryption of ePHI at rest',
  '164.312(c)(1)': 'Integrity: ePHI not improperly altered or destroyed',
  '164.312(e)(2)(ii)': 'Transmission security: encryption of ePHI in transit',
} as const;
export type HipaaClause = keyof typeof HIPAA_CLAUSES;

/**
 * Which clause each family of checks serves (justified in docs/verifying-reports.md). Every drill as a
 * whole is also evidence for (D), testing; the mapping below names what each check adds beyond that.
 */
export const HIPAA_BY_CATEGORY: Record<CheckCategory, HipaaClause[]> = {
  posture: ['164.308(a)(7)(ii)(A)'],
  encryption: ['164.312(a)(2)(iv)'],
  access: ['164.308(a)(7)(ii)(C)'],
  schema: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  integrity: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  counts: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  checksums: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  custom: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  smoke: ['164.308(a)(7)(ii)(B)', '164.308(a)(7)(ii)(C)'],
  objectives: ['164.308(a)(7)(ii)(B)', '164.308(a)(7)(ii)(D)'],
};

export function hipaaFor(category: CheckCategory): HipaaClause[] {
  return [...(HIPAA_BY_CATEGORY[category] ?? ['164.308(a)(7)(ii)(D)'])];
}

/** encryption:tls, access:force-ssl, encryption:force-ssl: how the connection was protected. */
export const isTransmissionCheck = (check: { id: string }): boolean =>
  /(^|:)(tls|force-ssl)($|[:-])/.test(check.id);

/**
 * The corrected mapping, by check: TLS checks serve transmission security (§164.312(e)(2)(ii)), not encryption
 * at rest; checksums and amcheck also serve integrity (§164.312(c)(1)); the rest as their category.
 */
export function hipaaForCheck(check: { id: string; category: CheckCategory }): HipaaClause[] {
  if (isTransmissionCheck(check)) return ['164.312(e)(2)(ii)'];
  const base = hipaaFor(check.category);
  if (check.category === 'checksums' || check.id === 'integrity:amcheck') base.push('164.312(c)(1)');
  return base;
}
