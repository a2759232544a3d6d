import { ConflictError } from '../../errors.js';
import type { BaoStockEndpoints } from './endpoints.js';
import { BaoStockSessionPool, type SessionPoolOptions } from './session-pool.js';

/**
 * One session pool per configured BaoStock endpoint, made the first time a job asks for it (a
 * server that never fetches market data opens no connection), and closed at shutdown. Jobs name
 * an endpoint (or get the default) and reach nothing else, as with BaoStockEndpoints.
 */
export class BaoStockSources {
  readonly #pools = new Map<string, BaoStockSessionPool>();
  #closed = false;

  constructor(
    readonly endpoints: BaoStockEndpoints,
    private readonly options: SessionPoolOptions = {},
  ) {}

  /** The pool of that endpoint (the default one when no name is given). */
  pool(name?: string): BaoStockSessionPool {
    if (this.#closed) throw new ConflictError('BaoStock sources are closed (shutting down)');
    const endpoint = this.endpoints.get(name);
    let pool = this.#pools.get(endpoint.name);
    if (!pool) {
      pool = new BaoStockSessionPool(endpoint, this.options);
      this.#pools.set(endpoint.name, pool);
    }
    return pool;
  }

  /** Pools made so far (for health and stats). */
  openPools(): BaoStockSessionPool[] {
    return [...this.#pools.values()];
  }

  /** Closes every pool (each logs its sessions out); later `pool()` calls throw. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
  }
}
