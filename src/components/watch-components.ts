import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import type { ComponentRegistry } from './registry.js';

/**
 * Reloads the components when a file under their folder changes. Editors and `git checkout`
 * write several files in a burst; one reload after the burst settles is enough (the registry
 * skips it anyway when nothing really changed).
 */
export function watchComponents(
  registry: ComponentRegistry,
  dir: string,
  logger: Logger,
  settleMs = 300,
): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        registry
          .reload()
          .catch((error: unknown) =>
            logger.error({ error: errorMessage(error) }, 'reloading components failed'),
          );
      }, settleMs);
    });
  } catch (error) {
    logger.warn(
      { dir, error: errorMessage(error) },
      'cannot watch the components folder; use the reloadComponents mutation',
    );
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
