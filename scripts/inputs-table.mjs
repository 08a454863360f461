// Writes the inputs and outputs tables into README.md from action.yml, between the
// <!-- inputs:start --> / <!-- inputs:end --> markers. `--check` exits 1 when README.md is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const START = '<!-- inputs:start -->';
const END = '<!-- inputs:end -->';

export function renderTables(actionYaml) {
  const action = parse(actionYaml);
  const cell = (s) =>
    String(s ?? '')
      .replace(/\|/g, '\\|')
      .replace(/\s*\n\s*/g, ' ')
      .trim();
  const lines = ['### Inputs', '', '| input | default | description |', '| --- | --- | --- |'];
  for (const [name, spec] of Object.entries(action.inputs)) {
    lines.push(
      `| \`${name}\` | ${spec.default !== undefined ? `\`${cell(spec.default)}\`` : ''} | ${cell(spec.description)} |`,
    );
  }
  lines.push('', '### Outputs', '', '| output | description |', '| --- | --- |');
  for (const [name, spec] of Object.entries(action.outputs))
    lines.push(`| \`${name}\` | ${cell(spec.description)} |`);
  return lines.join('\n');
}

export function updateReadme(readme, actionYaml) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} ... ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${renderTables(actionYaml)}\n${readme.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readme = readFileSync('README.md', 'utf8');
  const next = updateReadme(readme, readFileSync('action.yml', 'utf8'));
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error('README.md inputs table is out of date with action.yml: run `npm run docs`');
      process.exit(1);
    }
  } else {
    writeFileSync('README.md', next);
  }
}
