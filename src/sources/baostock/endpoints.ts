import { NotFoundError } from '../../errors.js';
import type { BaoStockEndpoint } from './endpoint.js';

/**
 * The BaoStock endpoints the configuration names, as components see them: a job chooses one by
 * name (or gets the default) and can reach nothing else.
 */
export class BaoStockEndpoints {
  readonly #byName: ReadonlyMap<string, BaoStockEndpoint>;

  constructor(
    endpoints: readonly BaoStockEndpoint[],
    readonly defaultName: string,
  ) {
    this.#byName = new Map(endpoints.map((e) => [e.name, e]));
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }

  /** The endpoint of that name (the default when none is given). */
  get(name?: string): BaoStockEndpoint {
    const endpoint = this.#byName.get(name ?? this.defaultName);
    if (!endpoint) throw new NotFoundError('source', name ?? this.defaultName);
    return endpoint;
  }
}
