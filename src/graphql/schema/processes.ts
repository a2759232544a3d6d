import type { ServerProcessRow } from '../../cluster/process-table.js';
import { builder } from '../builder.js';

const ServerProcessRef = builder.objectRef<ServerProcessRow>('ServerProcess').implement({
  description:
    'A server process sharing the control database (cluster mode), as its row in server_process says.',
  fields: (t) => ({
    id: t.exposeID('id'),
    host: t.exposeString('host'),
    pid: t.exposeInt('pid'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    heartbeatAt: t.expose('heartbeatAt', {
      type: 'DateTime',
      description: 'Its last heartbeat; older than cluster.deadAfterSeconds, it is taken for dead.',
    }),
    stopping: t.exposeBoolean('stopping', {
      description: 'It is shutting down: it claims no new jobs.',
    }),
    runningJobIds: t.exposeIDList('runningJobIds', { description: 'The jobs it runs now.' }),
  }),
});

builder.queryFields((t) => ({
  processes: t.field({
    type: [ServerProcessRef],
    description:
      'The server processes of the cluster, oldest first; empty when server.json has no `cluster` (one process).',
    resolve: (_root, _args, { app }) => app.cluster?.processes() ?? [],
  }),
}));
