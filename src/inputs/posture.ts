/**
 * Preflight's inputs: the backup posture thresholds (the customer's alarm thresholds) and the Terraform
 * policy input, checked without AWS credentials.
 */
import type { PostureSettings } from './plan-types.js';
import { defined, type InputReader } from './raw-inputs.js';
import { existingDir, existingFile, positiveNumber, wholeNumber } from './values.js';

export function planPosture(inputs: InputReader): PostureSettings {
  return defined<PostureSettings>({
    minRetentionDays: wholeNumber('min-retention-days', inputs.required('min-retention-days'), 1, 35, 'days'),
    maxPitrGapMinutes: positiveNumber(
      'max-pitr-gap-minutes',
      inputs.required('max-pitr-gap-minutes'),
      10_080,
    ),
    maxSnapshotAgeHours: wholeNumber(
      'max-snapshot-age-hours',
      inputs.required('max-snapshot-age-hours'),
      1,
      8_760,
      'hours',
    ),
    terraformPlan: inputs.parse('terraform-plan', (v) => existingFile('terraform-plan', v)),
    terraformDir: inputs.parse('terraform-dir', (v) => existingDir('terraform-dir', v)),
  });
}
