import { z } from 'zod';
import { fastValidator } from './fastValidate.js';

/**
 * ARM property names are case-insensitive, and the two places users copy JSON from spell them differently:
 * the REST API says `diskSizeGB` and `publicIPAddress`, `az ... show` says `diskSizeGb` and `publicIpAddress`.
 * Every key an `armObject` schema names is registered here in its schema spelling; `canonicalKeys` rewrites
 * differently-cased keys of the input to that spelling before validation. Keys no schema names pass through
 * untouched (ARM adds fields all the time).
 */
const SCHEMA_KEYS = new Map<string, string>();

export function armObject<Shape extends z.ZodRawShape>(shape: Shape) {
  for (const key of Object.keys(shape)) SCHEMA_KEYS.set(key.toLowerCase(), key);
  // Strip (not loose): zod's output is discarded (see parseArmResource), so copying unknown keys would be wasted work.
  return z.object(shape);
}

const spelling = new Map<string, string | null>();

/** The schema spelling of `key` when it differs from `key`, else null. Memoised: fleets repeat the same keys. */
function respelling(key: string): string | null {
  let known = spelling.get(key);
  if (known === undefined) {
    const canonical = SCHEMA_KEYS.get(key.toLowerCase());
    known = canonical !== undefined && canonical !== key ? canonical : null;
    spelling.set(key, known);
  }
  return known;
}

/**
 * `value` with keys in schema spelling, and empty strings as null. Copy-on-write: objects that need no change are returned as they are, so
 * REST-shaped input (already in schema spelling) is neither copied nor mutated.
 */
export function canonicalKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = canonicalKeys(value[i]);
      if (item !== value[i]) {
        copy ??= value.slice();
        copy[i] = item;
      }
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const key in record) {
    const child = record[key];
    // The az CLI prints "" for some absent values (`az vm create`: "zones": ""); absent is null everywhere else.
    const item = child === '' ? null : canonicalKeys(child);
    const renamed = respelling(key);
    const target = renamed !== null && !(renamed in record) ? renamed : key;
    if (item !== child || target !== key) {
      copy ??= { ...record };
      if (target !== key) delete copy[key];
      copy[target] = item;
    }
  }
  return copy ?? value;
}

/**
 * Validates an ARM resource against `schema` and returns the resource itself (in schema spelling), not zod's copy:
 * the schemas only check types (no transforms), and keeping zod's copies alive doubled the heap of a large run.
 */
export function parseArmResource<S extends z.ZodType>(schema: S, value: unknown): { success: true; data: z.output<S> } | { success: false; error: z.ZodError } {
  const canonical = canonicalKeys(value);
  if (fastValidator(schema)?.(canonical)) return { success: true, data: canonical as z.output<S> };
  const result = schema.safeParse(canonical);
  return result.success ? { success: true, data: canonical as z.output<S> } : { success: false, error: result.error };
}

/** ARM and the CLI write `null` for absent values as often as they omit them; both mean "not set". */
export const optString = z.string().nullish();
export const optNumber = z.number().nullish();
export const optBoolean = z.boolean().nullish();
export const optStringArray = z.array(z.string()).nullish();
/** `{ "id": "..." }` references (subResource). */
export const optRef = armObject({ id: optString }).nullish();

/**
 * Maps a validation path expressed in the schema's key spelling back to the spelling found in the input,
 * so an error names the JSON path the user actually wrote (`diskSizeGb`, not `diskSizeGB`).
 */
export function inputPath(input: unknown, path: readonly PropertyKey[]): (string | number)[] {
  const out: (string | number)[] = [];
  let node: unknown = input;
  for (const segment of path) {
    if (typeof segment === 'number') {
      out.push(segment);
      node = Array.isArray(node) ? node[segment] : undefined;
      continue;
    }
    const wanted = String(segment);
    let actual = wanted;
    if (node !== null && typeof node === 'object' && !Array.isArray(node) && !(wanted in node)) {
      actual = Object.keys(node).find((k) => k.toLowerCase() === wanted.toLowerCase()) ?? wanted;
    }
    out.push(actual);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[actual] : undefined;
  }
  return out;
}

/** `$.value[3].properties.storageProfile` — the notation jq and JSONPath users read. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  let out = '$';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
