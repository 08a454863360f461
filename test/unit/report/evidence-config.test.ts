import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  criteriaText,
  DEFAULT_TEST_TYPES,
  drillCadenceOf,
  evidenceConfigJsonSchema,
  minutesText,
  parseEvidenceConfig,
} from '../../../src/report/evidence-config.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../../docs/restore-proof.schema.json', import.meta.url));

describe('restore-proof.yml defaults', () => {
  it("reproduce the plan's testing table plus the weekly automated validation", () => {
    expect(DEFAULT_TEST_TYPES.map((t) => [t.name, t.cadence, t.evidence, t.enabled])).toEqual([
      ['Weekly restore validation', 'weekly', 'drill', true],
      ['Point-in-Time Recovery', 'monthly', 'drill', true],
      ['Full Disaster Recovery', 'quarterly', 'drill', true],
      ['Tabletop Exercise', 'semiannual', 'exercise', true],
      ['Cross-Region Failover', 'annual', 'drill', true],
    ]);
  });

  it('an empty file or one without test-types means the defaults', () => {
    expect(parseEvidenceConfig('').testTypes).toEqual(DEFAULT_TEST_TYPES);
    expect(parseEvidenceConfig('version: 1\n').testTypes).toEqual(DEFAULT_TEST_TYPES);
  });

  it('criteria text is generated from the values', () => {
    const [weekly, pitr, fullDr, tabletop, crossRegion] = DEFAULT_TEST_TYPES.map(criteriaText);
    expect(pitr).toBe('Restore completes in < 30 min, data validates against production, copy cleaned up');
    expect(fullDr).toBe(
      'Restore completes in < 2 h, all services operational (smoke command passed), data validates against production, copy cleaned up',
    );
    expect(crossRegion).toMatch(/^Restore completes in < 2 h, restored in another region, /);
    expect(weekly).toBe('Data validates against production, copy cleaned up');
    expect(tabletop).toMatch(/^Exercise recorded/);
    const changed = parseEvidenceConfig(
      'test-types:\n  - { id: pitr, name: PITR, cadence: monthly, criteria: { max-restore-minutes: 45, max-data-loss-minutes: 5 } }\n',
    );
    expect(criteriaText(changed.testTypes[0]!)).toBe(
      'Restore completes in < 45 min, data loss at most 5 min, data validates against production, copy cleaned up',
    );
  });

  it('writes minutes as a reader would', () => {
    expect([minutesText(30), minutesText(60), minutesText(90), minutesText(120), minutesText(7.5)]).toEqual([
      '30 min',
      '1 h',
      '1 h 30 min',
      '2 h',
      '7.5 min',
    ]);
  });
});

describe('parseEvidenceConfig', () => {
  const yaml = `version: 1
test-types:
  - id: nightly-pitr
    name: Nightly restore
    cadence: weekly
    drill-cadence: nightly
  - id: tabletop
    name: Tabletop Exercise
    cadence: semiannual
    evidence: exercise
    enabled: false
`;

  it('reads test types with their defaults filled', () => {
    const [drill, exercise] = parseEvidenceConfig(yaml).testTypes;
    expect(drill).toEqual({
      id: 'nightly-pitr',
      name: 'Nightly restore',
      cadence: 'weekly',
      evidence: 'drill',
      'drill-cadence': 'nightly',
      criteria: {},
      enabled: true,
    });
    expect(drillCadenceOf(drill!)).toBe('nightly');
    expect(exercise).toMatchObject({ evidence: 'exercise', enabled: false });
  });

  it.each([
    [
      'test-types:\n  - { id: a, name: A, cadence: fortnightly }',
      'restore-proof.yml: test-types[0].cadence: expects one of weekly, monthly, quarterly, semiannual, annual',
    ],
    [
      'test-types:\n  - { id: a, name: A, cadence: weekly, colour: red }',
      'restore-proof.yml: test-types[0]: unknown key colour',
    ],
    [
      'test-types:\n  - { id: A B, name: A, cadence: weekly }',
      'restore-proof.yml: test-types[0].id: expects an id of lower-case letters, digits and dashes',
    ],
    [
      'test-types:\n  - { id: a, name: A, cadence: weekly }\n  - { id: a, name: B, cadence: monthly }',
      'restore-proof.yml: test-types[1].id: a is named twice',
    ],
    [
      'test-types:\n  - { id: a, name: A, cadence: weekly, criteria: { max-restore-minutes: -5 } }',
      'restore-proof.yml: test-types[0].criteria.max-restore-minutes: expects a positive number of minutes (restore request to first query)',
    ],
    [
      'test-types:\n  - { id: a, name: A, cadence: weekly, criteria: { smoke-required: yes } }',
      'restore-proof.yml: test-types[0].criteria.smoke-required: expects true or false',
    ],
    [
      'test-types:\n  - { id: t, name: T, cadence: annual, evidence: exercise, drill-cadence: annual }',
      'restore-proof.yml: test-types[0].drill-cadence: goes only with evidence: drill',
    ],
    ['test-types: []', 'restore-proof.yml: test-types: expects at least one test type'],
    ['test-types: [\n', 'restore-proof.yml: not valid YAML: '],
    ['tests: []', 'restore-proof.yml: (top level): unknown key tests'],
  ])('%j fails with one line naming the key', (text, message) => {
    let thrown: Error | undefined;
    try {
      parseEvidenceConfig(text);
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.message.slice(0, message.length)).toBe(message);
    expect(thrown?.message).not.toContain('\n');
  });
});

describe('docs/restore-proof.schema.json', () => {
  /**
   * Regenerate after an intended schema change with UPDATE_SCHEMA=1 (then prettier --write it and read the
   * diff). Compared as JSON, so formatting the file does not matter.
   */
  it('is the JSON Schema generated from the zod schema', () => {
    const generated = evidenceConfigJsonSchema();
    if (process.env.UPDATE_SCHEMA === '1')
      writeFileSync(SCHEMA_FILE, `${JSON.stringify(generated, null, 2)}\n`);
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(generated);
  });

  it('describes the keys an editor completes', () => {
    const schema = evidenceConfigJsonSchema() as {
      properties: Record<string, { items?: { properties: Record<string, unknown> } }>;
    };
    expect(Object.keys(schema.properties['test-types']!.items!.properties).sort()).toEqual(
      ['cadence', 'criteria', 'drill-cadence', 'enabled', 'evidence', 'id', 'name'].sort(),
    );
  });
});
