import { tableSizes, type TableSize, type TargetTableSizes } from '../../storage/table-sizes.js';
import type { StorageTarget } from '../../storage/targets.js';
import { builder } from '../builder.js';

/** How long the listing waits for one database before reporting it unreachable. */
const TARGET_TIMEOUT_MS = 3000;

const StorageDialectEnum = builder.enumType('StorageDialect', {
  values: { MYSQL: { value: 'mysql' }, SQLITE: { value: 'sqlite' } } as const,
});

const TableSizeRef = builder.objectRef<TableSize>('TableSize').implement({
  description: 'One table of a target. Numbers are Float because they may pass 2^31.',
  fields: (t) => ({
    table: t.exposeString('table'),
    rows: t.exposeFloat('rows'),
    rowsExact: t.exposeBoolean('rowsExact', {
      description: 'False for MySQL, whose row count is InnoDB’s estimate.',
    }),
    dataBytes: t.exposeFloat('dataBytes'),
    indexBytes: t.exposeFloat('indexBytes'),
    totalBytes: t.exposeFloat('totalBytes'),
  }),
});

interface TargetView extends TargetTableSizes {
  isControl: boolean;
}

export const StorageTargetRef = builder.objectRef<TargetView>('StorageTarget').implement({
  description:
    'A configured database, asked just now whether it answers and how big its tables are. Never shows a password.',
  fields: (t) => ({
    name: t.exposeString('target'),
    dialect: t.expose('dialect', { type: StorageDialectEnum }),
    location: t.exposeString('location', {
      description: 'Where it is (user, host, port and database, or the file), for humans.',
    }),
    isControl: t.exposeBoolean('isControl', {
      description: 'Whether it holds jobs, logs and schedule runs.',
    }),
    reachable: t.exposeBoolean('reachable'),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why it is unreachable, or why its sizes could not be read.',
    }),
    checkedAt: t.expose('checkedAt', { type: 'DateTime' }),
    tables: t.field({ type: [TableSizeRef], resolve: (view) => view.tables }),
  }),
});

/** `tableSizes`, but a database that does not answer in time is reported as such instead of holding up the listing. */
async function describeTarget(target: StorageTarget, isControl: boolean): Promise<TargetView> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<TargetTableSizes>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          target: target.name,
          dialect: target.dialect,
          location: target.describe(),
          reachable: false,
          error: `no answer within ${TARGET_TIMEOUT_MS / 1000} s`,
          checkedAt: new Date(),
          tables: [],
        }),
      TARGET_TIMEOUT_MS,
    );
  });
  try {
    return { ...(await Promise.race([tableSizes(target), timeout])), isControl };
  } finally {
    clearTimeout(timer);
  }
}

builder.queryFields((t) => ({
  storageTargets: t.field({
    type: [StorageTargetRef],
    description: 'Every configured storage target, in the order of the configuration.',
    resolve: (_root, _args, { app }) => {
      const control = app.targets.control().name;
      return Promise.all(
        app.targets.list().map((target) => describeTarget(target, target.name === control)),
      );
    },
  }),
}));
