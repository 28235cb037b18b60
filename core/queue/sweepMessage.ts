import { z } from 'zod';
import { vmSnapshot } from '../snapshot/vmSnapshot.js';
import type { SweepReason, SweepWork } from './sweepWorkItem.js';

/**
 * One SweepWork as one queue message. The Functions host base64-decodes queue messages by default (host.json
 * `extensions.queues.messageEncoding`), so the text sent is the base64 of the JSON. A message holds at most 64 KiB
 * of text; base64 takes 4 characters per 3 bytes, which leaves 48 KiB of JSON.
 */
export const MAX_MESSAGE_CHARS = 64 * 1024;
export const MAX_WORK_JSON_BYTES = (MAX_MESSAGE_CHARS / 4) * 3;

const REASONS = ['new', 'drift', 'dirty', 'protection-changed', 'stale', 'lost-protection'] as const satisfies readonly SweepReason[];
const common = { vmId: z.string().min(1), reason: z.enum(REASONS), dirtyEtag: z.string().min(1).optional() };

/** The message body on receipt: a boundary, so zod-checked (the snapshot with the snapshot's own schema). */
export const sweepWorkMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snapshot'), ...common, snapshot: vmSnapshot, fingerprint: z.string().min(1), observedAt: z.iso.datetime() }),
  z.object({ kind: z.literal('reread'), ...common }),
]);

// Fails to compile when SweepWork (sweepWorkItem.ts) and this schema part ways: a new kind, reason or required field.
type Received = z.infer<typeof sweepWorkMessage>;
const sameShape: [Received] extends [SweepWork] ? ([SweepWork] extends [Received] ? true : never) : never = true;
void sameShape;

/**
 * The message text for a piece of work. Work whose JSON does not fit (a VM with very many disks, NICs or locks)
 * goes as a `reread`: the worker reads the VM from ARM again instead of using the sweep's snapshot. That costs a few
 * ARM reads, never the work itself.
 */
export function encodeSweepWork(work: SweepWork): { text: string; fellBackToReread: boolean } {
  const json = JSON.stringify(work);
  if (Buffer.byteLength(json, 'utf8') <= MAX_WORK_JSON_BYTES) return { text: base64(json), fellBackToReread: false };
  const reread: SweepWork = { kind: 'reread', vmId: work.vmId, reason: work.reason, ...(work.dirtyEtag ? { dirtyEtag: work.dirtyEtag } : {}) };
  return { text: base64(JSON.stringify(reread)), fellBackToReread: true };
}

export type ParsedSweepMessage = { ok: true; work: SweepWork } | { ok: false; problem: 'not JSON' | 'not sweep work' };

/**
 * The trigger's input as the host hands it over: the decoded text parsed as JSON when it is JSON (an object), else
 * the text. The problem named says which, never what the message held.
 */
export function parseSweepMessage(input: unknown): ParsedSweepMessage {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, problem: 'not JSON' };
    }
  }
  const parsed = sweepWorkMessage.safeParse(value);
  return parsed.success ? { ok: true, work: parsed.data } : { ok: false, problem: 'not sweep work' };
}

/** The VM a stored message names, for reports on poison messages; null when the text is not sweep work's JSON. */
export function vmIdOfMessageText(text: string): string | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    const vmId = (value as { vmId?: unknown } | null)?.vmId;
    return typeof vmId === 'string' ? vmId : null;
  } catch {
    return null;
  }
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
