import { z } from 'zod';
import { checkReportSchema } from './checkReportSchema.js';
import {
  changesSchema,
  findingsPageSchema,
  fleetSummarySchema,
  rulesSchema,
  subscriptionsSchema,
  vmListPageSchema,
  vmReportSchema,
} from './findingsApiSchemas.js';
import { webhookPayloadSchema } from './webhookPayloadSchema.js';

/** docs/schemas/<file> → its zod definition. The exemptions file joins when exemptions exist. */
export const PUBLISHED_SCHEMAS = {
  'check-report.schema.json': checkReportSchema,
  'alert-webhook-v1.schema.json': webhookPayloadSchema,
  'findings-page.schema.json': findingsPageSchema,
  'vm-report.schema.json': vmReportSchema,
  'fleet-summary.schema.json': fleetSummarySchema,
  'vm-list.schema.json': vmListPageSchema,
  'subscriptions.schema.json': subscriptionsSchema,
  'rules.schema.json': rulesSchema,
  'changes.schema.json': changesSchema,
} as const;

/** The JSON Schema text published for a definition (draft 2020-12, as z.toJSONSchema writes it), stable for diffs. */
export function jsonSchemaText(schema: z.ZodType): string {
  return `${JSON.stringify(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }), null, 2)}\n`;
}
