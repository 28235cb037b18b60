import type { VmSnapshot } from '../snapshot/vmSnapshot.js';

// What the sweep hands to its dispatcher, defined here so the queue can carry it without importing the sweep.

export type SweepReason = 'new' | 'drift' | 'dirty' | 'protection-changed' | 'stale' | 'lost-protection';

/**
 * One re-evaluation the sweep decided on. `snapshot`: built from the sweep's Resource Graph read, stored as of that
 * read. `reread`: the VM left the protected fleet (or an event marked an unprotected VM dirty), so ARM is read
 * again. Plain data: it can wait in a queue and be done by another instance.
 */
export type SweepWork =
  | { kind: 'snapshot'; vmId: string; reason: SweepReason; snapshot: VmSnapshot; fingerprint: string; observedAt: string; dirtyEtag?: string }
  | { kind: 'reread'; vmId: string; reason: SweepReason; dirtyEtag?: string };

/** Where sweep work goes: done here (the default), or enqueued for queue-triggered instances. */
export type SweepDispatch = (work: SweepWork) => Promise<void>;
