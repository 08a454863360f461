import { maskSecrets } from './redact.js';

/** The drill's voice. The action maps it onto @actions/core; the CLI onto stderr; tests capture it. */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** Registers a value that must never appear in any output (masked in the runner's log). */
  setSecret(value: string): void;
}

/** A logger that writes lines to a stream and masks every registered secret itself. */
export function streamLogger(write: (line: string) => void, options: { debug?: boolean } = {}): Logger {
  const secrets = new Set<string>();
  const mask = (message: string): string => maskSecrets(message, secrets);
  return {
    info: (m) => write(mask(m)),
    warning: (m) => write(`warning: ${mask(m)}`),
    error: (m) => write(`error: ${mask(m)}`),
    debug: (m) => {
      if (options.debug) write(`debug: ${mask(m)}`);
    },
    setSecret: (v) => {
      if (v) secrets.add(v);
    },
  };
}

/** A logger that keeps every line, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = streamLogger((line) => lines.push(line), { debug: true });
  return Object.assign(logger, { lines });
}
