import { z } from 'zod';
import { getEdition, UnknownEditionError } from '../matrix/editions/index.js';
import { RULES_BY_ID } from '../matrix/rules/index.js';
import type { Citation } from '../matrix/types.js';
import type { OutboxRow, Transition } from '../store/index.js';
import { docsUrlOf } from '../matrix/ruleDocsUrl.js';
import { DEFAULT_LINKS, findingsApiUrlOf, portalUrlOf, type AlertLinks } from './alertLinks.js';

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
  vm: { id: string; name: string; subscriptionId: string; resourceGroup: string; portalUrl: string; findingsUrl: string | null };
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
    // Absent on intents stored before alerts carried the finding's own words: they render with the rule title.
    message: z.string().optional(),
    evidence: z.record(z.string(), z.unknown()).optional(),
    // A reopening out of an exemption names the exemption that ended.
    exemption: z.object({ id: z.string(), category: z.enum(['waiver', 'mitigated']), reason: z.string(), expiresOn: z.string().nullable() }).optional(),
    exemptionEnded: z.enum(['expired', 'removed']).optional(),
  }),
);

export class UnreadableIntentError extends Error {
  constructor(idempotencyKey: string) {
    super(`alert intent ${idempotencyKey} has transitions this version cannot read`);
    this.name = 'UnreadableIntentError';
  }
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

export function alertIntentOf(row: OutboxRow, links: Partial<AlertLinks> = {}): AlertIntent {
  const { docsBaseUrl, portalBaseUrl, findingsApiUrl } = { ...DEFAULT_LINKS, ...links };
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
    vm: {
      id: row.vmId,
      name: row.vmName,
      subscriptionId: row.subscriptionId,
      resourceGroup: row.resourceGroup,
      portalUrl: portalUrlOf(row.vmId, portalBaseUrl),
      findingsUrl:
        findingsApiUrl === null
          ? null
          : findingsApiUrlOf({ subscriptionId: row.subscriptionId, resourceGroup: row.resourceGroup, name: row.vmName }, findingsApiUrl),
    },
    transitions: parsed.data.map((t) => ({
      ...t,
      ruleTitle: RULES_BY_ID.get(t.ruleId)?.title ?? t.ruleId,
      citation: citationOf(row.edition, t.ruleId),
      docsUrl: docsUrlOf(t.ruleId, docsBaseUrl),
    })),
  };
}
