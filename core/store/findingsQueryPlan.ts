import { odata } from '@azure/data-tables';
import { z } from 'zod';
import { RULES_BY_ID } from '../matrix/rules/index.js';
import { FINDING_ROW_END, FINDING_ROW_PREFIX, findingIndexPartition, prefixEnd, scopeKeyPrefix, vmPartitionKey, type FindingDimension } from './tableKeys.js';

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
  state: z.enum(['open', 'resolved', 'exempted', 'all']).default('open'),
});
export type FindingsQuery = z.infer<typeof findingsQuery>;

/**
 * Where a query's rows are. Either pointer rows in an index partition (a key range of it, and a filter on the
 * facts the pointers carry), or a VM's own partition (for a VM named by id or by name). The most selective key the
 * query has picks the partition, so rows read follow the answer, not the fleet: a VM → its partition; a rule → that
 * rule's partition; otherwise the severity partitions (the one asked for, or all three). A subscription or resource
 * group narrows an index partition to a key range, since pointers are keyed by VM and a VM's key starts with its
 * subscription and group. Open, exempted and resolved findings never share a partition.
 */
export type FindingsSource = { kind: 'index' | 'vm'; partition: string; from?: string; to?: string; filter: string };

const STATES = ['open', 'exempted', 'resolved'] as const;
const SEVERITIES = ['error', 'warning', 'info'] as const;

/** Fragments built with the `odata` template only, joined with `and`. */
function propertyFilter(
  query: FindingsQuery,
  covered: { state?: boolean; rule?: boolean; severity?: boolean; subscription?: boolean; resourceGroup?: boolean },
): string {
  const parts: string[] = [];
  if (query.subscription && !covered.subscription) parts.push(odata`subscriptionId eq ${query.subscription.toLowerCase()}`);
  if (query.resourceGroup && !covered.resourceGroup) parts.push(odata`resourceGroup eq ${query.resourceGroup.toLowerCase()}`);
  if (query.rule && !covered.rule) parts.push(odata`ruleId eq ${query.rule}`);
  if (query.severity && !covered.severity) parts.push(odata`severity eq ${query.severity}`);
  if (query.outcome) parts.push(odata`outcome eq ${query.outcome}`);
  if (query.state !== 'all' && !covered.state) parts.push(odata`state eq ${query.state}`);
  return parts.join(' and ');
}

/**
 * The sources of a validated query, in answer order. `vmKeysNamed` resolves a VM name through the name index;
 * `subscriptions` lists the subscriptions the store has seen (only a resource group without a subscription needs it).
 */
export async function findingsSources(query: FindingsQuery, lookup: SourceLookup): Promise<FindingsSource[]> {
  return (await findingsSourceGroups(query, lookup)).flat();
}

export interface SourceLookup {
  vmKeysNamed(name: string): Promise<string[]>;
  subscriptions(): Promise<string[]>;
}

/**
 * The sources of a query in groups, in answer order: a VM's pointers can be in several sources of one group (a VM
 * with an error and a warning is in two severity partitions), never in two groups. A listing of VMs merges each
 * group by key (vmListing.ts); the findings query reads the sources one after another.
 */
export async function findingsSourceGroups(query: FindingsQuery, lookup: SourceLookup): Promise<FindingsSource[][]> {
  if (query.vm) {
    const keys = query.vm.includes('/') ? [vmPartitionKey(query.vm)] : await lookup.vmKeysNamed(query.vm);
    const filter = propertyFilter(query, {});
    return keys.map((partition) => [{ kind: 'vm', partition, from: FINDING_ROW_PREFIX, to: FINDING_ROW_END, filter }]);
  }
  const states = query.state === 'all' ? STATES : [query.state];
  // The subscriptions whose key ranges the query reads: the one it names; each the store has seen, for a resource
  // group without one (a group's name is unique only within its subscription); or none, the whole partition. A rule's
  // partition is small enough to filter by group instead.
  const scopes: (string | null)[] = query.subscription ? [query.subscription] : query.resourceGroup && !query.rule ? await lookup.subscriptions() : [null];
  const groups: FindingsSource[][] = [];
  for (const state of states)
    for (const scope of scopes) {
      const prefix = scope === null ? null : scopeKeyPrefix(scope, query.resourceGroup);
      const inScope = scope === null ? {} : { subscription: true, resourceGroup: query.resourceGroup !== undefined };
      const source = (dimension: FindingDimension, value: string, covered: Parameters<typeof propertyFilter>[1]): FindingsSource => ({
        kind: 'index',
        partition: findingIndexPartition(state, dimension, value),
        ...(prefix ? { from: prefix, to: prefixEnd(prefix) } : {}),
        filter: propertyFilter(query, { state: true, ...inScope, ...covered }),
      });
      groups.push(
        query.rule
          ? [source('rule', query.rule, { rule: true })]
          : (query.severity ? [query.severity] : SEVERITIES).map((severity) => source('sev', severity, { severity: true })),
      );
    }
  return groups;
}

/** Every problem of a query, each as "<parameter>: <what is wrong>" — named as the caller names it (`rule`, `--rule`). */
export function describeQueryError(error: z.ZodError, prefix: (parameter: string) => string): string {
  return error.issues.map((issue) => `${prefix(String(issue.path[0] ?? 'query'))}: ${issue.message}`).join('; ');
}
