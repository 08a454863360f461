/**
 * Replaces every occurrence of each secret in `text` with `marker`. Values shorter than four characters are
 * left alone: masking them would shred ordinary words and numbers without protecting anything.
 */
export function maskSecrets(text: string, secrets: Iterable<string | undefined>, marker = '***'): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join(marker);
  return out;
}
