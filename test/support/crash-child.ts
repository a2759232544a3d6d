/**
 * A server process for crash tests: starts the app on FDA_CONFIG_DIR, submits a long job that logs
 * LINES lines, prints `RUNNING <job id>` once those lines are stored, and waits to be killed.
 */
import { buildApp } from '../../src/app/build-app.js';
import { loadAppConfig } from '../../src/app/config.js';

const app = buildApp(loadAppConfig(process.env));
await app.start();
const lines = Number(process.env.LINES ?? 10);
const result = await app.executor.submit({
  steps: [
    {
      name: 'slow',
      componentClassName: 'TestRowsProducer',
      preComponentName: '',
      componentArguments: { lines, ms: 600_000 },
    },
  ],
});
if (!result.ok) throw new Error(JSON.stringify(result.problems));
const id = result.job.id;
for (;;) {
  const stored = await app.store.lastLogSeq(id);
  if (stored >= lines) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
process.stdout.write(`RUNNING ${id}\n`);
setInterval(() => {}, 1000);
