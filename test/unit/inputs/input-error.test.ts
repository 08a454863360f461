import { InputError } from '../../../src/inputs/input-error.js';

test('one line naming the input, what it accepts and what it got', () => {
  const error = new InputError('cleanup', 'accepts always | on-success | never', 'some\ntimes');
  expect(error.message).toBe("input 'cleanup' accepts always | on-success | never; got 'some times'");
  expect(error.input).toBe('cleanup');
  expect(error.name).toBe('InputError');
});

test('a long value is cut to 80 characters', () => {
  const error = new InputError('cadence', 'accepts a short name', 'x'.repeat(200));
  expect(error.message).toBe(`input 'cadence' accepts a short name; got '${'x'.repeat(77)}...'`);
});

test.each(['production-url', 'signing-key', 'github-token', 'source-url'])(
  'the value of secret input %s is never echoed',
  (input) => {
    const error = new InputError(input, 'accepts something else', 'hunter2-secret');
    expect(error.message).toBe(`input '${input}' accepts something else`);
  },
);

test('what it accepts is kept on one line too', () => {
  expect(new InputError('checks-file', 'accepts a file;\nline two').message).toBe(
    "input 'checks-file' accepts a file; line two",
  );
});
