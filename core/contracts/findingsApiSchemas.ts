import { z } from 'zod';
import { trigger, historyEntry } from '../store/index.js';
import { citation, evidence, exemptionRef, restoreReadiness, severity } from './common.js';

/** The findings API's responses (core/store/findingsReads.ts builds them). */
export const findingView = z.strictObject({
  vmId: z.string(),
  vmName: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  ruleId: z.string(),
  state: z.enum(['open', 'resolved', 'exempted']),
  outcome: z.enum(['fail', 'unknown']),
  severity,
  message: z.string(),
  evidence,
  citation,
  edition: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  openedAt: z.string(),
  resolvedAt: z.string().optional(),
  resolvedReason: z.string().optional(),
  reopenCount: z.number().int().nonnegative(),
  exemption: exemptionRef.optional(),
  docs: z.string(),
});

/** Stored rows that failed validation and were left out of this answer (logged by their keys). */
const skippedRows = z.number().int().nonnegative().describe('Stored rows that failed validation and were left out of this answer');

export const findingsPageSchema = z
  .strictObject({
    items: z.array(findingView),
    continuationToken: z.string().nullable().describe('Pass back as ?continuationToken= for the next page; null on the last'),
    skippedRows,
  })
  .meta({ title: 'GET /api/findings' });

export const vmReportSchema = z
  .strictObject({
    vmId: z.string(),
    vmName: z.string(),
    subscriptionId: z.string(),
    resourceGroup: z.string(),
    location: z.string(),
    edition: z.string(),
    state: z.enum(['present', 'deleted']),
    lastEvaluatedAt: z.string(),
    lastTrigger: trigger,
    open: z.strictObject({ error: z.number().int(), warning: z.number().int(), info: z.number().int(), unknown: z.number().int() }),
    restore: restoreReadiness,
    findings: z.array(findingView),
    history: z.array(historyEntry),
    skippedRows,
  })
  .meta({ title: 'GET /api/vms/{subscriptionId}/{resourceGroup}/{vmName}' });

export const fleetSummarySchema = z
  .strictObject({
    subscription: z.string().nullable(),
    findings: z.strictObject({
      byState: z.strictObject({ open: z.number().int(), resolved: z.number().int(), exempted: z.number().int() }),
      bySeverity: z.strictObject({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
      byOutcome: z
        .strictObject({ fail: z.number().int(), unknown: z.number().int() })
        .describe('Open findings by outcome; unknown ones are also counted in bySeverity.info'),
      byRule: z.record(z.string(), z.number().int()),
    }),
    vms: z.strictObject({ total: z.number().int(), withOpenErrors: z.number().int(), deleted: z.number().int() }),
  })
  .meta({ title: 'GET /api/summary' });

const openCounts = z.strictObject({ error: z.number().int(), warning: z.number().int(), info: z.number().int(), unknown: z.number().int() });

export const vmListPageSchema = z
  .strictObject({
    items: z.array(
      z.strictObject({
        vmId: z.string(),
        vmName: z.string(),
        subscriptionId: z.string(),
        resourceGroup: z.string(),
        location: z.string(),
        state: z.enum(['present', 'deleted']),
        lastEvaluatedAt: z.string(),
        open: openCounts,
        restore: restoreReadiness,
        matching: z.number().int().positive().describe("The VM's findings that match the filters"),
      }),
    ),
    continuationToken: z.string().nullable().describe('Pass back as ?continuationToken= for the next page; null on the last'),
    skippedRows,
  })
  .meta({ title: 'GET /api/vms' });

export const subscriptionsSchema = z
  .strictObject({
    items: z.array(
      z.strictObject({
        subscriptionId: z.string(),
        vms: z.number().int(),
        withOpenErrors: z.number().int(),
        deleted: z.number().int(),
        open: openCounts,
        exempted: z.number().int(),
        resolved: z.number().int(),
      }),
    ),
  })
  .meta({ title: 'GET /api/subscriptions' });

export const rulesSchema = z
  .strictObject({
    edition: z.string(),
    items: z.array(
      z.strictObject({
        ruleId: z.string(),
        title: z.string(),
        severity: severity.nullable().describe("In the app's edition; null when that edition does not grade the rule"),
        open: z.number().int().positive(),
        citation: citation.nullable(),
        docs: z.string().describe("The rule's page: ALERT_DOCS_BASE_URL + <ruleId>.md, or the repository path docs/rules/<ruleId>.md"),
        matrix: z.string().describe('The support matrix on Microsoft Learn, at the cited section'),
      }),
    ),
  })
  .meta({ title: 'GET /api/rules' });

const transitionView = z.strictObject({
  kind: z.enum(['opened', 'reopened', 'severity-changed', 'resolved']),
  ruleId: z.string(),
  severity,
  outcome: z.enum(['fail', 'unknown']),
  previousSeverity: severity.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  exemption: exemptionRef.optional(),
});

export const changesSchema = z
  .strictObject({
    since: z.string(),
    items: z.array(
      z.strictObject({
        at: z.string(),
        vmId: z.string(),
        vmName: z.string(),
        subscriptionId: z.string(),
        resourceGroup: z.string(),
        trigger,
        transitions: z.array(transitionView),
      }),
    ),
    truncated: z
      .boolean()
      .describe(
        'More changed than one answer holds (2,000 evaluations): it holds the newest, read day by day back from now, and the oldest day it reached may be partial',
      ),
    skippedRows,
  })
  .meta({ title: 'GET /api/changes' });
