import type { Logger } from 'pino';
import type { StorageConfig } from '../config/storage-config.js';
import { NotFoundError } from '../errors.js';
import { MysqlTarget } from './mysql-target.js';
import { SqliteTarget } from './sqlite-target.js';

export type StorageTarget = MysqlTarget | SqliteTarget;

/** Every configured target, by name, in the order of the configuration file. */
export class StorageTargets {
  readonly #targets: Map<string, StorageTarget>;

  constructor(
    readonly config: StorageConfig,
    logger: Logger,
  ) {
    this.#targets = new Map(
      config.targets.map((t) => [
        t.name,
        t.dialect === 'mysql' ? new MysqlTarget(t, logger) : new SqliteTarget(t, logger),
      ]),
    );
  }

  list(): StorageTarget[] {
    return [...this.#targets.values()];
  }

  names(): string[] {
    return [...this.#targets.keys()];
  }

  get(name: string): StorageTarget {
    const target = this.#targets.get(name);
    if (!target) throw new NotFoundError('target', name);
    return target;
  }

  /** The target holding jobs, log lines and schedule runs. */
  control(): StorageTarget {
    return this.get(this.config.control);
  }

  /**
   * Connects to every target at once. Failures are recorded in each target's `state` and logged,
   * never thrown: an unreachable database must not stop the server.
   */
  async connectAll(logger: Logger): Promise<void> {
    await Promise.all(
      this.list().map(async (target) => {
        try {
          await target.connect();
        } catch (error) {
          logger.warn(
            { target: target.name, err: error },
            'storage target unreachable at start-up; it will be retried when used',
          );
        }
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.list().map((t) => t.close()));
  }
}
