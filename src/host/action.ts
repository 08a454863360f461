/** The GitHub Actions runner as an EngineIO: inputs from INPUT_*, state and outputs through @actions/core. */
import * as core from '@actions/core';
import type { Logger } from '../log/logger.js';
import { INPUT_NAMES, type RawInputs } from '../inputs/names.js';
import type { EngineIO } from './io.js';

export const actionLogger: Logger = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
  debug: (m) => core.debug(m),
  setSecret: (v) => core.setSecret(v),
};

export function actionIO(): EngineIO {
  const inputs: RawInputs = {};
  for (const name of INPUT_NAMES) inputs[name] = core.getInput(name);
  return {
    inputs,
    env: process.env,
    logger: actionLogger,
    state: { save: (k, v) => core.saveState(k, v), get: (k) => core.getState(k) },
    setOutput: (k, v) => core.setOutput(k, v),
    annotate: (level, message, properties) => core[level](message, properties),
    summary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
  };
}
