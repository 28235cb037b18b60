import { evaluateWithExemptions, type ExemptionContext } from '../exemptions/applyExemptions.js';
import type { ResolvedEdition } from '../matrix/editions/index.js';
import type { Evaluation } from '../matrix/evaluate.js';
import type { VmSnapshot } from '../snapshot/vmSnapshot.js';
import { fingerprintOf } from './fingerprint.js';

/** What the store keeps of one VM's evaluation beside the findings: where it is, what protects it, what it looked like. */
export interface Assessment {
  evaluation: Evaluation;
  /** The sweep compares it with a fresh read to find drift (see fingerprintOf). */
  fingerprint: string;
  links: { protectedItemId: string | null; policyId: string | null };
  location: string | null;
}

/**
 * One VM's snapshot checked against an edition, with the exemptions in force, plus what the store indexes it by.
 * Pure: every entry point (events, sweep, check --store, scan) derives these the same way from the same snapshot.
 * The sweep passes the fingerprint it compared, computed before the snapshot crossed a queue as JSON.
 */
export function assess(
  snapshot: VmSnapshot,
  edition: ResolvedEdition,
  exemptions: ExemptionContext,
  fingerprint = fingerprintOf(snapshot, edition.id),
): Assessment {
  return {
    evaluation: evaluateWithExemptions(snapshot, edition, exemptions),
    fingerprint,
    links: { protectedItemId: snapshot.protection.itemId, policyId: snapshot.protection.policy?.id ?? null },
    location: snapshot.location,
  };
}
