import type { VmId } from '../armModel/vmId.js';
import type { ArmAccess } from '../inventory/arm/armAccess.js';
import { VmNotFoundError } from '../inventory/arm/armErrors.js';
import type { LiveSizeCatalogue } from '../inventory/arm/liveSizeCatalogue.js';
import { readVmFromArm, type VmRead } from '../inventory/arm/readVmFromArm.js';
import type { ExemptionContext } from '../exemptions/applyExemptions.js';
import type { ResolvedEdition } from '../matrix/editions/index.js';
import { LIVE_READER_OPTIONS, type SnapshotOptions } from '../snapshot/buildVmSnapshot.js';
import { assess, type Assessment } from './assess.js';
import { liveSnapshots } from './liveSnapshots.js';

/** What a live read needs: ARM, the size catalogue it fills, the edition, the clock. */
export interface ReadServices {
  arm: ArmAccess;
  sizes: LiveSizeCatalogue;
  edition: ResolvedEdition;
  now: () => Date;
}

/** The exemptions in force at `now` (read from the store, or given on the command line). */
export type ExemptionsAt = (now: string) => Promise<ExemptionContext>;

export interface LiveAssessment extends Assessment {
  /** When the read started: evaluations of one VM are ordered by it. */
  observedAt: string;
  /** When it was evaluated (the exemptions' clock). */
  assessedAt: string;
}

/** What a live read could not see, as the snapshot builder takes it. */
function snapshotOptionsOf(read: VmRead): SnapshotOptions {
  return {
    ...LIVE_READER_OPTIONS,
    ...(read.protectionUnreadable ? { protectionUnreadable: read.protectionUnreadable } : {}),
    ...(read.locksUnreadable ? { locksUnreadable: read.locksUnreadable } : {}),
  };
}

/**
 * Reads one VM's current state from ARM (events are hints; the read is the truth) and assesses it. null: ARM no
 * longer has the VM. Transient ARM failures propagate. Exemptions are asked for only once the VM is known to exist.
 */
export async function readAndAssess(services: ReadServices, vmId: VmId, exemptionsAt: ExemptionsAt): Promise<LiveAssessment | null> {
  let read: VmRead;
  try {
    read = await readVmFromArm(vmId, services.arm, services.now);
  } catch (error) {
    if (error instanceof VmNotFoundError) return null;
    throw error;
  }
  const [snapshot] = await liveSnapshots(services.sizes, read.inventory, snapshotOptionsOf(read), () => vmId.subscriptionId);
  const assessedAt = services.now().toISOString();
  const assessment = assess(snapshot!, services.edition, await exemptionsAt(assessedAt));
  return { ...assessment, observedAt: read.observedAt, assessedAt };
}
