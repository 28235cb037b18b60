import { odata } from '@azure/data-tables';
import { z } from 'zod';
import { RULES_BY_ID } from '../matrix/rules/index.js';
import { vmPartitionKey } from './tableKeys.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A findings query, validated before any filter is built: each parameter has a shape it must have, so a hostile
 * value is refused with a message naming the parameter — and values are still escaped by the `odata` template.
 */
export const findingsQuery = z.object({
  subscription: z.string().regex(GUID, 'must be a subscription id (a GUID)').optional(),
  resourceGroup: z
    .string()
    .min(1)
    .max(90, 'is at most 90 characters')
    .regex(/^[-\w.()\p{L}\p{N}]+$/u, 'may hold letters, digits, _ - . ( ) only')
    .optional(),
  /** A VM name, or a full VM resource id. */
  vm: z.string().min(1).max(1024).optional(),
  rule: z
    .string()
    .refine((id) => RULES_BY_ID.has(id), { message: `must be a rule id (${[...RULES_BY_ID.keys()].slice(0, 3).join(', ')}, ...)` })
    .optional(),
  severity: z.enum(['error', 'warning', 'info']).optional(),
  outcome: z.enum(['fail', 'unknown']).optional(),
  state: z.enum(['open', 'resolved', 'all']).default('open'),
});
export type FindingsQuery = z.infer<typeof findingsQuery>;

/** The OData filter for a validated query: fragments built with the `odata` template only, joined with `and`. */
export function findingsFilter(query: FindingsQuery): string {
  const parts: string[] = [];
  if (query.subscription) parts.push(odata`subscriptionId eq ${query.subscription.toLowerCase()}`);
  if (query.resourceGroup) parts.push(odata`resourceGroup eq ${query.resourceGroup.toLowerCase()}`);
  if (query.vm) parts.push(query.vm.includes('/') ? odata`PartitionKey eq ${vmPartitionKey(query.vm)}` : odata`vmNameLower eq ${query.vm.toLowerCase()}`);
  if (query.rule) parts.push(odata`ruleId eq ${query.rule}`);
  if (query.severity) parts.push(odata`severity eq ${query.severity}`);
  if (query.outcome) parts.push(odata`outcome eq ${query.outcome}`);
  if (query.state !== 'all') parts.push(odata`state eq ${query.state}`);
  return parts.join(' and ');
}

/** Every problem of a query, each as "<parameter>: <what is wrong>" — named as the caller names it (`rule`, `--rule`). */
export function describeQueryError(error: z.ZodError, prefix: (parameter: string) => string): string {
  return error.issues.map((issue) => `${prefix(String(issue.path[0] ?? 'query'))}: ${issue.message}`).join('; ');
}
