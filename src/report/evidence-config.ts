/**
 * The evidence configuration: `restore-proof.yml`, kept beside the reports, names the plan's test types
 * (what is tested, how often, which reports fill it and what counts as success). Without the file the
 * defaults reproduce the customer's "Restore Testing Schedule" plus the weekly automated validation.
 * The success criterion shown on the index and in the annual report is generated from the values here.
 */
import { z } from 'zod';
import { parseValidatedYaml } from './validated-yaml.js';

/** The file's name, beside the reports (docs/tests/restore-proof.yml). */
export const EVIDENCE_CONFIG_FILE = 'restore-proof.yml';

export const TEST_CADENCES = ['weekly', 'monthly', 'quarterly', 'semiannual', 'annual'] as const;
export type TestCadence = (typeof TEST_CADENCES)[number];

const FREQUENCY: Record<TestCadence, string> = {
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  semiannual: 'Semi-annually',
  annual: 'Annually',
};

/** How the plan's table writes a cadence: Monthly, Semi-annually. */
export const frequencyLabel = (cadence: TestCadence): string => FREQUENCY[cadence];

const minutes = (what: string) =>
  z
    .number({ error: `expects a number of minutes (${what})` })
    .positive({ error: `expects a positive number of minutes (${what})` });

const criteriaSchema = z
  .strictObject({
    'max-restore-minutes': minutes('restore request to first query')
      .optional()
      .describe('The restore completes in less than this many minutes.'),
    'max-data-loss-minutes': minutes('newest restored write to the restore target')
      .optional()
      .describe('At most this many minutes of data are lost.'),
    'smoke-required': z
      .boolean({ error: 'expects true or false' })
      .optional()
      .describe('All services operational: a smoke-command ran against the copy and passed.'),
    'cross-region': z
      .boolean({ error: 'expects true or false' })
      .optional()
      .describe('The copy was restored in another region (target-region).'),
  })
  .describe('What a passing drill must also have shown to count for this test type.');

const testTypeSchema = z
  .strictObject({
    id: z
      .string({ error: 'expects an id of lower-case letters, digits and dashes' })
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'expects an id of lower-case letters, digits and dashes' })
      .describe('Stable identifier (exercise records name it in test-type).'),
    name: z
      .string({ error: 'expects the test type as the plan names it' })
      .trim()
      .min(1, { error: 'expects the test type as the plan names it' }),
    cadence: z
      .enum(TEST_CADENCES, { error: `expects one of ${TEST_CADENCES.join(', ')}` })
      .describe('How often the plan requires the test.'),
    evidence: z
      .enum(['drill', 'exercise'], { error: 'expects drill or exercise' })
      .default('drill')
      .describe('drill: filled by restore-test reports; exercise: by recorded exercises (record-exercise).'),
    'drill-cadence': z
      .string({ error: 'expects the cadence input of the drills that fill this row' })
      .trim()
      .min(1, { error: 'expects the cadence input of the drills that fill this row' })
      .optional()
      .describe("The cadence input of the drills whose reports fill this row (default: the row's cadence)."),
    criteria: criteriaSchema.default({}),
    enabled: z
      .boolean({ error: 'expects true or false' })
      .default(true)
      .describe('false: this team does not run the test; shown as such, never OVERDUE.'),
  })
  .superRefine((type, ctx) => {
    if (type.evidence !== 'exercise') return;
    if (type['drill-cadence'] !== undefined)
      ctx.addIssue({ code: 'custom', path: ['drill-cadence'], message: 'goes only with evidence: drill' });
    if (Object.keys(type.criteria).length > 0)
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'goes only with evidence: drill' });
  });

