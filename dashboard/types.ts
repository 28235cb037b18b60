/** The API's answers, as the page reads them (type-only imports: nothing of the server is bundled into the page). */
export type { FleetSummary, FindingView, VmReport } from '../core/store/findingsReads.js';
export type { RuleRank, SubscriptionRank } from '../core/store/fleetRankings.js';
export type { VmListItem } from '../core/store/vmListing.js';
export type { ChangeView } from '../core/store/recentChanges.js';
export type { Exemption } from '../core/exemptions/exemption.js';

export interface Page<T> {
  items: T[];
  continuationToken: string | null;
}

/** GET /api/alerts?state=failed, as far as the page reads it. */
export interface AlertsAnswer {
  items: {
    vmId: string;
    vmName: string;
    createdAt: string;
    transitions: { kind: string; ruleId: string }[];
    deliveries: Record<string, { state: string; attempts: number; lastError?: string }>;
  }[];
  invalid: unknown[];
  poison: { queue: string; count: number }[];
}
