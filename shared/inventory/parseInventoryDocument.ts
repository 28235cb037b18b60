import type { z } from 'zod';
import {
  armBackupPolicy,
  armDisk,
  armLock,
  armNetworkInterface,
  armProtectedItem,
  armPublicIpAddress,
  armStorageAccount,
  armVault,
  armVirtualMachine,
} from '../snapshot/armSchemas.js';
import { formatJsonPath, inputPath, parseArmResource } from '../snapshot/armShape.js';
import { parseArmId } from '../snapshot/armId.js';
import type { InputError } from './inputError.js';
import { emptyInventory, INVENTORY_COLLECTIONS, type Inventory, type InventoryCollection } from './inventory.js';

interface CollectionSpec {
  schema: z.ZodType;
  /** Lower-cased ARM resource types this collection accepts. */
  types: readonly string[];
  noun: string;
}

const COLLECTIONS: Record<InventoryCollection, CollectionSpec> = {
  virtualMachines: { schema: armVirtualMachine, types: ['microsoft.compute/virtualmachines', 'microsoft.compute/virtualmachinescalesets/virtualmachines'], noun: 'a virtual machine' },
  disks: { schema: armDisk, types: ['microsoft.compute/disks'], noun: 'a managed disk' },
  networkInterfaces: { schema: armNetworkInterface, types: ['microsoft.network/networkinterfaces', 'microsoft.compute/virtualmachinescalesets/virtualmachines/networkinterfaces'], noun: 'a network interface' },
  publicIpAddresses: { schema: armPublicIpAddress, types: ['microsoft.network/publicipaddresses'], noun: 'a public IP address' },
  storageAccounts: { schema: armStorageAccount, types: ['microsoft.storage/storageaccounts', 'microsoft.classicstorage/storageaccounts'], noun: 'a storage account' },
  protectedItems: { schema: armProtectedItem, types: ['microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems'], noun: 'a Recovery Services protected item' },
  policies: { schema: armBackupPolicy, types: ['microsoft.recoveryservices/vaults/backuppolicies'], noun: 'a backup policy' },
  vaults: { schema: armVault, types: ['microsoft.recoveryservices/vaults'], noun: 'a Recovery Services vault' },
  locks: { schema: armLock, types: ['microsoft.authorization/locks'], noun: 'a management lock' },
};

/** Keys an inventory document may carry besides the collections (metadata people add). */
const INVENTORY_METADATA_KEYS = new Set(['$schema', 'description', 'generatedAt', 'source']);

const MAX_ERRORS_PER_FILE = 20;

export interface ParsedDocument {
  inventory: Inventory;
  errors: InputError[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads one parsed JSON document in any of the accepted forms: a VM resource; an array of VMs; an ARM list
 * response `{ "value": [...] }`; an inventory document `{ "virtualMachines": [...], "disks": [...], ... }`; or
 * a REST API example file (`{ "responses": { "200": { "body": ... } } }`) wrapping one of those.
 * Never throws: anything else becomes errors naming the JSON path, and the caller drops the whole file.
 */
export function parseInventoryDocument(document: unknown, file: string): ParsedDocument {
  const inventory = emptyInventory();
  const errors: InputError[] = [];
  const error = (path: string, message: string) => {
    if (errors.length < MAX_ERRORS_PER_FILE) errors.push({ file, path, message });
  };

  const readList = (collection: InventoryCollection, list: unknown, path: (string | number)[]) => {
    if (!Array.isArray(list)) {
      error(formatJsonPath(path), `expected an array of ${COLLECTIONS[collection].noun.replace(/^an? /, '')} resources, found ${describe(list)}`);
      return;
    }
    list.forEach((item, i) => readResource(collection, item, [...path, i]));
  };

  const readResource = (collection: InventoryCollection, value: unknown, path: (string | number)[]) => {
    const spec = COLLECTIONS[collection];
    if (!isObject(value)) {
      error(formatJsonPath(path), `expected ${spec.noun} (an ARM resource object), found ${describe(value)}`);
      return;
    }
    const typeProblem = resourceTypeProblem(value, spec);
    if (typeProblem) {
      error(formatJsonPath(path), typeProblem);
      return;
    }
    const parsed = parseArmResource(spec.schema, value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        error(formatJsonPath([...path, ...inputPath(value, issue.path)]), issue.message);
      }
      return;
    }
    (inventory[collection] as unknown[]).push(parsed.data);
  };

  const readVmForms = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) readList('virtualMachines', value, path);
    else if (isObject(value) && Array.isArray(value.value) && !('id' in value)) readList('virtualMachines', value.value, [...path, 'value']);
    else readResource('virtualMachines', value, path);
  };

  try {
    if (isObject(document) && isObject(document.responses)) {
      const ok = (document.responses['200'] ?? document.responses['201']) as unknown;
      if (!isObject(ok) || !('body' in ok)) error('$.responses', 'a REST API example without a 200 or 201 response body');
      else readVmForms(ok.body, ['responses', '200' in document.responses ? '200' : '201', 'body']);
    } else if (isObject(document) && !('id' in document) && !('value' in document) && looksLikeInventory(document)) {
      for (const [key, list] of Object.entries(document)) {
        if ((INVENTORY_COLLECTIONS as readonly string[]).includes(key)) readList(key as InventoryCollection, list, [key]);
        else if (!INVENTORY_METADATA_KEYS.has(key)) error(formatJsonPath([key]), `unknown inventory key "${key}": expected ${INVENTORY_COLLECTIONS.join(', ')}`);
      }
    } else {
      readVmForms(document, []);
    }
  } catch (thrown) {
    // Schemas do not throw on data; if one ever does, the file is rejected with the reason rather than crashing the run.
    error('$', `could not be read: ${(thrown as Error).message}`);
  }
  return { inventory: errors.length > 0 ? emptyInventory() : inventory, errors };
}

function looksLikeInventory(document: Record<string, unknown>): boolean {
  const keys = Object.keys(document);
  return keys.length === 0 || keys.some((k) => (INVENTORY_COLLECTIONS as readonly string[]).includes(k)) || !keys.some((k) => ['type', 'properties', 'name', 'location'].includes(k));
}

/** A resource of the wrong kind (a disk where a VM is expected) is named by its type, not by a schema message. */
function resourceTypeProblem(value: Record<string, unknown>, spec: CollectionSpec): string | null {
  const type = typeof value.type === 'string' ? value.type : null;
  const id = typeof value.id === 'string' ? value.id : null;
  if (type !== null) {
    if (spec.types.includes(type.toLowerCase())) return null;
    return `expected ${spec.noun}, found a resource of type ${type}${id ? ` (${id})` : ''}`;
  }
  if (id === null) {
    // A bare instance view (GET .../instanceView) is a common mistake: say how to get the VM with it.
    const hint = 'vmAgent' in value || ('statuses' in value && 'disks' in value) ? '; this looks like an instance view alone: read the VM with $expand=instanceView' : '';
    return `expected ${spec.noun}: the object has no "id" (and no "type")${hint}`;
  }
  const idType = parseArmId(id).type;
  if (idType !== null && spec.types.includes(idType)) return null;
  return `expected ${spec.noun}, found id ${id}${idType ? ` of type ${idType}` : ''}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}
