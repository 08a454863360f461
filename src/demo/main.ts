/**
 * `npm run demo`: parses a few flags, runs the demo, and turns Ctrl-C into a cancellation that still
 * cleans up (a second Ctrl-C only reminds that cleanup is running).
 *
 *   --out DIR          keep a copy of the signed report and index in DIR
 *   --rows-scale N     dataset size factor (1 = about 330,000 rows)
 *   --write-seconds N  seconds of writes before the target time (default 3)
 *   --quiet            progress lines only, not the engine's log
 */
import { DEMO_SIZE } from './dataset.js';
import { DemoSetupError, runDemo, type DemoOptions } from './run-demo.js';

export const USAGE = 'usage: npm run demo -- [--out DIR] [--rows-scale N] [--write-seconds N] [--quiet]';

export function parseDemoArgs(argv: string[]): DemoOptions & { help?: boolean } {
  const options: DemoOptions & { help?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const number = (): number => {
      const v = Number(value());
      if (!(v > 0)) throw new Error(`${flag} accepts a positive number`);
      return v;
    };
    if (flag === '--out') options.keepReportsIn = value();
    else if (flag === '--write-seconds') options.writeSeconds = number();
    else if (flag === '--rows-scale') {
      const scale = number();
      options.size = { ...DEMO_SIZE, patients: Math.max(10, Math.round(DEMO_SIZE.patients * scale)) };
    } else if (flag === '--quiet') options.showEngine = false;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new Error(`unknown flag ${flag} (try --help)`);
  }
  return options;
}

/** Runs the demo as a command; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  let options: DemoOptions & { help?: boolean };
  try {
    options = parseDemoArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: string): void => {
    interrupts++;
    if (interrupts === 1) {
      console.error(`\n${name}: stopping the demo and cleaning up (servers and directories)...`);
      controller.abort(new Error(`interrupted (${name})`));
    } else console.error(`${name}: still cleaning up; it takes a few seconds`);
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const result = await runDemo({ ...options, signal: controller.signal });
    console.log(
      result.exitCode === 0
        ? `restore-proof demo: the backup restored, and the proof checks out (${result.seconds.toFixed(1)}s).`
        : `restore-proof demo: FAILED (drill exit ${result.drillExitCode}, verify-reports exit ${result.verifyExitCode}).`,
    );
    if (!options.keepReportsIn)
      console.log('Keep the signed report next time with: npm run demo -- --out ./demo-evidence');
    return interrupts > 0 ? 130 : result.exitCode;
  } catch (error) {
    if (error instanceof DemoSetupError) {
      console.error(`restore-proof demo needs PostgreSQL on this machine: ${error.message}`);
      console.error('  macOS: brew install postgresql@16   (then put its bin directory on PATH)');
      return 1;
    }
    console.error(`restore-proof demo failed: ${(error as Error).message}`);
    return interrupts > 0 ? 130 : 1;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
