import { idKey } from '../armModel/armId.js';

/**
 * One partition per VM, so a VM's summary and findings are written in one entity-group transaction (one partition,
 * one table, at most 100 operations: 1 summary + at most ~40 findings). ARM ids are case-insensitive and contain
 * `/`, which keys forbid: the key is the lower-cased id, URI-encoded (`/`, `\`, `#` and `?` all encode).
 */
export function vmPartitionKey(vmId: string): string {
  return encodeURIComponent(idKey(vmId));
}

export const SUMMARY_ROW = 'vm';
export const FINDING_ROW_PREFIX = 'finding|';
/** The first key after every `finding|...` key (`}` sorts after `|`). */
export const FINDING_ROW_END = 'finding}';

export function findingRowKey(ruleId: string): string {
  return `${FINDING_ROW_PREFIX}${ruleId}`;
}

/**
 * Index partitions live in the same table as the VM partitions (which start with `%2F`, an encoded id): every index
 * partition key starts with `ix.`, so the two never meet. See docs/storage-layout.md for what each holds and why.
 */
export type FindingState = 'open' | 'resolved' | 'exempted';
/**
 * A subscription is no dimension of its own: pointers are keyed by VM, whose key starts with its subscription and
 * resource group, so a subscription's findings are a key range of each severity's partition (scopeKeyPrefix).
 */
export type FindingDimension = 'rule' | 'sev';

/** Pointers to finding rows, one partition per state and value of a dimension; row key `<vmKey>|<ruleId>`. */
export function findingIndexPartition(state: FindingState, dimension: FindingDimension, value: string): string {
  return `ix.find.${state}.${dimension}.${encodeURIComponent(value.toLowerCase())}`;
}
export function findingIndexRowKey(vmKey: string, ruleId: string): string {
  return `${vmKey}|${ruleId}`;
}

/** The row-key prefix shared by every VM of a subscription (and resource group): VM keys start with their id. */
export function scopeKeyPrefix(subscriptionId: string, resourceGroup?: string): string {
  const path = `/subscriptions/${subscriptionId}/${resourceGroup !== undefined ? `resourcegroups/${resourceGroup}/` : ''}`;
  return encodeURIComponent(path.toLowerCase());
}

/** The first key after every key that starts with `prefix` (for `RowKey ge prefix and RowKey lt end`). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

export const NAME_INDEX_PREFIX = 'ix.name.';
export const nameIndexPartition = (vmName: string) => `${NAME_INDEX_PREFIX}${encodeURIComponent(vmName.toLowerCase())}`;
export const itemIndexPartition = (protectedItemId: string) => `ix.item.${encodeURIComponent(idKey(protectedItemId))}`;
export const policyIndexPartition = (policyId: string) => `ix.policy.${encodeURIComponent(idKey(policyId))}`;

/** One narrow projection row per VM (row key: its VM key) and the subscription's aggregate, in one partition. */
export const projectionPartition = (subscriptionId: string) => `ix.vm.${subscriptionId.toLowerCase()}`;
/** Sorts after every VM key (`%...`): reading a subscription's projections in key order meets it last. */
export const AGGREGATE_ROW = '~aggregate';
/** Every subscription the store has seen (row key: the subscription id): what a fleet summary adds up. */
export const SUBSCRIPTIONS_PARTITION = 'ix.subs';
/** VMs an event marked for the drift sweep (row key: VM key). One partition: the sweep reads it in one request. */
export const DIRTY_PARTITION = 'ix.dirty';
/** A changed backup policy's dirty mark (in DIRTY_PARTITION): VM keys start with `%`, so the two never meet. */
export const policyDirtyKey = (policyId: string) => `policy|${encodeURIComponent(idKey(policyId))}`;
/** Alert intents by state; row key `<time>|<vmKey>|<outbox row key>` (pending: next attempt; else: created). */
export const alertIndexPartition = (state: 'pending' | 'delivered' | 'failed' | 'invalid') => `ix.alert.${state}`;
/** Rows that expire on a day (resolved findings, settled alert intents, deleted VMs); row key `<vmKey>|<row key>`. */
export const expiryPartition = (day: string) => `ix.expire.${day}`;
/** The days that have an expiry partition (row key: the day), so retention never probes empty days. */
export const EXPIRY_DAYS_PARTITION = 'ix.expire-days';
/** Progress of the sweep, retention and migration (row keys `sweep`, `retention`, `migration`). */
export const META_PARTITION = 'ix.meta';
/** Old layout: a dirty mark as a row of the VM's own partition. Migration moves it to DIRTY_PARTITION. */
export const LEGACY_DIRTY_ROW = 'dirty';
