/**
 * restore-proof <command> --<input-name> value ...
 * The same engine as the action, with exactly the action's input names as flags; logs go to stderr and
 * outputs to stdout as name=value lines, so a cron job or a self-hosted runner can run a drill unchanged.
 */
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { streamLogger } from '../log/logger.js';
import { INPUT_DEFAULTS, INPUT_NAMES, type RawInputs } from '../inputs/plan.js';
import { runMain } from '../engine/run.js';
import type { EngineIO } from './io.js';
import { memoryState } from '../drill/state.js';
import { fleetIndexCommand } from '../engine/fleet-index.js';
import { COMMANDS } from '../model/types.js';

const USAGE = `usage: restore-proof <${[...COMMANDS, 'fleet-index'].join(' | ')}> [--<input> value ...]
inputs (as in action.yml): ${INPUT_NAMES.map((n) => `--${n}`).join(' ')}
Outputs are printed as name=value lines on stdout; progress goes to stderr.
fleet-index takes --report-dir, --commit-report and --github-token only: restore-proof fleet-index --help`;

export async function cli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
): Promise<number> {
  // fleet-index parses its own flags (engine/fleet-index.ts).
  if (argv[0] === 'fleet-index') return fleetIndex(argv, env);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(INPUT_NAMES.map((n) => [n, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    process.stderr.write(`restore-proof: ${(error as Error).message.split('\n')[0]}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) {
    process.stderr.write(`restore-proof: one command at a time; got ${positionals.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  if (positionals[0] === 'fleet-index') return fleetIndex(argv, env);
  const logger = terminalLogger(env);
  const inputs: RawInputs = {};
  for (const name of INPUT_NAMES) {
    const value = (values as Record<string, unknown>)[name];
    if (typeof value === 'string') inputs[name] = value;
  }
  if (positionals[0]) inputs.command = positionals[0];
  inputs.command ??= INPUT_DEFAULTS.command;

  const io: EngineIO = {
    inputs,
    env,
    logger,
    state: memoryState(),
    setOutput: (name, value) => process.stdout.write(`${name}=${value}\n`),
  };
  return runMain(io, { signal });
}

const terminalLogger = (env: NodeJS.ProcessEnv) =>
  streamLogger((line) => process.stderr.write(`${line}\n`), { debug: Boolean(env.RUNNER_DEBUG) });

function fleetIndex(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  return fleetIndexCommand(argv, {
    env,
    logger: terminalLogger(env),
    print: (text) => process.stdout.write(`${text}\n`),
    summary: summaryFile ? (markdown) => appendFile(summaryFile, markdown) : undefined,
  });
}
