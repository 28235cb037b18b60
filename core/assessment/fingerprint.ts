import { createHash } from 'node:crypto';
import type { VmSnapshot } from '../snapshot/vmSnapshot.js';

/** JSON with object keys sorted: the same facts always hash the same, whatever order ARM listed them in. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A hash of everything the rules read about a VM (its snapshot): size, disks, NICs, zones, scale set, power state,
 * OS, protection... Any matrix-relevant drift changes it; nothing else does. The edition is part of it, so changing
 * MATRIX_EDITION re-evaluates the fleet once.
 */
export function fingerprintOf(snapshot: VmSnapshot, edition: string): string {
  return createHash('sha256').update(edition).update('\n').update(stable(snapshot)).digest('hex').slice(0, 32);
}
