import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as schemas from '../../core/armModel/armSchemas.js';
import { canonicalKeys } from '../../core/armModel/armShape.js';
import { fastValidator } from '../../core/armModel/fastValidate.js';
import { cleanInventory } from '../helpers/cleanVm.js';
import { fixtureBody } from '../helpers/fixtures.js';

const ARM_SCHEMAS = Object.entries(schemas).filter(([name]) => name.startsWith('arm')) as [string, import('zod').ZodType][];

/** Every path of a JSON value, so a property test can replace any one of them. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((v, i) => paths(v, [...prefix, i])) : Object.entries(value).map(([k, v]) => paths(v, [...prefix, k]));
  return [prefix, ...children.flat()];
}

function replaced(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[path[0]!] = replaced((value as Record<string | number, unknown>)[path[0]!], path.slice(1), replacement);
  return copy;
}

describe('the validate-only twin of the ARM schemas', () => {
  it('compiles for every ARM schema (none falls back to zod for valid input)', () => {
    for (const [name, schema] of ARM_SCHEMAS) expect(fastValidator(schema), name).not.toBeNull();
  });

  it('agrees with zod on real resources and on any one field replaced by any JSON value', () => {
    const inventory = cleanInventory();
    const samples: [import('zod').ZodType, unknown][] = [
      [schemas.armVirtualMachine, inventory.virtualMachines[0]],
      [schemas.armDisk, fixtureBody('Disk_Get.json')],
      [schemas.armNetworkInterface, fixtureBody('NetworkInterfaceGet.json')],
      [schemas.armBackupPolicy, fixtureBody('ProtectionPolicies_Get.json')],
      [schemas.armVirtualMachine, fixtureBody('VirtualMachine_Get_InstanceView.json')],
      [schemas.armProtectedItem, inventory.protectedItems[0]],
    ];
    for (const [schema, resource] of samples) {
      const all = paths(resource);
      fc.assert(
        fc.property(fc.constantFrom(...all), fc.jsonValue(), (path, replacement) => {
          const value = canonicalKeys(replaced(resource, path, replacement));
          expect(fastValidator(schema)!(value)).toBe(schema.safeParse(value).success);
        }),
        { numRuns: 300 },
      );
    }
  });
});
