/** C0 and C1 control characters (and DEL), which a terminal may act on: an escape sequence in a VM name can rewrite the screen. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text from input made safe to print: each control character (but tab and newline) is shown as `\uXXXX`. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A copy of a plain-data value with every string escaped: for the text formats, before colour codes are added. */
export function withControlEscaped<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'string' ? escapeControl(v) : v)) as T;
}
