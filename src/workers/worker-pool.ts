import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { abortReason } from '../abort.js';
import { WorkerPoolClosedError, WorkerTaskError } from './errors.js';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export interface WorkerPoolOptions {
  /** Most workers at once; by default one less than the cores (at least one), so the event loop keeps a core. */
  size?: number;
  logger?: Logger;
}

interface Task {
  id: number;
  moduleUrl: string;
  exportName: string;
  input: unknown;
  resolve: (output: unknown) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

type Reply =
  | { id: number; ok: true; output: unknown }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

/**
 * Runs CPU-heavy functions on worker threads so the event loop (and the GraphQL server on it)
 * stays responsive. A task names a module and an exported function, which gets the input
 * (structured-cloned) and returns the output. Workers start when needed and are reused; tasks
 * beyond the pool size wait in order. Aborting a task that runs terminates its worker (CPU-bound
 * code cannot watch a signal) and a fresh one takes its place for the next task.
 */
export class WorkerPool {
  readonly size: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;

  constructor(private readonly options: WorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism() - 1);
  }

  get stats(): { workers: number; busy: number; queued: number } {
    return {
      workers: this.#slots.length,
      busy: this.#slots.filter((s) => s.task).length,
      queued: this.#queue.length,
    };
  }

  /** Runs `exportName` of the module at `moduleUrl` (a file URL; TypeScript is fine) on a worker. */
  run<T>(
    moduleUrl: string | URL,
    exportName: string,
    input: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.#closed) return Promise.reject(new WorkerPoolClosedError());
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<T>((resolve, reject) => {
      const task: Task = {
        id: this.#nextId++,
        moduleUrl: String(moduleUrl),
        exportName,
        input,
        resolve: resolve as (output: unknown) => void,
        reject,
        signal,
        onAbort: () => this.#abort(task),
      };
      signal?.addEventListener('abort', task.onAbort, { once: true });
      this.#queue.push(task);
      this.#dispatch();
    });
  }

  /** Rejects waiting tasks, stops every worker (running tasks are rejected too). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const task of this.#queue.splice(0))
      this.#settle(task, false, new WorkerPoolClosedError());
    const slots = this.#slots.splice(0);
    for (const slot of slots)
      if (slot.task) this.#settle(slot.task, false, new WorkerPoolClosedError());
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #dispatch(): void {
    while (!this.#closed && this.#queue.length > 0) {
      const slot =
        this.#slots.find((s) => s.task === null) ??
        (this.#slots.length < this.size ? this.#spawn() : undefined);
      if (!slot) return;
      const task = this.#queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage({
        id: task.id,
        moduleUrl: task.moduleUrl,
        exportName: task.exportName,
        input: task.input,
      });
    }
  }

  #spawn(): Slot {
    const worker = new Worker(ENTRY);
    const slot: Slot = { worker, task: null };
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const task = slot.task;
      if (!task || task.id !== reply.id) return;
      slot.task = null;
      worker.unref();
      if (reply.ok) this.#settle(task, true, reply.output);
      else
        this.#settle(
          task,
          false,
          new WorkerTaskError(reply.error.name, reply.error.message, reply.error.stack),
        );
      this.#dispatch();
    });
    // A worker that dies (an uncaught error, running out of memory) fails its task and is replaced on demand.
    const lost = (reason: Error) => {
      const index = this.#slots.indexOf(slot);
      if (index < 0) return;
      this.#slots.splice(index, 1);
      if (slot.task) this.#settle(slot.task, false, reason);
      slot.task = null;
      this.options.logger?.warn({ err: reason }, 'a worker thread stopped');
      this.#dispatch();
    };
    worker.on('error', (error) => lost(error));
    worker.on('exit', (code) => lost(new Error(`the worker thread exited with code ${code}`)));
    this.#slots.push(slot);
    return slot;
  }

  #abort(task: Task): void {
    const queued = this.#queue.indexOf(task);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#settle(task, false, abortReason(task.signal!));
      return;
    }
    const slot = this.#slots.find((s) => s.task === task);
    if (!slot) return;
    this.#slots.splice(this.#slots.indexOf(slot), 1);
    slot.task = null;
    this.#settle(task, false, abortReason(task.signal!));
    void slot.worker.terminate();
    this.#dispatch();
  }

  #settle(task: Task, ok: boolean, value: unknown): void {
    task.signal?.removeEventListener('abort', task.onAbort);
    if (ok) task.resolve(value);
    else task.reject(value);
  }
}
