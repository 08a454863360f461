import type { Logger } from '../log/logger.js';
import type { RawInputs } from '../inputs/names.js';

/** Key/value state that outlives the main step (the runner's state file; memory in the CLI and tests). */
export interface StateStore {
  save(key: string, value: string): void;
  get(key: string): string;
}

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

/** What an entry point (action main/post, CLI, a test) gives the engine. */
export interface EngineIO {
  inputs: RawInputs;
  env: NodeJS.ProcessEnv;
  state: StateStore;
  logger: Logger;
  setOutput(name: string, value: string): void;
  /** Markdown for the job summary, where there is one. */
  summary?(markdown: string): Promise<void>;
  /** A file/line annotation where the surroundings show them (the runner); else a log line. */
  annotate?(level: 'error' | 'warning', message: string, properties?: AnnotationProperties): void;
}
