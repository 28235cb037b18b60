import { z } from 'zod';

/**
 * ARM property names are case-insensitive, and the two places users copy JSON from spell them differently:
 * the REST API says `diskSizeGB` and `publicIPAddress`, `az ... show` says `diskSizeGb` and `publicIpAddress`.
 * `armObject` accepts any casing of the keys it names by copying a differently-cased key to the schema's
 * spelling before validation. Keys it does not name pass through untouched (ARM adds fields all the time).
 */
export function armObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const keys = Object.keys(shape);
  const lowerToKey = new Map(keys.map((k) => [k.toLowerCase(), k]));
  return z.preprocess((value) => withSchemaKeys(value, keys, lowerToKey), z.looseObject(shape));
}

function withSchemaKeys(value: unknown, keys: string[], lowerToKey: Map<string, string>): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  let missing = false;
  for (const key of keys) {
    if (!(key in record)) {
      missing = true;
      break;
    }
  }
  if (!missing) return value;
  let copy: Record<string, unknown> | null = null;
  for (const actual of Object.keys(record)) {
    const wanted = lowerToKey.get(actual.toLowerCase());
    if (wanted !== undefined && wanted !== actual && !(wanted in record)) {
      copy ??= { ...record };
      copy[wanted] = record[actual];
    }
  }
  return copy ?? value;
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
