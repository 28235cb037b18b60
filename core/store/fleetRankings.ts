import type { ResolvedEdition } from '../matrix/editions/index.js';
import { RULES_BY_ID } from '../matrix/rules/index.js';
import type { Citation, Severity } from '../matrix/types.js';
import { docsUrlOf } from '../matrix/ruleDocsUrl.js';
import { fleetSummary, subscriptionTotals } from './findingsReads.js';
import type { FindingsStore } from './findingsStore.js';

/**
 * The fleet's rankings, for the dashboard and anyone else: subscriptions by open errors, rules by open findings.
 * Both come from the subscriptions' aggregate rows (`ix.vm.<subscription>/~aggregate`): one row per subscription,
 * whatever the number of VMs.
 */

export interface SubscriptionRank {
  subscriptionId: string;
  vms: number;
  withOpenErrors: number;
  deleted: number;
  open: { error: number; warning: number; info: number; unknown: number };
  exempted: number;
  resolved: number;
}

/** Most open errors first, then most VMs with open errors, then most open findings, then by id. */
export async function rankedSubscriptions(store: FindingsStore): Promise<SubscriptionRank[]> {
  const ranks = (await subscriptionTotals(store)).map(({ subscriptionId, totals: t }) => ({
    subscriptionId,
    vms: t.vms,
    withOpenErrors: t.withOpenErrors,
    deleted: t.deleted,
    open: { error: t.error, warning: t.warning, info: t.info, unknown: t.unknown },
    exempted: t.exempted,
    resolved: t.resolved,
  }));
  const openOf = (r: SubscriptionRank) => r.open.error + r.open.warning + r.open.info;
  return ranks.sort(
    (a, b) => b.open.error - a.open.error || b.withOpenErrors - a.withOpenErrors || openOf(b) - openOf(a) || a.subscriptionId.localeCompare(b.subscriptionId),
  );
}

export interface RuleRank {
  ruleId: string;
  title: string;
  /** The rule's severity in the app's edition; null for a rule that edition does not grade (retired, absent). */
  severity: Severity | null;
  open: number;
  citation: Citation | null;
  /** The rule's page (`<docs base><ruleId>.md`: relative unless ALERT_DOCS_BASE_URL is set). */
  docs: string;
  /** The support matrix on Microsoft Learn, at the section the citation names. */
  matrix: string;
}

export const MATRIX_PAGE = 'https://learn.microsoft.com/azure/backup/backup-support-matrix-iaas';

/** Learn's heading anchors: lower case, punctuation dropped, spaces as hyphens ("OS support (Windows)" → os-support-windows). */
export function matrixUrlOf(citation: Citation | null): string {
  if (!citation?.section) return MATRIX_PAGE;
  const anchor = citation.section
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/\s+/g, '-');
  return anchor ? `${MATRIX_PAGE}#${anchor}` : MATRIX_PAGE;
}

/** Rules with open findings (fleet-wide or in one subscription), most first, each with its page and matrix row. */
export async function rankedRules(
  store: FindingsStore,
  edition: ResolvedEdition,
  docsBaseUrl: string,
  query: { subscription?: string } = {},
): Promise<RuleRank[]> {
  const { findings } = await fleetSummary(store, query);
  const graded = new Map(edition.rules.filter((r) => r.retired === null && r.absent === null).map((r) => [r.rule.id, r]));
  return Object.entries(findings.byRule)
    .filter(([, open]) => open > 0)
    .map(([ruleId, open]) => {
      const inEdition = graded.get(ruleId);
      const citation = inEdition?.citation ?? null;
      return {
        ruleId,
        title: RULES_BY_ID.get(ruleId)?.title ?? ruleId,
        severity: inEdition?.severity ?? null,
        open,
        citation,
        docs: docsUrlOf(ruleId, docsBaseUrl),
        matrix: matrixUrlOf(citation),
      };
    })
    .sort((a, b) => b.open - a.open || a.ruleId.localeCompare(b.ruleId));
}
