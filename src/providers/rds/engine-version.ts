/**
 * What a snapshot restores as: the snapshot's own engine version (RDS does not upgrade a major version
 * on restore), and a parameter group of that version's family. The source's group fits only when the
 * snapshot was taken on the source's current major version; otherwise RDS's default for the snapshot's
 * version is used (the group's family is its engine and major version, e.g. aurora-postgresql15).
 */
import type { Logger } from '../../log/logger.js';

/** The major version of a PostgreSQL engine version: '15' for 15.4, '9.6' for 9.6.22. */
export function majorVersion(version: string): string {
  const [first, second] = version.split('.');
  return Number(first) < 10 && second !== undefined ? `${first}.${second}` : first!;
}

export interface SnapshotEngine {
  /** The engine version to restore with (the snapshot's, else the source's). */
  engineVersion?: string;
  /** The parameter group to restore with; undefined for RDS's default of the engine version. */
  parameterGroup?: string;
}

/** The engine version and parameter group for restoring a snapshot taken on `snapshotVersion`. */
export function snapshotEngine(
  snapshotVersion: string | undefined,
  source: { engineVersion?: string; parameterGroup?: string },
  logger: Logger,
): SnapshotEngine {
  const engineVersion = snapshotVersion ?? source.engineVersion;
  const group = source.parameterGroup;
  if (!engineVersion || !source.engineVersion || !group) return { engineVersion, parameterGroup: group };
  if (majorVersion(engineVersion) === majorVersion(source.engineVersion)) {
    return { engineVersion, parameterGroup: group };
  }
  logger.info(
    `the snapshot was taken on engine version ${engineVersion}, the source now runs ${source.engineVersion}: restoring with ${engineVersion} and its default parameter group (${group} is for ${majorVersion(source.engineVersion)})`,
  );
  return { engineVersion, parameterGroup: undefined };
}
