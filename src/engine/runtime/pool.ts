/** The worker-thread pool: one tensor backend per thread, time limits, dead workers replaced. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { initBackend, type BackendChoice } from './backend.ts';

/**
 * A pool of worker threads, one tensor backend each. A task names an exported function of a
 * module (by absolute URL) and its structured-cloneable argument; results come back in task order.
 * With `size: 0` tasks run in the calling thread (same code path, used for debugging and tests).
 */
export interface Task {
  module: string;
  fn: string;
  args: unknown;
  /** Modules the worker imports before the task's clock starts (a theorem's cell module, compiled on first use). */
  preload?: string[];
  /**
   * The task's time limit in milliseconds, asked when its function starts (so it can follow what finished tasks took):
   * past it the worker is terminated (a busy loop, an Atomics.wait and a promise that never settles all end there) and
   * the task fails with a TaskFailure. The clock starts when the worker has its backend and the task's module, not when
   * the task is posted: a fresh worker's start-up (seconds on a loaded machine) is not the task's. Until then a
   * start-up allowance of BOOT_MS more applies (a module that hangs on import). No limit when absent.
   */
  limitMs?: () => number;
}

export interface TaskMessage extends Omit<Task, 'limitMs'> {
  id: number;
}

/** A task that ran past its limit, or whose worker died under it. */
export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'exit',
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}

export type ResultMessage =
  | { id: number; ok: true; result: unknown; /** Wall time of the task's function in its worker. */ seconds: number }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string } };
/** Posted by a worker when the task's function starts (its backend ready and its module imported). */
export interface StartedMessage {
  id: number;
  started: true;
}

/** How long close() waits for the worker threads to end. */
const CLOSE_WAIT_MS = 5_000;

/** The start-up allowance of a task with a time limit, before its function starts. */
const BOOT_MS = 60_000;

export interface PoolOptions {
  size?: number;
  backend?: BackendChoice;
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

interface Pending {
  resolve: (v: Timed<unknown>) => void;
  reject: (e: Error) => void;
  limitMs?: () => number;
}

/** A task's result and the seconds its function took in the worker. */
export interface Timed<T> {
  value: T;
  seconds: number;
}

type PoolWorker = Worker & { taskId?: number; timer?: NodeJS.Timeout };

const limitOf = (pending: Pending | undefined) => {
  const limit = pending?.limitMs?.();
  return limit !== undefined && Number.isFinite(limit) ? limit : undefined;
};

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { message: TaskMessage; pending: Pending }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;
  readonly size: number;
  readonly backend: BackendChoice;

  constructor(options: PoolOptions = {}) {
    this.size = options.size ?? defaultWorkerCount();
    this.backend = options.backend ?? 'auto';
    // From source (tsx) a worker registers the TypeScript loader first; compiled code starts the worker loop directly.
    const entry = new URL(
      import.meta.url.endsWith('.ts') ? './worker-bootstrap.js' : './worker-main.js',
      import.meta.url,
    );
    this.entry = entry;
    for (let i = 0; i < this.size; i++) this.idle.push(this.spawn());
  }

  private readonly entry: URL;

  private spawn(): PoolWorker {
    const worker: PoolWorker = new Worker(this.entry, { workerData: { backend: this.backend } });
    worker.on('message', (msg: ResultMessage | StartedMessage) =>
      'started' in msg ? this.started(worker, msg.id) : this.settle(worker, msg),
    );
    worker.on('error', (err) => this.fail(err));
    // A worker that ends while it holds a task (process.exit in a cell, a crash) fails that task and is replaced.
    worker.on('exit', (code) => {
      if (this.closed || worker.taskId === undefined) return;
      this.abandon(
        worker,
        new TaskFailure(`its worker thread exited (code ${code}) before returning a result`, 'exit'),
      );
    });
    worker.unref();
    this.workers.push(worker);
    return worker;
  }

  /** Fail the task a worker holds, drop the worker (terminating it) and start a fresh one in its place. */
  private abandon(worker: PoolWorker, error: TaskFailure): void {
    const id = worker.taskId;
    worker.taskId = undefined;
    clearTimeout(worker.timer);
    this.workers.splice(this.workers.indexOf(worker), 1);
    void worker.terminate();
    if (id !== undefined) {
      const pending = this.pending.get(id);
      this.pending.delete(id);
      pending?.reject(error);
    }
    if (!this.closed) {
      this.idle.push(this.spawn());
      setImmediate(() => this.pump());
    }
  }

  run<T>(task: Task): Promise<T> {
    return this.runTimed<T>(task).then((r) => r.value);
  }

