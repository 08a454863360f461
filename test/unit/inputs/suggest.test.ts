import { closest, didYouMean, editDistance } from '../../../src/inputs/suggest.js';
import { INPUT_NAMES } from '../../../src/inputs/names.js';

test('edit distance counts a swap of neighbours as one edit', () => {
  expect(editDistance('montly', 'monthly')).toBe(1);
  expect(editDistance('wekely', 'weekly')).toBe(1);
  expect(editDistance('abc', 'abc')).toBe(0);
});

test('a mistyped flag or value finds its neighbour; a different word finds nothing', () => {
  expect(closest('source-cluser', INPUT_NAMES)).toBe('source-cluster');
  expect(closest('montly', ['weekly', 'monthly', 'quarterly'])).toBe('monthly');
  expect(closest('banana', ['weekly', 'monthly'])).toBeUndefined();
  expect(didYouMean('lates', ['latest', 'snapshot'])).toBe("; did you mean 'latest'?");
  expect(didYouMean('latest', ['latest'])).toBe('');
});
