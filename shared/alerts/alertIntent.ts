import { z } from 'zod';
import { getEdition, UnknownEditionError } from '../matrix/editions/index.js';
import { RULES_BY_ID } from '../matrix/rules/index.js';
import type { Citation } from '../matrix/types.js';
import type { OutboxRow } from '../store/outbox.js';
import type { Transition } from '../store/planLifecycle.js';
import { DEFAULT_DOCS_BASE_URL } from './alertSettings.js';

/** One transition as people and receivers see it: what the outbox row holds, plus what the rule catalogue says. */
export interface AlertTransition extends Transition {
  ruleTitle: string;
  /** The matrix row the rule comes from, in the intent's edition; null for a rule that edition does not have. */
  citation: Citation | null;
  /** The rule's page: `<docs base><ruleId>.md` (relative unless ALERT_DOCS_BASE_URL is set). */
  docsUrl: string;
}

/** One outbox row, ready to render: one message per VM per evaluation. */
export interface AlertIntent {
  idempotencyKey: string;
  createdAt: string;
  edition: string;
  vm: { id: string; name: string; subscriptionId: string; resourceGroup: string; portalUrl: string };
  transitions: AlertTransition[];
}

// Rows are read back from storage, possibly written by another version: validated like any boundary.
const storedTransitions = z.array(
  z.object({
    kind: z.enum(['opened', 'reopened', 'severity-changed', 'resolved']),
    ruleId: z.string().min(1),
    severity: z.enum(['error', 'warning', 'info']),
    outcome: z.enum(['fail', 'unknown']),
    previousSeverity: z.enum(['error', 'warning', 'info']).optional(),
    reason: z.string().optional(),
  }),
);

export class UnreadableIntentError extends Error {
  constructor(idempotencyKey: string) {
    super(`alert intent ${idempotencyKey} has transitions this version cannot read`);
    this.name = 'UnreadableIntentError';
  }
}

/** The VM's blade in the Azure portal (`#@/resource` + the ARM id opens it in the signed-in user's tenant). */
export function portalUrlOf(vmId: string): string {
  return `https://portal.azure.com/#@/resource${vmId}`;
}

export function docsUrlOf(ruleId: string, docsBaseUrl: string = DEFAULT_DOCS_BASE_URL): string {
  return `${docsBaseUrl}${encodeURIComponent(ruleId)}.md`;
}

function citationOf(editionId: string, ruleId: string): Citation | null {
  try {
    return getEdition(editionId).rules.find((r) => r.rule.id === ruleId)?.citation ?? null;
  } catch (error) {
    // An intent stored under an edition this version no longer ships still gets delivered, without the row.
    if (error instanceof UnknownEditionError) return null;
    throw error;
  }
}

export function alertIntentOf(row: OutboxRow, docsBaseUrl: string = DEFAULT_DOCS_BASE_URL): AlertIntent {
  let json: unknown;
  try {
    json = JSON.parse(row.transitions);
  } catch {
    throw new UnreadableIntentError(row.idempotencyKey);
  }
  const parsed = storedTransitions.safeParse(json);
  if (!parsed.success) throw new UnreadableIntentError(row.idempotencyKey);
  return {
    idempotencyKey: row.idempotencyKey,
    createdAt: row.createdAt,
    edition: row.edition,
    vm: { id: row.vmId, name: row.vmName, subscriptionId: row.subscriptionId, resourceGroup: row.resourceGroup, portalUrl: portalUrlOf(row.vmId) },
    transitions: parsed.data.map((t) => ({
      ...t,
      ruleTitle: RULES_BY_ID.get(t.ruleId)?.title ?? t.ruleId,
      citation: citationOf(row.edition, t.ruleId),
      docsUrl: docsUrlOf(t.ruleId, docsBaseUrl),
    })),
  };
}
