import { formatJsonPath, inputPath, parseArmResource } from '../armModel/armShape.js';
import type { InputError } from './inputError.js';
import { emptyInventory, INVENTORY_COLLECTIONS, type Inventory, type InventoryCollection } from './inventory.js';
import { resourceGraphRows } from './resourceGraphResult.js';
import { collectionOfType, COLLECTIONS, declaredType } from './resourceTypes.js';

/** Keys an inventory document may carry besides the collections (metadata people add). */
const INVENTORY_METADATA_KEYS = new Set(['$schema', 'description', 'generatedAt', 'source']);

const MAX_ERRORS_PER_FILE = 20;

export interface ParsedDocument {
  inventory: Inventory;
  errors: InputError[];
  /** Resources of types the checks do not read, skipped from a list (one line per type, with a count). */
  warnings: string[];
}

type Path = (string | number)[];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads one parsed JSON document in any form people export: one resource (`az disk show`, `az backup policy show`,
 * a GET); an array of resources (`az disk list`, `az backup item list`); an ARM list response `{ "value": [...] }`;
 * a Resource Graph result (the REST `{ totalRecords, count, data }`, with `data` as rows or as a `{ columns, rows }`
 * table, or `az graph query`'s `{ count, data, skip_token, total_records }`); an inventory document
 * `{ "virtualMachines": [...], "disks": [...], ... }`; or a REST API example file wrapping one of those.
 * Resources are routed to the inventory by their `type` (else the type their `id` names), so a list may mix types.
 * Never throws: anything no known type fits becomes an error naming the JSON path, and the caller drops the file.
 */
export function parseInventoryDocument(document: unknown, file: string): ParsedDocument {
  const inventory = emptyInventory();
  const errors: InputError[] = [];
  const skipped = new Map<string, number>();
  const error = (path: Path, message: string) => {
    if (errors.length < MAX_ERRORS_PER_FILE) errors.push({ file, path: formatJsonPath(path), message });
  };

  const readResource = (collection: InventoryCollection, value: Record<string, unknown>, path: Path) => {
    const parsed = parseArmResource(COLLECTIONS[collection].schema, value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) error([...path, ...inputPath(value, issue.path)], issue.message);
      return;
    }
    (inventory[collection] as unknown[]).push(parsed.data);
  };

  /** One resource; `inList`: a resource of a type the checks do not read is skipped, not refused (fleet exports mix types). */
  const readAny = (value: unknown, path: Path, inList: boolean) => {
    if (!isObject(value)) return error(path, `expected an ARM resource object, found ${describe(value)}`);
    const type = declaredType(value);
    const collection = collectionOfType(type);
    if (collection !== null) return readResource(collection, value, path);
    if (type !== null && inList) {
      skipped.set(type, (skipped.get(type) ?? 0) + 1);
      return;
    }
    error(path, unknownResourceMessage(value, type));
  };

  /** Typed collections of an inventory document: each entry must be of the collection's kind. */
  const readCollection = (collection: InventoryCollection, list: unknown, path: Path) => {
    const spec = COLLECTIONS[collection];
    if (!Array.isArray(list)) return error(path, `expected an array of ${spec.noun.replace(/^an? /, '')} resources, found ${describe(list)}`);
    for (const [i, item] of list.entries()) {
      if (!isObject(item)) {
        error([...path, i], `expected ${spec.noun} (an ARM resource object), found ${describe(item)}`);
        continue;
      }
      const type = declaredType(item);
      if (type !== null && !spec.types.includes(type))
        error([...path, i], `expected ${spec.noun}, found a resource of type ${item.type ?? type}${typeof item.id === 'string' ? ` (${item.id})` : ''}`);
      else if (type === null) error([...path, i], unknownResourceMessage(item, null, spec.noun));
      else readResource(collection, item, [...path, i]);
    }
  };

  const readForms = (value: unknown, path: Path) => {
    if (Array.isArray(value))
      return value.forEach((item, i) => {
        readAny(item, [...path, i], true);
      });
    if (isObject(value)) {
      const graph = resourceGraphRows(value);
      if (graph !== null) {
        if (typeof graph === 'string') return error([...path, 'data'], graph);
        return graph.rows.forEach((row, i) => {
          readAny(row, [...path, ...graph.path(i)], true);
        });
      }
      if (Array.isArray(value.value) && !('id' in value))
        return value.value.forEach((item, i) => {
          readAny(item, [...path, 'value', i], true);
        });
    }
    readAny(value, path, false);
  };

  try {
    if (isObject(document) && isObject(document.responses)) {
      const ok = (document.responses['200'] ?? document.responses['201']) as unknown;
      if (!isObject(ok) || !('body' in ok)) error(['responses'], 'a REST API example without a 200 or 201 response body');
      else readForms(ok.body, ['responses', '200' in document.responses ? '200' : '201', 'body']);
    } else if (isObject(document) && !('id' in document) && !('value' in document) && resourceGraphRows(document) === null && looksLikeInventory(document)) {
      for (const [key, list] of Object.entries(document)) {
        if ((INVENTORY_COLLECTIONS as readonly string[]).includes(key)) readCollection(key as InventoryCollection, list, [key]);
        else if (!INVENTORY_METADATA_KEYS.has(key)) error([key], `unknown inventory key "${key}": expected ${INVENTORY_COLLECTIONS.join(', ')}`);
      }
      // The document lists diagnostic settings: it vouches that its VMs have no others.
      if ('diagnosticSettings' in document) for (const vm of inventory.virtualMachines) inventory.diagnosticSettingsRead.push(vm.id);
    } else {
      readForms(document, []);
    }
  } catch (thrown) {
    // Schemas do not throw on data; if one ever does, the file is rejected with the reason rather than crashing the run.
    error([], `could not be read: ${(thrown as Error).message}`);
  }
  if (errors.length === 0 && skipped.size > 0 && INVENTORY_COLLECTIONS.every((c) => inventory[c].length === 0)) {
    error([], `no resource of a type vm-backup-guard reads (found ${[...skipped.keys()].join(', ')}); expected ${knownNouns()}`);
  }
  const warnings = [...skipped].map(([type, n]) => `${file}: skipped ${n} resource${n === 1 ? '' : 's'} of type ${type} (not read by any check)`);
  return { inventory: errors.length > 0 ? emptyInventory() : inventory, errors, warnings: errors.length > 0 ? [] : warnings };
}

