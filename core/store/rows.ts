import { z } from 'zod';
import type { ExemptionRef } from '../matrix/types.js';

/** What caused an evaluation: an Event Grid event, the drift sweep, a person (CLI or API). Kept in the VM's history. */
export const trigger = z.object({
  kind: z.enum(['event', 'sweep', 'cli', 'manual']),
  id: z.string().optional(),
  correlationId: z.string().optional(),
});
export type Trigger = z.infer<typeof trigger>;

export const historyEntry = z.object({
  at: z.string(),
  trigger,
  edition: z.string(),
  opened: z.array(z.string()),
  resolved: z.array(z.string()),
  changed: z.array(z.string()),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

/** Table rows as read back: validated, because a row written by an older version may lack a field. */
export const summaryRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string().optional(),
  vmId: z.string(),
  vmName: z.string(),
  vmNameLower: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  location: z.string(),
  edition: z.string(),
  state: z.enum(['present', 'deleted']),
  observedAt: z.string(),
  lastEvaluatedAt: z.string(),
  lastTrigger: z.string(),
  openErrors: z.number(),
  openWarnings: z.number(),
  openInfo: z.number(),
  openUnknown: z.number(),
  restore: z.string(),
  history: z.string(),
  /** Lower-cased ids of the VM's protected item and policy, so item and policy events find their VMs. */
  protectedItemId: z.string().default(''),
  policyId: z.string().default(''),
  /** Hash of the VM's matrix-relevant shape when last evaluated: the drift sweep re-evaluates when it differs. */
  fingerprint: z.string().default(''),
});
export type SummaryRow = z.infer<typeof summaryRow>;

export const findingRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  vmId: z.string(),
  vmName: z.string(),
  vmNameLower: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  ruleId: z.string(),
  /** `exempted`: failing still, but an exemption covers it (not counted as open, never alerted). */
  state: z.enum(['open', 'resolved', 'exempted']),
  outcome: z.enum(['fail', 'unknown']),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  evidence: z.string(),
  citationSection: z.string(),
  citationRow: z.string(),
  edition: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  openedAt: z.string(),
  resolvedAt: z.string().optional(),
  resolvedReason: z.string().optional(),
  reopenCount: z.number(),
  /** JSON: ExemptionRef while `exempted`; '' otherwise (rows written before exemptions have none). */
  exemption: z.string().default(''),
});
export type FindingRow = z.infer<typeof findingRow>;

/** What changed for a finding in one evaluation: what alerts are made of (one message per VM per evaluation). */
export interface Transition {
  kind: 'opened' | 'reopened' | 'severity-changed' | 'resolved';
  ruleId: string;
  severity: FindingRow['severity'];
  outcome: FindingRow['outcome'];
  previousSeverity?: FindingRow['severity'];
  /** For `resolved`: `passed`, `not-applicable`, `not-in-edition` or `vm-deleted`. */
  reason?: string;
  /**
   * The finding's own sentence and facts ("Standard_B1s has 1 vCPU: …"), so an alert says what is wrong without a
   * second read; for `resolved`, the last ones seen. Optional: intents stored before these existed have neither.
   */
  message?: string;
  evidence?: Record<string, unknown>;
  /** For `reopened` out of `exempted`: the exemption that ended, and how (its expiry passed, or it was removed). */
  exemption?: ExemptionRef;
  exemptionEnded?: 'expired' | 'removed';
}
