import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { expandEnvVars } from './env-vars.js';
import { parseConfig, readJsonFile } from './read-json-file.js';
import { Secret } from './secret.js';

// Ports and limits may come from `${VAR}`, which always yields a string.
export const integer = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/).transform(Number)], {
      error: 'must be a whole number (or a string of digits)',
    })
    .pipe(
      z
        .number()
        .int('must be a whole number')
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

const poolSchema = z.strictObject({
  connectionLimit: integer(1, 1000).default(4),
  connectTimeoutMs: integer(100, 600_000).default(10_000),
  /** Longest a single statement may take before the write is abandoned (and retried if transient). */
  queryTimeoutMs: integer(100, 3_600_000).default(120_000),
});

const mysqlTargetSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: integer(1, 65_535).default(3306),
  user: z.string().min(1),
  password: z.string().default(''),
  database: z.string().regex(/^[A-Za-z0-9_$]{1,64}$/, 'must be 1 to 64 letters, digits, _ or $'),
  charset: z.string().default('utf8mb4'),
  /** Accepted for compatibility with the original system's files (a PyMySQL setting); ignored. */
  cursorClass: z.string().optional(),
  /** Create the database at start-up when it does not exist (the user needs the CREATE privilege). */
  createDatabase: z.boolean().default(true),
  pool: poolSchema.default(poolSchema.parse({})),
  /**
   * How large writes go: `auto` through LOAD DATA LOCAL INFILE when the server allows it
   * (`@@local_infile`), else multi-row statements; `on` only LOAD DATA (a server refusing it fails
   * the write); `off` only statements.
   */
  bulkLoad: z
    .enum(['auto', 'off', 'on'], { error: 'must be "auto", "off" or "on"' })
    .default('auto'),
});

const sqliteTargetSchema = z.strictObject({
  /** Path of the database file, relative to the config folder; `:memory:` for a throwaway one. */
  file: z.string().min(1),
});

const targetName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    'must start with a letter and hold only letters, digits, _ or -',
  );

export const storageConfigSchema = z
  .strictObject({
    /** The target that holds jobs, log lines and schedule runs. */
    control: z.string().optional(),
    mysql: z.record(targetName, mysqlTargetSchema).default({}),
    sqlite: z.record(targetName, sqliteTargetSchema).default({}),
  })
  .superRefine((config, ctx) => {
    for (const name of Object.keys(config.mysql)) {
      if (name in config.sqlite)
        ctx.addIssue({
          code: 'custom',
          path: ['sqlite', name],
          message: `target name "${name}" is also used under "mysql"`,
        });
    }
    const names = [...Object.keys(config.mysql), ...Object.keys(config.sqlite)];
    if (names.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'no storage targets: add at least one under "mysql" or "sqlite"',
      });
    if (config.control !== undefined && !names.includes(config.control)) {
      ctx.addIssue({
        code: 'custom',
        path: ['control'],
        message: `names no configured target (known: ${names.join(', ')})`,
      });
    }
  });

export interface MysqlTargetConfig {
  dialect: 'mysql';
  name: string;
  host: string;
  port: number;
  user: string;
  password: Secret;
  database: string;
  charset: string;
  createDatabase: boolean;
  pool: z.output<typeof poolSchema>;
  bulkLoad: BulkLoadMode;
}

export type BulkLoadMode = 'auto' | 'off' | 'on';

export interface SqliteTargetConfig {
  dialect: 'sqlite';
  name: string;
  /** Absolute path, or `:memory:`. */
  file: string;
}

export type TargetConfig = MysqlTargetConfig | SqliteTargetConfig;

export interface StorageConfig {
  file: string;
  /** Name of the target holding the job store. */
  control: string;
  targets: TargetConfig[];
}

/**
 * Loads `storage.json`: the original system's `{ mysql: {...}, sqlite: {...} }` shape, `${VAR}`
 * read from the environment, passwords wrapped so they can never be printed.
 */
export function loadStorageConfig(configDir: string, env: NodeJS.ProcessEnv): StorageConfig {
  const file = join(configDir, 'storage.json');
  if (!existsSync(file))
    throw new ConfigError(`${file}: the storage configuration file is missing`);
  const parsed = parseConfig(
    file,
    storageConfigSchema,
    expandEnvVars(readJsonFile(file), env, file),
  );
  const targets: TargetConfig[] = [
    ...Object.entries(parsed.mysql).map(([name, t]): MysqlTargetConfig => ({
      dialect: 'mysql',
      name,
      host: t.host,
      port: t.port,
      user: t.user,
      password: new Secret(t.password),
      database: t.database,
      charset: t.charset,
      createDatabase: t.createDatabase,
      pool: t.pool,
      bulkLoad: t.bulkLoad,
    })),
    ...Object.entries(parsed.sqlite).map(([name, t]): SqliteTargetConfig => ({
      dialect: 'sqlite',
      name,
      file: t.file === ':memory:' || isAbsolute(t.file) ? t.file : resolve(configDir, t.file),
    })),
  ];
  const control =
    parsed.control ?? targets.find((t) => t.dialect === 'sqlite')?.name ?? targets[0]!.name;
  return { file, control, targets };
}
