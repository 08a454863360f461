/**
 * The error for bad input: one line that names the input and what it accepts, and echoes the value given
 * unless the input is a secret.
 */
import { SECRET_INPUTS, type InputName } from './names.js';

export class InputError extends Error {
  constructor(
    readonly input: string,
    accepts: string,
    got?: string,
  ) {
    const shown =
      got === undefined ? '' : SECRET_INPUTS.includes(input as InputName) ? '' : `; got '${oneLine(got)}'`;
    super(`input '${input}' ${accepts.replace(/[\r\n]+/g, ' ')}${shown}`);
    this.name = 'InputError';
  }
}

/** At most 80 characters, on one line. */
function oneLine(s: string): string {
  return (s.length > 80 ? `${s.slice(0, 77)}...` : s).replace(/[\r\n]+/g, ' ');
}
