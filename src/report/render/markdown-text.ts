/**
 * Free text (a scenario, a finding, a test type's name) made safe for GitHub Markdown without HTML
 * entities: raw Markdown stays readable in a diff, and renders the same on GitHub.
 */

/** One line, safe inside a table cell: backslashes, pipes and angle brackets backslash-escaped. */
export function tableText(text: string): string {
  return inlineText(text).replace(/\|/g, '\\|');
}

/** One line of prose: line breaks become spaces, `<` and `>` are escaped so no HTML tag can open. */
export function inlineText(text: string): string {
  return text
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/[<>]/g, (c) => `\\${c}`)
    .trim();
}
