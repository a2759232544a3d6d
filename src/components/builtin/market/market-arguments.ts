import { z } from 'zod';
import { ValidationError, type Problem } from '../../../errors.js';
import type { StorageTarget } from '../../../storage/targets.js';
import type { ArgumentCheckEnvironment, ComponentServices } from '../../component.js';

/** BaoStock's codes: exchange, a dot, six digits (`sh.600000`, `sz.000001`, `bj.430047`). */
export const securityCode = z
  .string()
  .regex(/^(sh|sz|bj)\.\d{6}$/, 'must be a BaoStock code such as "sh.600000"');

export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(d).toISOString().startsWith(d),
    {
      message: 'must be a day that exists',
    },
  );

/** The endpoint a producer asks (conf/sources.json; the default one when absent). */
export const endpointArgument = z.string().min(1).optional();

/** The targets a storager writes (all configured ones by default). */
export const targetsArgument = z.array(z.string().min(1)).min(1).optional();

export function checkEndpoint(
  endpoint: string | undefined,
  environment: ArgumentCheckEnvironment,
): Problem[] {
  if (endpoint === undefined || environment.baostockEndpoints.includes(endpoint)) return [];
  return [
    {
      path: 'endpoint',
      message: `no BaoStock endpoint is named "${endpoint}" in sources.json (configured: ${environment.baostockEndpoints.join(', ')})`,
    },
  ];
}

export function checkTargets(
  targets: readonly string[] | undefined,
  environment: ArgumentCheckEnvironment,
): Problem[] {
  return (targets ?? []).flatMap((name, i) =>
    environment.targets.includes(name)
      ? []
      : [
          {
            path: `targets.${i}`,
            message: `no storage target is named "${name}" (configured: ${environment.targets.join(', ')})`,
          },
        ],
  );
}

export function targetsOf(
  names: readonly string[] | undefined,
  services: ComponentServices,
): StorageTarget[] {
  return (names ?? services.targets.names()).map((name) => services.targets.get(name));
}

/**
 * The days a producer fetches: `from`/`to` when given, else the job's partition. A job with
 * neither has nothing to fetch: that is the caller's mistake, said as such.
 */
export function fetchRange(
  args: { from?: string | undefined; to?: string | undefined },
  partition: string | null,
): { from: string; to: string } {
  const from = args.from ?? partition;
  const to = args.to ?? partition;
  if (from === null || to === null)
    throw new ValidationError(
      'no day to fetch: give "from" and "to", or run the job for a partition (a partitioned schedule, backfill, or submitJob(partition:))',
    );
  if (from > to) throw new ValidationError(`from (${from}) is after to (${to})`);
  return { from, to };
}
