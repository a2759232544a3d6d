/**
 * Several real server processes on one fresh MariaDB control database and the real Redis, for
 * the cluster tests: their config folder, their start (in parallel), and SQL on the database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { createTestDatabase, mysqlTestServer } from '../support/mysql.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { writeTestConfig } from '../support/test-app.js';
import { gql } from '../graphql/support.js';

export const CLUSTER_COMPONENTS_DIR = fileURLToPath(new URL('./components', import.meta.url));
export const REDIS_URL = process.env.FDA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestCluster {
  dir: string;
  database: string;
  processes: ServerProcess[];
  /** The control database, for checks and the test's own table. */
  db: mysql.Pool;
  /** Starts one more process on the same database. */
  add(): Promise<ServerProcess>;
  destroy(): Promise<void>;
}

export async function startTestCluster(
  count: number,
  server: Record<string, unknown> = {},
): Promise<TestCluster> {
  const database = await createTestDatabase('cluster');
  const dir = mkdtempSync(join(tmpdir(), 'fda-cluster-'));
  const s = mysqlTestServer();
  writeTestConfig(dir, {
    server: {
      componentsDir: CLUSTER_COMPONENTS_DIR,
      maxConcurrentJobs: 4,
      cluster: { redis: REDIS_URL, heartbeatSeconds: 1, deadAfterSeconds: 3 },
      ...server,
    },
    storage: {
      mysql: {
        control: {
          host: s.host,
          port: s.port,
          user: s.user,
          password: s.password,
          database: database.name,
        },
      },
      control: 'control',
    },
  });
  const db = mysql.createPool({ ...s, database: database.name, connectionLimit: 2 });
  const processes: ServerProcess[] = [];
  const add = async () => {
    const started = await startServerProcess(dir);
    processes.push(started);
    return started;
  };
  try {
    // The first one alone creates the database's tables; the others find them migrated.
    await add();
    await Promise.all(Array.from({ length: count - 1 }, add));
    await db.query('CREATE TABLE cluster_runs (job_id VARCHAR(26) PRIMARY KEY, pid INT NOT NULL)');
  } catch (error) {
    await Promise.all(processes.map((p) => p.stop()));
    await db.end();
    await database.drop();
    throw error;
  }
  return {
    dir,
    database: database.name,
    processes,
    db,
    add,
    async destroy() {
      await Promise.all(processes.map((p) => p.stop()));
      await db.end();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Step = { name: string; componentClassName: string; componentArguments?: unknown };

/** Submits a one-step job over GraphQL; returns its id. */
export async function submitStep(url: string, step: Step): Promise<string> {
  const answer = await gql<{ submitJob: { __typename: string; id?: string; message?: string } }>(
    url,
    `mutation ($input: SubmitJobInput!) { submitJob(input: $input) { __typename ... on Job { id } ... on Error { message } } }`,
    { input: { steps: [step] } },
  );
  if (!answer.submitJob.id) throw new Error(`not submitted: ${JSON.stringify(answer.submitJob)}`);
  return answer.submitJob.id;
}

export async function rows<T>(db: mysql.Pool, query: string, values: unknown[] = []): Promise<T[]> {
  const [result] = await db.query(query, values);
  return result as T[];
}