function looksLikeInventory(document: Record<string, unknown>): boolean {
  const keys = Object.keys(document);
  return (
    keys.length === 0 ||
    keys.some((k) => (INVENTORY_COLLECTIONS as readonly string[]).includes(k)) ||
    !keys.some((k) => ['type', 'properties', 'name', 'location'].includes(k))
  );
}

function knownNouns(): string {
  return `one of: ${Object.values(COLLECTIONS)
    .map((c) => c.noun.replace(/^an? /, ''))
    .join(', ')}`;
}

/** Why an object is not a resource the inventory reads: its type, or a hint when it has neither type nor id. */
function unknownResourceMessage(value: Record<string, unknown>, type: string | null, expected?: string): string {
  const id = typeof value.id === 'string' ? value.id : null;
  if (type !== null)
    return `a resource of type ${typeof value.type === 'string' ? value.type : type}${id ? ` (${id})` : ''}, which no check reads: expected ${expected ?? knownNouns()}`;
  if (id !== null) return `expected ${expected ?? 'an ARM resource'}, found id ${id}, which names no resource type`;
  // A bare instance view (GET .../instanceView) is a common mistake: say how to get the VM with it.
  const hint =
    'vmAgent' in value || ('statuses' in value && 'disks' in value) ? '; this looks like an instance view alone: read the VM with $expand=instanceView' : '';
  return `expected ${expected ?? 'an ARM resource'}: the object has no "id" (and no "type")${hint}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}
