import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let hooksRegistered = false;

/**
 * Installs the resolution hooks once per process. Hooks are process-wide by nature (node has one
 * module loader), so this is the one piece of process state the registry keeps.
 */
function ensureReloadHooks(): void {
  if (hooksRegistered) return;
  register('./reload-hooks.mjs', import.meta.url);
  hooksRegistered = true;
}

/** A fingerprint of every file under `root`: it changes when any file is added, removed or edited. */
export function fingerprintTree(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        hash.update(full).update('\0').update(readFileSync(full)).update('\0');
      }
    }
  };
  walk(root);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Imports `file` (inside `root`) as of `generation`: the same generation returns the cached
 * module, a new one re-evaluates the file and everything it imports from `root`.
 */
export async function importFresh(
  file: string,
  root: string,
  generation: string,
): Promise<Record<string, unknown>> {
  ensureReloadHooks();
  const url = pathToFileURL(file);
  url.searchParams.set('fda-gen', generation);
  url.searchParams.set('fda-root', root);
  return (await import(url.href)) as Record<string, unknown>;
}

/** Component module files: the files directly in `root` (sub-folders hold their helpers). */
export function componentFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter(
      (e) =>
        e.isFile() &&
        /\.(ts|mts|js|mjs)$/.test(e.name) &&
        !e.name.endsWith('.d.ts') &&
        !e.name.startsWith('.'),
    )
    .map((e) => join(root, e.name))
    .filter((f) => statSync(f).size > 0)
    .sort();
}
