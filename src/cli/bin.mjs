#!/usr/bin/env node
// `npx fda …`: runs the TypeScript CLI through tsx (a dependency), as `npm start` runs the server.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
const code = await runCli(process.argv.slice(2), process.env, process.stdout.isTTY === true);
// stdout may be a pipe that is still draining; exit once it is written.
process.stdout.write('', () => process.exit(code));
