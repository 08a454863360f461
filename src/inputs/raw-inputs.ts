/**
 * How a raw value is read: empty strings count as absent (the runner passes every declared input), then the
 * default applies, so the CLI and the action behave the same.
 */
import { InputError } from './input-error.js';
import { INPUT_DEFAULTS, INPUT_NAMES, type InputName, type RawInputs } from './names.js';

/** Reads raw inputs with their defaults applied. */
export interface InputReader {
  /** The trimmed value, else the default, else undefined. */
  get(name: InputName): string | undefined;
  /** The value, which has a non-empty default. */
  required(name: InputName): string;
  /** Whether the caller passed a non-empty value (a default does not count). */
  given(name: InputName): boolean;
  /** The value through `parse`, or undefined when absent. */
  parse<T>(name: InputName, parse: (value: string) => T): T | undefined;
}

/** Refuses names that are not inputs, then reads the rest with defaults. */
export function readInputs(raw: RawInputs): InputReader {
  for (const key of Object.keys(raw)) {
    if (!(INPUT_NAMES as string[]).includes(key)) {
      throw new InputError(key, `is not an input; inputs are: ${INPUT_NAMES.join(', ')}`);
    }
  }
  const given = (name: InputName): boolean => (raw[name] ?? '').trim() !== '';
  const get = (name: InputName): string | undefined => {
    if (given(name)) return raw[name]!.trim();
    const fallback: string = INPUT_DEFAULTS[name];
    return fallback === '' ? undefined : fallback;
  };
  const required = (name: InputName): string => {
    const value = get(name);
    if (value === undefined) throw new Error(`input '${name}' has no default`);
    return value;
  };
  const parse = <T>(name: InputName, parser: (value: string) => T): T | undefined => {
    const value = get(name);
    return value === undefined ? undefined : parser(value);
  };
  return { get, required, given, parse };
}

/** Copies the defined values only, so an absent input stays an absent key. */
export function defined<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as T;
}
