/**
 * restore-proof <command> --<input-name> value ...
 * The same engine as the action, with exactly the action's input names as flags; logs go to stderr and
 * outputs to stdout as name=value lines, so a cron job or a self-hosted runner can run a drill unchanged.
 * Secret inputs may come from RESTORE_PROOF_<INPUT> or a file (inputs/secret-sources.ts). Exit codes:
 * engine/exit-codes.ts.
 */
import { appendFile } from 'node:fs/promises';
import { streamLogger, type Logger } from '../log/logger.js';
import { INPUT_DEFAULTS, type RawInputs } from '../inputs/names.js';
import { InputError } from '../inputs/input-error.js';
import { withSecretSources } from '../inputs/secret-sources.js';
import { runMain } from '../engine/run.js';
import { EXIT } from '../engine/exit-codes.js';
import type { EngineIO } from './io.js';
import { memoryState } from '../drill/state.js';
import { fleetIndexCommand } from '../engine/fleet-index.js';
import { COMMANDS } from '../model/types.js';
import { TOOL_VERSION } from '../model/version.js';
import { helpText, parseCliArgs } from './cli-args.js';

const CLI_COMMANDS = [...COMMANDS, 'fleet-index'];

export async function cli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
): Promise<number> {
  // fleet-index parses its own flags (engine/fleet-index.ts).
  if (argv[0] === 'fleet-index') return fleetIndex(argv, env);
  const args = parseCliArgs(argv, CLI_COMMANDS);
  switch (args.kind) {
    case 'version':
      process.stdout.write(`${TOOL_VERSION}\n`);
      return EXIT.pass;
    case 'help':
      if (args.command === 'fleet-index') return fleetIndex(['fleet-index', '--help'], env);
      process.stdout.write(`${helpText(CLI_COMMANDS, args.command)}\n`);
      return EXIT.pass;
    case 'usage-error':
      process.stderr.write(`restore-proof: ${args.message}\nrestore-proof --help for usage\n`);
      return EXIT.input;
    case 'run':
      break;
  }
  if (args.command === 'fleet-index') return fleetIndex(argv, env);
  const logger = terminalLogger(env);
  let inputs: RawInputs;
  try {
    inputs = withSecretSources(args.inputs, env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    logger.error(error.message);
    return EXIT.input;
  }
  inputs.command = args.command ?? inputs.command ?? INPUT_DEFAULTS.command;

  const io: EngineIO = {
    inputs,
    env,
    logger,
    state: memoryState(),
    setOutput: (name, value) => process.stdout.write(`${name}=${value}\n`),
  };
  return runMain(io, { signal });
}

export const terminalLogger = (env: NodeJS.ProcessEnv): Logger =>
  streamLogger((line) => process.stderr.write(`${line}\n`), { debug: Boolean(env.RUNNER_DEBUG) });

/**
 * Process warnings (the AWS SDK's Node-version notice, pg's deprecations) as one warning line each through
 * the logger, instead of Node's multi-line print into the progress lines.
 */
export function routeProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  const seen = new Set<string>();
  process.on('warning', (warning) => {
    const line = warning.message.replace(/\s*\n\s*/g, ' ').trim();
    if (seen.has(line)) return;
    seen.add(line);
    logger.warning(`${warning.name === 'Warning' ? '' : `${warning.name}: `}${line}`);
  });
}

function fleetIndex(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  return fleetIndexCommand(argv, {
    env,
    logger: terminalLogger(env),
    print: (text) => process.stdout.write(`${text}\n`),
    summary: summaryFile ? (markdown) => appendFile(summaryFile, markdown) : undefined,
  });
}
