/**
 * Replaces every occurrence of each secret in `text` with `marker`, longest first, so a secret that holds
 * another (a URL and its password) is masked whole. Values shorter than four characters are left alone:
 * masking them would shred ordinary words and numbers without protecting anything.
 */
export function maskSecrets(text: string, secrets: Iterable<string | undefined>, marker = '***'): string {
  const longestFirst = [...new Set(secrets)]
    .filter((s): s is string => !!s && s.length >= 4)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of longestFirst) out = out.split(secret).join(marker);
  return out;
}
