import { z } from 'zod';
import { evidence, exemptionRef, severity } from './common.js';

/** The generic webhook body, `vm-backup-guard.alert/v1` (core/alerts/webhookPayload.ts builds it). */
export const webhookPayloadSchema = z
  .strictObject({
    schema: z.literal('vm-backup-guard.alert/v1'),
    idempotencyKey: z.string().describe('The same on every retry and redelivery (also the webhook-id header): drop what you have seen'),
    vm: z.strictObject({
      id: z.string(),
      name: z.string(),
      subscriptionId: z.string(),
      resourceGroup: z.string(),
      portalUrl: z.string().describe("The VM in its cloud's Azure portal"),
      findingsUrl: z.string().nullable().describe('The VM in the findings API, when ALERT_FINDINGS_API_URL is set'),
    }),
    edition: z.string(),
    transitions: z.array(
      z.strictObject({
        kind: z.enum(['opened', 'reopened', 'severity-changed', 'resolved']),
        ruleId: z.string(),
        ruleTitle: z.string(),
        severity,
        outcome: z.enum(['fail', 'unknown']),
        previousSeverity: severity.optional(),
        reason: z.string().optional().describe('For resolved: passed, not-applicable, not-in-edition or vm-deleted'),
        message: z.string().optional().describe('The finding in words; absent only on alerts stored before v0.1 carried it'),
        evidence: evidence.optional(),
        exemption: exemptionRef.optional().describe('On a reopening: the exemption that ended'),
        exemptionEnded: z.enum(['expired', 'removed']).optional(),
        matrix: z.strictObject({ section: z.string(), row: z.string() }).nullable(),
        docsUrl: z.string(),
      }),
    ),
    createdAt: z.string().describe('When the evaluation that caused this was stored (ISO 8601, UTC)'),
    test: z.literal(true).optional().describe('Only on `vm-backup-guard alerts test`'),
  })
  .meta({ title: 'vm-backup-guard.alert/v1', description: 'The body of a vm-backup-guard webhook call' });
