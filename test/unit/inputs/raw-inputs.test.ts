import { INPUT_DEFAULTS, type RawInputs } from '../../../src/inputs/names.js';
import { defined, readInputs } from '../../../src/inputs/raw-inputs.js';

describe('readInputs', () => {
  test('empty and blank strings count as absent; the default applies', () => {
    const inputs = readInputs({ command: '', 'restore-type': '  ', 'source-cluster': ' prod-db ' });
    expect(inputs.get('command')).toBe('restore-test');
    expect(inputs.given('command')).toBe(false);
    expect(inputs.get('restore-type')).toBe('latest');
    expect(inputs.get('source-cluster')).toBe('prod-db');
    expect(inputs.given('source-cluster')).toBe(true);
    expect(inputs.get('snapshot-id')).toBeUndefined();
  });

  test('parse runs only on a present value', () => {
    const inputs = readInputs({ 'restored-port': '5432' });
    expect(inputs.parse('restored-port', Number)).toBe(5432);
    expect(inputs.parse('restored-host', () => 'never')).toBeUndefined();
  });

  test('required returns a default and refuses a name without one', () => {
    const inputs = readInputs({});
    expect(inputs.required('cleanup')).toBe(INPUT_DEFAULTS.cleanup);
    expect(() => inputs.required('snapshot-id')).toThrow(/has no default/);
  });

  test('an unknown name is refused, listing the inputs', () => {
    expect(() => readInputs({ 'restore-typo': 'x' } as RawInputs)).toThrow(
      /^input 'restore-typo' is not an input; inputs are: command, provider, /,
    );
  });
});

test('defined drops undefined values and keeps the rest', () => {
  expect(defined({ a: 1, b: undefined, c: '', d: false })).toEqual({ a: 1, c: '', d: false });
  expect(Object.keys(defined({ a: undefined }))).toEqual([]);
});
