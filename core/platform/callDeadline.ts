import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/**
 * Deadlines for outbound calls. Every SDK pipeline of this app (ARM, Resource Graph, Table) carries
 * `callTimeoutPolicy`: each try gets a timeout, and the abort signal of the deadline it runs under, if any. The
 * signal travels with the async context, so a sweep's budget reaches the calls its work makes without threading a
 * parameter through every reader, and aborts the ones in flight (a budget checked only between items lets one hung
 * call hold the run past it).
 */
const current = new AsyncLocalStorage<AbortSignal>();

/**
 * One event or queue message: the ARM reads, Resource Graph and Table calls it makes end by then (a hung call aborts,
 * the invocation throws and the platform delivers again). Well inside host.json's functionTimeout (10 minutes on Flex
 * Consumption, whose default is 30): the host kills a function at that limit without a word in our logs.
 */
export const INVOCATION_DEADLINE_MS = 5 * 60_000;

/** The deadline passed: what was in flight was aborted. */
export class DeadlineExceededError extends Error {
  constructor(ms: number) {
    super(`deadline of ${ms} ms exceeded`);
    this.name = 'DeadlineExceededError';
  }
}

/** Runs `work` under a deadline of `ms` (and under any outer deadline): calls still in flight then are aborted. */
export async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError(ms)), ms);
  const outer = current.getStore();
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  // Every call in flight under the deadline listens to its signal (a sweep runs 16 at a time), and each removes its
  // listener when it ends: no leak, so Node's warning past 10 listeners would only alarm whoever reads the logs.
  setMaxListeners(0, signal);
  try {
    return await current.run(signal, () => work(signal));
  } finally {
    clearTimeout(timer);
  }
}

/** The signal of the deadline the caller runs under, if any. */
export function deadlineSignal(): AbortSignal | undefined {
  return current.getStore();
}

/** Per try: a timeout (the SDK pipelines set none, so a silent peer would be waited for forever) and the deadline's signal. */
export function callTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: 'vmbgCallTimeout',
    sendRequest: (request, next) => {
      if (!request.timeout) request.timeout = timeoutMs;
      const signal = current.getStore();
      if (signal) request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal as AbortSignal, signal]) : signal;
      return next(request);
    },
  };
}
