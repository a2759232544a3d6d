import { existsSync, realpathSync } from 'node:fs';
import type { Logger } from 'pino';
import { z } from 'zod';
import { errorMessage } from '../errors.js';
import { COMPONENT_KINDS, type AnyComponent } from './component.js';
import { componentFiles, fingerprintTree, importFresh } from './module-loader.js';

export interface LoadedComponent {
  readonly component: AnyComponent;
  /** `builtin`, or the file it came from. */
  readonly source: string;
  readonly loadedAt: Date;
  /** The arguments schema as JSON Schema, for clients. */
  readonly argumentsJsonSchema: unknown;
}

export interface ComponentLoadFailure {
  readonly file: string;
  readonly error: string;
  readonly at: Date;
}

/** The components as of one load: a job resolves its steps against one snapshot and keeps it. */
export interface ComponentSnapshot {
  readonly generation: string;
  readonly components: ReadonlyMap<string, LoadedComponent>;
  readonly failures: readonly ComponentLoadFailure[];
}

export interface ReloadResult {
  snapshot: ComponentSnapshot;
  added: string[];
  removed: string[];
  changed: string[];
}

const componentShape = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier (letters, digits, _)'),
  kind: z.enum(COMPONENT_KINDS),
  description: z.string(),
  argumentsSchema: z.custom<z.ZodType>((v) => v instanceof z.ZodType, 'must be a zod schema'),
  run: z.custom<AnyComponent['run']>((v) => typeof v === 'function', 'must be a function'),
});

/**
 * The built-in components plus every module in the components folder. `reload()` re-imports the
 * folder when anything in it changed (files added, edited, removed, including helpers a component
 * imports); a module that fails to load is listed with its error and the rest still load.
 */
export class ComponentRegistry {
  #snapshot: ComponentSnapshot;
  readonly #dir: string | null;
  #reloading: Promise<ReloadResult> | undefined;

  constructor(
    private readonly builtins: readonly AnyComponent[],
    dir: string | null,
    private readonly logger: Logger,
  ) {
    this.#dir = dir !== null && existsSync(dir) ? realpathSync(dir) : null;
    if (dir !== null && this.#dir === null)
      logger.warn({ dir }, 'components folder does not exist; only built-in components are loaded');
    this.#snapshot = {
      generation: 'builtin',
      components: this.#builtinMap(new Date()),
      failures: [],
    };
  }

  get dir(): string | null {
    return this.#dir;
  }

  snapshot(): ComponentSnapshot {
    return this.#snapshot;
  }

  /** Loads the folder again if it changed. Concurrent calls share one reload. */
  reload(): Promise<ReloadResult> {
    this.#reloading ??= this.#reload().finally(() => {
      this.#reloading = undefined;
    });
    return this.#reloading;
  }

  async #reload(): Promise<ReloadResult> {
    const previous = this.#snapshot;
    const generation = this.#dir ? fingerprintTree(this.#dir) : 'builtin';
    if (generation === previous.generation)
      return { snapshot: previous, added: [], removed: [], changed: [] };

    const now = new Date();
    const components = this.#builtinMap(now);
    const failures: ComponentLoadFailure[] = [];
    for (const file of this.#dir ? componentFiles(this.#dir) : []) {
      try {
        const exports = await importFresh(file, this.#dir!, generation);
        const found = componentsIn(exports, file);
        if (found.length === 0)
          throw new Error(
            'the module exports no component (export default a component, or an array of them)',
          );
        for (const component of found) {
          const clash = components.get(component.name);
          if (clash)
            throw new Error(
              `component name "${component.name}" is already used by ${clash.source}`,
            );
          components.set(component.name, describe(component, file, now));
        }
      } catch (error) {
        failures.push({ file, error: errorMessage(error), at: now });
        this.logger.error({ file, error: errorMessage(error) }, 'component module failed to load');
      }
    }
    const snapshot: ComponentSnapshot = { generation, components, failures };
    this.#snapshot = snapshot;
    const result = { snapshot, ...diff(previous, snapshot) };
    this.logger.info(
      {
        generation,
        components: components.size,
        failures: failures.length,
        added: result.added,
        removed: result.removed,
        changed: result.changed,
      },
      'components loaded',
    );
    return result;
  }

  #builtinMap(now: Date): Map<string, LoadedComponent> {
    return new Map(this.builtins.map((c) => [c.name, describe(c, 'builtin', now)]));
  }
}

function componentsIn(exports: Record<string, unknown>, file: string): AnyComponent[] {
  const candidates = Object.entries(exports).flatMap(([key, value]) =>
    Array.isArray(value)
      ? value.map((v, i) => [`${key}[${i}]`, v] as const)
      : [[key, value] as const],
  );
  const found: AnyComponent[] = [];
  for (const [key, value] of candidates) {
    if (value === null || typeof value !== 'object' || !('kind' in value) || !('run' in value))
      continue;
    const parsed = componentShape.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(
        `export ${key} of ${file} is not a valid component: ${issue.path.join('.')} ${issue.message}`,
      );
    }
    found.push(value as AnyComponent);
  }
  return found;
}

function describe(component: AnyComponent, source: string, loadedAt: Date): LoadedComponent {
  let argumentsJsonSchema: unknown;
  try {
    argumentsJsonSchema = z.toJSONSchema(component.argumentsSchema, { unrepresentable: 'any' });
  } catch {
    argumentsJsonSchema = {};
  }
  return { component, source, loadedAt, argumentsJsonSchema };
}

function diff(
  before: ComponentSnapshot,
  after: ComponentSnapshot,
): { added: string[]; removed: string[]; changed: string[] } {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [name, loaded] of after.components) {
    const old = before.components.get(name);
    if (!old) added.push(name);
    else if (old.component !== loaded.component) changed.push(name);
  }
  const removed = [...before.components.keys()].filter((name) => !after.components.has(name));
  return { added, removed, changed };
}
