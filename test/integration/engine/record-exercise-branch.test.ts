/** record-exercise with report-branch: the record chains onto the branch's last document and lands there. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from '../../../src/engine/run.js';
import { sha256Hex } from '../../../src/report/canonical.js';
import { TABLETOP_YAML } from '../../fixtures/report/sample-year.js';
import { GitHubStandIn, oid } from '../../support/github-standin.js';
import { memoryIO } from '../../support/memory-io.js';
import { testKey, workspace } from '../../support/report-keys.js';

const DRILL = '2026-06-01T030000Z-weekly-omnirapeutic-production.json';

test('the exercise record is committed to report-branch, linked to the branch head’s last report', async () => {
  const api = new GitHubStandIn();
  const apiUrl = await api.start();
  try {
    api.refs.set('evidence', oid('evidence head'));
    api.trees.set(oid('evidence head'), { [`docs/tests/${DRILL}`]: '{"drill":"on the branch"}\n' });
    const { root, dir } = workspace();
    const exerciseFile = join(root, 'tabletop.yml');
    writeFileSync(exerciseFile, TABLETOP_YAML);
    const mainHead = api.head;
    const io = memoryIO(
      {
        command: 'record-exercise',
        'exercise-file': exerciseFile,
        'report-dir': dir,
        'signing-key': testKey,
        'commit-report': 'true',
        'report-branch': 'evidence',
        'github-token': 'test-token',
      },
      {
        env: {
          GITHUB_WORKSPACE: root,
          GITHUB_REPOSITORY: 'omnirapeutic/platform',
          GITHUB_REF: 'refs/heads/main',
          GITHUB_SHA: mainHead,
          GITHUB_GRAPHQL_URL: apiUrl,
        },
      },
    );
    expect(await runMain(io, { now: () => new Date('2026-06-15T10:00:00Z') })).toBe(0);
    const commit = api.commits[0]!;
    expect(commit).toMatchObject({ branch: 'evidence', parent: oid('evidence head') });
    expect(api.head).toBe(mainHead);
    expect(io.outputs['commit-sha']).toBe(commit.oid);
    const record = JSON.parse(commit.files['docs/tests/2026-06-15T100000Z-exercise-tabletop.json']!) as {
      previous: { file: string; sha256: string };
    };
    expect(record.previous).toEqual({
      file: DRILL,
      sha256: sha256Hex(Buffer.from('{"drill":"on the branch"}\n')),
    });
  } finally {
    await api.stop();
  }
});
