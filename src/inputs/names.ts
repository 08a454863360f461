/** The inputs the action and the CLI accept, their defaults, and which of them are secrets. */

/** Every input the action and the CLI accept, with the default the runner applies (from action.yml). */
export const INPUT_DEFAULTS = {
  command: 'restore-test',
  provider: 'aurora',
  'source-cluster': '',
  'aws-region': '',
  'restore-type': 'latest',
  'restore-time': '',
  'snapshot-id': '',
  'instance-class': '',
  'db-subnet-group': '',
  'vpc-security-group-ids': '',
  'kms-key-id': '',
  database: '',
  'production-url': '',
  'restored-host': '',
  'restored-port': '',
  'ssl-mode': 'verify-full',
  'checks-file': '',
  'max-restore-minutes': '30',
  'max-data-loss-minutes': '5',
  'timeout-minutes': '120',
  cleanup: 'always',
  'report-dir': 'docs/tests',
  'signing-key': '',
  'public-key': '',
  cadence: 'adhoc',
  'smoke-command': '',
  'github-token': '',
  'commit-report': 'false',
  'report-branch': '',
  'source-url': '',
  'backup-dir': '',
  'wal-archive-dir': '',
  'dry-run': 'false',
  'min-retention-days': '35',
  'max-pitr-gap-minutes': '10',
  'max-snapshot-age-hours': '25',
  'terraform-plan': '',
  'terraform-dir': '',
  'source-instance': '',
  'target-region': '',
  'target-kms-key-id': '',
  'metrics-namespace': '',
  'tunnel-command': '',
  'exercise-file': '',
  year: '',
  'ca-bundle': '',
  'target-db-subnet-group': '',
  'target-vpc-security-group-ids': '',
  'restore-parameter-group': '',
  'restore-instance-parameter-group': '',
  'statement-timeout-seconds': '3600',
  'tables-at-once': '4',
  'parallel-workers': '2',
} as const satisfies Record<string, string>;

export type InputName = keyof typeof INPUT_DEFAULTS;
export const INPUT_NAMES = Object.keys(INPUT_DEFAULTS) as InputName[];

/** Inputs whose values are secrets: never echoed in an error. */
export const SECRET_INPUTS: readonly InputName[] = [
  'production-url',
  'signing-key',
  'github-token',
  'source-url',
];

export type RawInputs = Partial<Record<InputName, string | undefined>>;
