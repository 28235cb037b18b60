import { idKey, parseArmId, type ParsedArmId } from './armId.js';

declare const vmIdBrand: unique symbol;

/**
 * A virtual machine's resource id, parsed once where it enters (an event, the API, the CLI, a queue message) and
 * passed down as is, so the layers below read its parts instead of parsing the string again.
 */
export interface VmId {
  /** The id as ARM spelt it (for display and for ARM calls). */
  readonly id: string;
  /** The id lower-cased: ARM ids compare case-insensitively (see idKey). */
  readonly key: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly [vmIdBrand]: true;
}

/**
 * The VmId of `id` already parsed into `parsed` (for a caller that parsed a resource id before knowing its kind).
 * The resource type is not checked: event ids are checked for their exact shape where they arrive (events/strictIds),
 * and an id from ARM or the store that names something else is answered by ARM (a 404), as it always was.
 */
export function vmIdOf(id: string, parsed: ParsedArmId): VmId | null {
  const { subscriptionId, resourceGroup, name } = parsed;
  if (!subscriptionId || !resourceGroup || !name) return null;
  return { id, key: idKey(id), subscriptionId, resourceGroup, name } as VmId;
}

/** A VM id's parts, or null when `id` lacks a subscription, a resource group or a name. */
export function parseVmId(id: string): VmId | null {
  return vmIdOf(id, parseArmId(id));
}

/** parseVmId for ids that come from ARM or the store, where anything else is a bug, not bad input. */
export function vmIdFrom(id: string): VmId {
  const vmId = parseVmId(id);
  if (!vmId) throw new Error(`not a virtual machine id: ${id}`);
  return vmId;
}
