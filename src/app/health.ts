import type { ServerResponse } from 'node:http';
import type { App } from './build-app.js';

/** `GET /health`: is the server, its job store and each storage target up (JSON, 200 or 503). */
export async function handleHealth(app: Pick<App, 'targets'>, response: ServerResponse): Promise<void> {
  const targets = await Promise.all(
    app.targets.list().map(async (t) => ({ name: t.name, dialect: t.dialect, up: await t.ping(), error: t.state.error })),
  );
  const control = targets.find((t) => t.name === app.targets.control().name);
  const body = { status: control?.up ? 'ok' : 'degraded', jobStore: { target: control?.name, up: control?.up ?? false }, targets };
  response.writeHead(control?.up ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}
