// The sweep queue's names and connection, in a module that imports nothing: the host reads them when it indexes the
// functions (sweepWorker's trigger), which must not load the queue client or zod (cold start: bench/coldStart.ts).

/** The trigger's `connection`: the findings storage, so the functions and the code reach the same account. */
export const SWEEP_QUEUE_CONNECTION = 'FINDINGS_STORAGE';

/**
 * The queue of one findings table. Named after the table, so that apps (and tests) sharing an account do not share
 * a queue. Queue names are 3-63 lowercase letters, digits and hyphens; `-sweep-poison` takes 13 of them.
 */
export function sweepQueueName(findingsTable: string): string {
  return `${findingsTable.toLowerCase().slice(0, 50)}-sweep`;
}

/** Where the Functions host moves a message that failed maxDequeueCount times (host.json). */
export function poisonQueueName(queue: string): string {
  return `${queue}-poison`;
}

/**
 * The queue of coalesced events (core/events/coalesce.ts), one per findings table like the sweep's;
 * `-events-poison` takes 14 characters.
 */
export function eventQueueName(findingsTable: string): string {
  return `${findingsTable.toLowerCase().slice(0, 49)}-events`;
}