export const evidenceConfigSchema = z
  .strictObject({
    version: z.literal(1, { error: 'expects 1' }).optional(),
    'test-types': z
      .array(testTypeSchema, { error: 'expects a list of test types' })
      .min(1, { error: 'expects at least one test type' })
      .superRefine((types, ctx) => {
        const seen = new Set<string>();
        types.forEach((t, i) => {
          if (seen.has(t.id))
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `${t.id} is named twice` });
          seen.add(t.id);
        });
      })
      .optional()
      .describe("The plan's test types, in the order the index shows them; replaces the default list."),
  })
  .describe(
    'restore-proof.yml: the Backup and Disaster Recovery plan test types the evidence is judged against.',
  );

export type TestType = z.output<typeof testTypeSchema>;
export type TestCriteria = TestType['criteria'];

export interface EvidenceConfig {
  testTypes: TestType[];
}

/**
 * The plan's "Restore Testing Schedule" (backup-dr-plan.md) plus its weekly automated validation. RTO
 * targets from its objectives: a regional outage or complete infrastructure failure is "Major", 2 hours.
 */
export const DEFAULT_TEST_TYPES: TestType[] = [
  {
    id: 'weekly-validation',
    name: 'Weekly restore validation',
    cadence: 'weekly',
    evidence: 'drill',
    criteria: {},
    enabled: true,
  },
  {
    id: 'point-in-time',
    name: 'Point-in-Time Recovery',
    cadence: 'monthly',
    evidence: 'drill',
    criteria: { 'max-restore-minutes': 30 },
    enabled: true,
  },
  {
    id: 'full-dr',
    name: 'Full Disaster Recovery',
    cadence: 'quarterly',
    evidence: 'drill',
    criteria: { 'max-restore-minutes': 120, 'smoke-required': true },
    enabled: true,
  },
  {
    id: 'tabletop',
    name: 'Tabletop Exercise',
    cadence: 'semiannual',
    evidence: 'exercise',
    criteria: {},
    enabled: true,
  },
  {
    id: 'cross-region',
    name: 'Cross-Region Failover',
    cadence: 'annual',
    evidence: 'drill',
    criteria: { 'max-restore-minutes': 120, 'cross-region': true },
    enabled: true,
  },
];

export const DEFAULT_EVIDENCE_CONFIG: EvidenceConfig = { testTypes: DEFAULT_TEST_TYPES };

/** Parses restore-proof.yml's text (an empty file means the defaults). Throws one line naming the key path. */
export function parseEvidenceConfig(text: string, name: string = EVIDENCE_CONFIG_FILE): EvidenceConfig {
  const file = parseValidatedYaml(evidenceConfigSchema, text, name);
  return { testTypes: file['test-types'] ?? DEFAULT_TEST_TYPES };
}

/** The drill cadence whose reports fill a drill row (its own cadence unless drill-cadence names another). */
export const drillCadenceOf = (type: TestType): string => type['drill-cadence'] ?? type.cadence;

/** `30 min`, `2 h`, `1 h 30 min`, `1.5 min`. */
export function minutesText(value: number): string {
  if (value < 60 || !Number.isInteger(value)) return `${value} min`;
  const h = Math.floor(value / 60);
  const m = value % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/**
 * The success criterion as one sentence, generated from the values (never fixed prose), e.g.
 * "Restore completes in < 30 min, data validates against production".
 */
export function criteriaText(type: TestType): string {
  if (type.evidence === 'exercise')
    return 'Exercise recorded: scenario walked through by the named roles, findings and actions with owners';
  const c = type.criteria;
  const parts: string[] = [];
  if (c['max-restore-minutes'] !== undefined)
    parts.push(`restore completes in < ${minutesText(c['max-restore-minutes'])}`);
  if (c['max-data-loss-minutes'] !== undefined)
    parts.push(`data loss at most ${minutesText(c['max-data-loss-minutes'])}`);
  if (c['cross-region']) parts.push('restored in another region');
  if (c['smoke-required']) parts.push('all services operational (smoke command passed)');
  parts.push('data validates against production', 'copy cleaned up');
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The JSON Schema of restore-proof.yml (committed as docs/restore-proof.schema.json). */
export function evidenceConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(evidenceConfigSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'restore-proof.yml',
  };
}
