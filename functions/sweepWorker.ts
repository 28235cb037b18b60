import { app, type InvocationContext } from '@azure/functions';
// The queue's name and connection are needed at registration; the work itself is imported on first message.
import { SWEEP_QUEUE_CONNECTION, sweepQueueName } from '../core/queue/queueNames.js';
import { FINDINGS_TABLE } from '../core/store/tableName.js';
import { INVOCATION_DEADLINE_MS, withDeadline } from '../core/platform/callDeadline.js';
import { errorName } from '../core/platform/safeErrorText.js';

/**
 * One re-evaluation the sweep enqueued (core/queue), on whichever instance the platform gives it. A message that
 * is not sweep work is logged by its id and dropped: retrying cannot fix it, and the VM it was for (if any) still
 * differs, so the next sweep sends fresh work. A failure to evaluate or store throws: the host makes the message
 * visible again, and after `maxDequeueCount` (host.json) moves it to the poison queue, where `alerts list` and
 * `/api/alerts` show it.
 */
export async function sweepWorker(message: unknown, context: InvocationContext): Promise<void> {
  const messageId = String(context.triggerMetadata?.id ?? 'unknown');
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 0);
  // Imported on first use: the host loads every function's file at start-up (cold start: bench/coldStart.ts).
  const [{ parseSweepMessage }, { getServices }, { applySweepWork }] = await Promise.all([
    import('../core/queue/sweepMessage.js'),
    import('../core/runtime/services.js'),
    import('../core/sweep/applySweepWork.js'),
  ]);
  const parsed = parseSweepMessage(message);
  if (!parsed.ok) {
    // The id only: the content is not ours to log.
    context.warn('sweep message dropped', { messageId, dequeueCount, problem: parsed.problem });
    return;
  }
  const { work } = parsed;
  try {
    await applySweepWork(getServices(), work);
  } catch (error) {
    // Name and status only: a RestError carries its request, whose headers hold the storage signature.
    context.error('sweep work failed; the host will retry it', { messageId, dequeueCount, vmId: work.vmId, error: errorName(error) });
    throw error;
  }
  context.log('sweep work done', { messageId, vmId: work.vmId, kind: work.kind, reason: work.reason });
}

// The queue is named after the findings table, as the sweep that fills it names it.
app.storageQueue('sweepWorker', {
  queueName: sweepQueueName(process.env.FINDINGS_TABLE ?? FINDINGS_TABLE),
  connection: SWEEP_QUEUE_CONNECTION,
  handler: (message, context) => withDeadline(INVOCATION_DEADLINE_MS, () => sweepWorker(message, context)),
});
