import type { PoisonQueueReport } from '../../core/queue/poisonReport.js';
import type { Palette } from './colour.js';

/**
 * The poison queues under `alerts list`'s table: nothing when they are empty, so the common case reads as before.
 * A poison message is sweep work that failed every retry; its VM is re-evaluated by a later sweep (it still
 * differs), so the lines say which VMs to look at, not what to replay.
 */
export function renderPoisonQueues(reports: readonly PoisonQueueReport[], c: Palette): string {
  const minute = (iso: string | null) => (iso ?? '').slice(0, 16).replace('T', ' ');
  return reports
    .filter((r) => r.count !== 0)
    .map((r) => {
      if (r.count === null) return `\n${c.yellow('Poison queue')} ${r.queue}: not read (${r.error ?? 'unknown error'})\n`;
      const lines = r.messages.map((m) => `  ${minute(m.insertedOn)}  ${m.vmId ?? '(not sweep work)'}  ${c.dim(m.id)}`);
      const more = r.count > r.messages.length ? [`  ${c.dim(`… and about ${r.count - r.messages.length} more`)}`] : [];
      return `\n${c.red('Poison queue')} ${r.queue}: ${r.count} message${r.count === 1 ? '' : 's'} (work that failed every retry)\n${[...lines, ...more].join('\n')}\n`;
    })
    .join('');
}
