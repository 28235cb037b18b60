/** C0 and C1 control characters (and DEL), which a terminal may act on: an escape sequence in a VM name can rewrite the screen. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text from input made safe to print: each control character (but tab and newline) is shown as `\uXXXX`. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Whether `text` has a character escapeControl rewrites (a test without the /g flag keeps no state between calls). */
const HAS_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * A copy of a plain-data value with every string escaped: for the text formats, before colour codes are added. The
 * copy is what a JSON round trip gives (undefined members and functions left out, in arrays null; numbers that are
 * not finite become null), made by walking the value: a JSON.parse reviver called back for every value of a
 * 10,000-VM report cost more than rendering it.
 */
export function withControlEscaped<T>(value: T): T {
  return escapedCopy(value) as T;
}

function escapedCopy(value: unknown): unknown {
  if (typeof value === 'string') return HAS_CONTROL.test(value) ? escapeControl(value) : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null; // + 0: JSON has no -0
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'string' ? escapeControl(v) : v));
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = escapedCopy(value[i]);
      copy[i] = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item;
    }
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = escapedCopy((value as Record<string, unknown>)[key]);
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    // JSON.parse makes "__proto__" an own member, not the copy's prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}
