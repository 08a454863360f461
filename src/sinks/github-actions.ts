/**
 * The report's GitHub Actions face: outputs, job summary and annotations, all rendered from the
 * report model. `core` is @actions/core (or a fake in tests).
 */
import { resolve } from 'node:path';
import { annotationsFor, renderJobSummary, reportOutputs } from '../report/render/summary.js';
import { repositoryPath, type WrittenReport } from './report-files.js';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

/** The slice of @actions/core this needs. */
export interface ActionsCore {
  setOutput(name: string, value: string): void;
  error(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  summary: { addRaw(text: string, addEOL?: boolean): unknown; write(): Promise<unknown> };
}

export async function publishToActions(input: {
  written: WrittenReport;
  core: ActionsCore;
  env: Record<string, string | undefined>;
}): Promise<void> {
  const { written, core, env } = input;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const inRepo = (p: string): string => repositoryPath(resolve(p), workspace) ?? p;
  const paths = { markdownPath: inRepo(written.markdownPath), jsonPath: inRepo(written.jsonPath) };

  for (const [name, value] of Object.entries(reportOutputs(written.report, paths)))
    core.setOutput(name, value);

  for (const a of annotationsFor(written.report, { path: paths.markdownPath, text: written.markdown })) {
    const properties: AnnotationProperties = { title: a.title };
    if (a.file) properties.file = a.file;
    if (a.startLine) properties.startLine = a.startLine;
    core[a.level](a.message, properties);
  }

  if (env.GITHUB_STEP_SUMMARY) {
    core.summary.addRaw(renderJobSummary(written.report, paths));
    await core.summary.write();
  }
}
