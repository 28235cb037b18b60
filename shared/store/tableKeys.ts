import { idKey } from '../snapshot/armId.js';

/**
 * One partition per VM, so a VM's summary and findings are written in one entity-group transaction (one partition,
 * one table, at most 100 operations: 1 summary + at most ~40 findings). ARM ids are case-insensitive and contain
 * `/`, which keys forbid: the key is the lower-cased id, URI-encoded (`/`, `\`, `#` and `?` all encode).
 */
export function vmPartitionKey(vmId: string): string {
  return encodeURIComponent(idKey(vmId));
}

export const SUMMARY_ROW = 'vm';
/** Marks a VM for the drift sweep (a disk or NIC of it changed). */
export const DIRTY_ROW = 'dirty';
export const FINDING_ROW_PREFIX = 'finding|';
/** The first key after every `finding|...` key (`}` sorts after `|`). */
export const FINDING_ROW_END = 'finding}';

export function findingRowKey(ruleId: string): string {
  return `${FINDING_ROW_PREFIX}${ruleId}`;
}
