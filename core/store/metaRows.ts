import { z } from 'zod';

/**
 * The sweep's progress, a row of the meta partition (`ix.meta/sweep`). The store keeps it; core/sweep decides what it
 * says (core/sweep/sweepMark.ts).
 */
export const sweepMark = z.object({
  /** The next incremental sweep reads changes after this (ISO time). */
  since: z.string(),
  /** When the last complete full sweep started (ISO time). */
  lastFullAt: z.string(),
  /** The matrix edition and the subscription scope that full sweep evaluated against. */
  edition: z.string(),
  scope: z.string(),
});
export type SweepMark = z.infer<typeof sweepMark>;

export const SWEEP_MARK_ROW = 'sweep';
