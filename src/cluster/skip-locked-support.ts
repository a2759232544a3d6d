import { AppError } from '../errors.js';

/** The control database cannot run the cluster: it lacks `FOR UPDATE SKIP LOCKED`. */
export class ClusterUnsupportedError extends AppError {
  readonly code = 'CLUSTER_UNSUPPORTED';
}

export interface ServerVersion {
  flavor: 'MariaDB' | 'MySQL';
  major: number;
  minor: number;
}

/** `SELECT VERSION()`: "10.11.19-MariaDB-0+deb12u1", "8.0.36", "5.7.44-log". */
export function parseServerVersion(text: string): ServerVersion {
  const match = /^(\d+)\.(\d+)/.exec(text.trim());
  if (!match)
    throw new ClusterUnsupportedError(
      `the control database reports version ${JSON.stringify(text)}, which is not a MySQL or MariaDB version number`,
    );
  return {
    flavor: /mariadb/i.test(text) ? 'MariaDB' : 'MySQL',
    major: Number(match[1]),
    minor: Number(match[2]),
  };
}

/**
 * Claiming without SKIP LOCKED would make every process wait on the rows another is claiming (or,
 * without FOR UPDATE, run a job twice), so an older server is refused at start-up: MariaDB has it
 * from 10.6, MySQL from 8.0.
 */
export function assertSkipLocked(versionText: string): ServerVersion {
  const version = parseServerVersion(versionText);
  const [major, minor] = version.flavor === 'MariaDB' ? [10, 6] : [8, 0];
  const supported = version.major > major || (version.major === major && version.minor >= minor);
  if (!supported)
    throw new ClusterUnsupportedError(
      `cluster mode needs SELECT … FOR UPDATE SKIP LOCKED, which ${version.flavor} has from ${major}.${minor}; the control database is ${version.flavor} ${versionText}`,
    );
  return version;
}