  /** Run a task; its result comes with the seconds its function took (measured where it ran). */
  runTimed<T>(task: Task): Promise<Timed<T>> {
    if (this.closed) return Promise.reject(new Error('WorkerPool: closed'));
    const message = { ...task, id: this.nextId++ };
    if (this.size === 0) {
      const { limitMs: _limit, ...inline } = message;
      return runInline(inline, this.backend) as Promise<Timed<T>>;
    }
    return new Promise<Timed<T>>((resolve, reject) => {
      const { limitMs, ...rest } = message as TaskMessage & Pick<Task, 'limitMs'>;
      this.queue.push({
        message: rest,
        pending: { resolve: resolve as (v: Timed<unknown>) => void, reject, ...(limitMs ? { limitMs } : {}) },
      });
      this.pump();
    });
  }

  /** Run every task; `onResult` sees each result as soon as it arrives (for progress and checkpoints). */
  async map<T>(tasks: Task[], onResult?: (result: T, index: number, seconds: number) => void): Promise<T[]> {
    return Promise.all(
      tasks.map((task, i) =>
        this.runTimed<T>(task).then(
          (r) => {
            onResult?.(r.value, i, r.seconds);
            return r.value;
          },
          // Which task failed travels with the error (the sweep names the cell).
          (error: Error) => {
            throw Object.assign(error, { taskIndex: i });
          },
        ),
      ),
    );
  }

  /**
   * Terminate the workers. Tasks still queued or running fail with "closed" and every task's timer is cleared (a
   * timer left armed, up to an hour, kept the process of a failed sweep alive). The wait for the threads to end is
   * bounded: Node's terminate() of a worker that has just been posted a message has been seen never to settle, and
   * with nothing else alive the process then ended with exit code 13 before saying why the sweep stopped.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const worker of this.workers as PoolWorker[]) clearTimeout(worker.timer);
    this.fail(new Error('WorkerPool: closed'));
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.workers.map((w) => w.terminate())),
      new Promise((resolve) => (bound = setTimeout(resolve, CLOSE_WAIT_MS))),
    ]);
    clearTimeout(bound);
  }

  private pump(): void {
    if (this.closed) return;
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()! as PoolWorker;
      const { message, pending } = this.queue.shift()!;
      this.pending.set(message.id, pending);
      worker.taskId = message.id;
      // The task's own clock starts when its function does (started); until then only the start-up allowance.
      const limit = limitOf(pending);
      if (limit !== undefined) this.arm(worker, limit + BOOT_MS, limit);
      worker.ref();
      worker.postMessage(message);
    }
  }

  /** End the worker's task with a timeout after ms (the message names the task's own limit). */
  private arm(worker: PoolWorker, ms: number, limit: number): void {
    clearTimeout(worker.timer);
    worker.timer = setTimeout(
      () => this.abandon(worker, new TaskFailure(`no result within ${Math.round(limit / 1000)} s`, 'timeout')),
      ms,
    );
  }

  /** The task's function started in its worker: its own time limit runs from now. */
  private started(worker: PoolWorker, id: number): void {
    if (worker.taskId !== id) return;
    const limit = limitOf(this.pending.get(id));
    if (limit !== undefined) this.arm(worker, limit, limit);
  }

  private settle(worker: PoolWorker, msg: ResultMessage): void {
    clearTimeout(worker.timer);
    worker.taskId = undefined;
    const pending = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    worker.unref();
    this.idle.push(worker);
    if (pending) {
      if (msg.ok) pending.resolve({ value: msg.result, seconds: msg.seconds });
      else
        pending.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name, stack: msg.error.stack }));
    }
    // The next task goes out after the caller has seen this result: a sweep that stops on a failed cell closes the
    // pool first, so no cell is posted to a worker about to be terminated.
    setImmediate(() => this.pump());
  }

  private fail(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const { pending } of this.queue.splice(0)) pending.reject(err);
  }
}

async function runInline(message: TaskMessage, backend: BackendChoice): Promise<Timed<unknown>> {
  await initBackend(backend);
  const mod = (await import(message.module)) as Record<string, (args: unknown) => unknown>;
  const fn = mod[message.fn];
  if (typeof fn !== 'function') throw new Error(`pool: ${message.module} has no export ${message.fn}`);
  // Structured clone, as a worker would see it: the inline path must not share mutable state.
  const start = performance.now();
  const value = structuredClone(await fn(structuredClone(message.args)));
  return { value, seconds: (performance.now() - start) / 1000 };
}
