import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';

/**
 * Two server processes on one SQLite file would each recover the other's jobs at start-up (fail
 * its running ones, queue its waiting ones twice): SQLite's own locks only keep single statements
 * apart. So a process holds `<file>.lock` for as long as it has the file open. The lock names its
 * holder; one left by a process that died (SIGKILL, a crash) is taken over, because the holder's
 * pid no longer answers on this host.
 */
export class SqliteFileInUseError extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${file} is in use by process ${holder.pid} on ${holder.host} (lock file ${lockPathOf(file)}, since ${holder.since}): a second server process on one SQLite control file would corrupt the first one's jobs; stop the other process, or run several processes on a MySQL/MariaDB control target with "cluster" in server.json`,
    );
  }
}

const lockHolderSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string().min(1),
  since: z.string(),
});
export type LockHolder = z.infer<typeof lockHolderSchema>;

export const lockPathOf = (file: string): string => `${file}.lock`;

/** The lock on one file, held until `release`. */
export interface SqliteFileLock {
  release(): void;
}

/** Takes the lock or throws SqliteFileInUseError naming the process that holds it. */
export function lockSqliteFile(file: string): SqliteFileLock {
  const path = lockPathOf(file);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  // Two tries: the second after removing a lock whose holder is gone.
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      return { release: () => releaseIfMine(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    // The same process opening its own file again (tests restart an app in one process).
    if (holder && holder.pid === me.pid && holder.host === me.host)
      return { release: () => undefined };
    if (holder && isAlive(holder)) throw new SqliteFileInUseError(file, holder);
    rmSync(path, { force: true });
  }
  throw new Error(`${path}: could not take the lock (another process keeps taking it)`);
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = lockHolderSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Unreadable or half written: a holder that died while writing it; it is taken over.
    return undefined;
  }
}

/** Only a pid on this host can be checked; a lock from another host is assumed held. */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfMine(path: string): void {
  const holder = readHolder(path);
  if (holder && holder.pid === process.pid && holder.host === hostname())
    rmSync(path, { force: true });
}
