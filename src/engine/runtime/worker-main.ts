/** A worker thread's loop: import the task's module, run its function, post the result and its seconds. */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, type BackendChoice } from './backend.ts';
import type { TaskMessage, ResultMessage, StartedMessage } from './pool.ts';
import { importModule } from './typescript-loader.ts';

const port = parentPort!;
const ready = initBackend((workerData as { backend: BackendChoice }).backend);

port.on('message', async (message: TaskMessage) => {
  try {
    await ready;
    const mod = (await importModule(message.module)) as Record<string, (args: unknown) => unknown>;
    // A module loaded as CommonJS (a .ts file in a folder without "type": "module") has its exports under default.
    const fn = mod[message.fn] ?? (mod.default as unknown as Record<string, unknown> | undefined)?.[message.fn];
    if (typeof fn !== 'function') throw new Error(`worker: ${message.module} has no export ${message.fn}`);
    for (const url of message.preload ?? []) await importModule(url);
    // The task's time limit runs from here: the backend and the modules are loaded.
    port.postMessage({ id: message.id, started: true } satisfies StartedMessage);
    const start = performance.now();
    const result = await fn(message.args);
    const seconds = (performance.now() - start) / 1000;
    port.postMessage({ id: message.id, ok: true, result, seconds } satisfies ResultMessage);
  } catch (error) {
    const e = error as Error;
    port.postMessage({
      id: message.id,
      ok: false,
      error: { name: e.name, message: e.message, stack: e.stack },
    } satisfies ResultMessage);
  }
});
