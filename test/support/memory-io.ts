/** An EngineIO held in memory: what a test gives runMain / runPost, and what it reads back. */
import { memoryState } from '../../src/drill/state.js';
import type { EngineIO } from '../../src/host/io.js';
import type { RawInputs } from '../../src/inputs/plan.js';
import { memoryLogger } from '../../src/log/logger.js';

export interface MemoryIO extends EngineIO {
  state: ReturnType<typeof memoryState>;
  logger: ReturnType<typeof memoryLogger>;
  outputs: Record<string, string>;
  summaries: string[];
}

export function memoryIO(
  inputs: RawInputs = {},
  options: { env?: NodeJS.ProcessEnv; state?: Record<string, string> } = {},
): MemoryIO {
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  return {
    inputs,
    env: options.env ?? {},
    state: memoryState(options.state),
    logger: memoryLogger(),
    outputs,
    summaries,
    setOutput: (name, value) => {
      outputs[name] = value;
    },
    summary: async (markdown) => {
      summaries.push(markdown);
    },
  };
}
