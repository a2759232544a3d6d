// The script every pool worker runs. Plain JavaScript on purpose: on Node 20 the TypeScript
// loader that `--import tsx` installs in the main thread does not reach worker threads, so the
// worker installs tsx's loader itself, and the task modules it imports may be TypeScript.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();

parentPort.on('message', async (task) => {
  try {
    const module = await import(task.moduleUrl);
    const fn = module[task.exportName];
    if (typeof fn !== 'function')
      throw new TypeError(`${task.moduleUrl} exports no function named ${task.exportName}`);
    const output = await fn(task.input);
    parentPort.postMessage({ id: task.id, ok: true, output });
  } catch (error) {
    const { name, message, stack } =
      error instanceof Error ? error : { name: 'Error', message: String(error), stack: undefined };
    parentPort.postMessage({ id: task.id, ok: false, error: { name, message, stack } });
  }
});
