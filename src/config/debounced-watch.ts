import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface DebouncedWatchOptions {
  /** Watch a folder with everything under it (a single file is always watched through its folder). */
  recursive?: boolean;
  /** Calls after the last change of a burst: editors and `git checkout` write in several steps. */
  settleMs?: number;
  /** The watch broke (e.g. its folder was removed); it is closed, and this says so. */
  onError?: (error: Error) => void;
}

/**
 * Calls `onSettled` once a burst of changes to `path` has settled. A file is watched through its
 * folder, filtered by name: editors save by writing a new file and renaming it over the old one,
 * and a watch on the old file would see nothing after the first save. Throws what `fs.watch` throws
 * (e.g. a folder that does not exist); the caller says what to do instead.
 */
export function watchDebounced(
  path: string,
  kind: 'file' | 'folder',
  onSettled: () => void,
  options: DebouncedWatchOptions = {},
): { close(): void } {
  const settleMs = options.settleMs ?? 200;
  const name = kind === 'file' ? basename(path) : null;
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(
    kind === 'file' ? dirname(path) : path,
    { recursive: options.recursive ?? false },
    (_event, changed) => {
      // Some platforms do not say which file changed; then it may have been ours.
      if (name !== null && changed !== null && changed !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onSettled, settleMs);
    },
  );
  // A watched folder that goes away must not crash the server.
  watcher.on('error', (error) => {
    watcher.close();
    options.onError?.(error);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
