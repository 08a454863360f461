/**
 * Runs the built action the way the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT and GITHUB_STATE
 * files for main, then the post step with the saved state as STATE_* variables. The action is the bundle of
 * the current src/ that the e2e project's globalSetup (e2e-bundle.mjs) builds, not the committed dist/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname ?? '.', '../..');
/** Where e2e-bundle.mjs puts the bundles: <BUNDLES>/<main|post|cli>/index.js. */
export const BUNDLES = join(ROOT, 'node_modules', '.cache', 'restore-proof-e2e');

export interface StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Milliseconds from spawn to exit. */
  ms: number;
}

/** Parses the runner's file commands (name=value lines and name<<DELIM heredocs). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^<=]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      out[name!] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      out[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return out;
}

export interface StepOptions {
  inputs?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** For post: the state main saved. */
  state?: Record<string, string>;
  /** The step's working directory; default a fresh one, removed when the step ends. */
  workdir?: string;
  /** Called once the process is running, e.g. to send it signals. */
  onSpawn?: (child: ChildProcess, files: { state: string; output: string }) => void;
}

export function runStep(entry: 'main' | 'post', options: StepOptions = {}): Promise<StepResult> {
  const dir = options.workdir ?? mkdtempSync(join(tmpdir(), 'restore-proof-runner-'));
  const removeDir = (): void => {
    if (!options.workdir) rmSync(dir, { recursive: true, force: true });
  };
  const files = {
    output: join(dir, `${entry}-output`),
    state: join(dir, `${entry}-state`),
    summary: join(dir, `${entry}-summary`),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // The test run's own temp dir (test/support/run-tmpdir.mjs), so what the action leaves there is seen.
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ACTIONS: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    env[`INPUT_${name.toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  const started = Date.now();
  const child = spawn(process.execPath, [join(BUNDLES, entry, 'index.js')], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  options.onSpawn?.(child, files);
  return new Promise((resolvePromise) => {
    child.on('close', (code, signal) => {
      const result: StepResult = {
        code,
        signal,
        stdout,
        stderr,
        outputs: parseFileCommands(readFileSync(files.output, 'utf8')),
        state: parseFileCommands(readFileSync(files.state, 'utf8')),
        summary: readFileSync(files.summary, 'utf8'),
        ms: Date.now() - started,
      };
      removeDir();
      resolvePromise(result);
    });
  });
}
