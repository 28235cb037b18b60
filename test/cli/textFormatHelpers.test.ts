import { describe, expect, it } from 'vitest';
import { escapeControl, withControlEscaped } from '../../cli/format/escapeControl.js';
import { packItems, wrapText } from '../../cli/format/wrap.js';

/** What withControlEscaped gave before it walked the value itself: a JSON round trip with a reviver. */
const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'string' ? escapeControl(v) : v));

describe('withControlEscaped', () => {
  it('copies like a JSON round trip, escaping every string', () => {
    const value = {
      name: 'vm-\u001b[31mred\u001b[0m',
      plain: 'vm-1',
      nested: { list: ['a\u0007', 1, null, undefined, () => 1, Number.NaN, -0, Infinity, true, [{ deep: '\u009b' }]], skipped: undefined, fn: () => 1 },
      when: new Date(0),
      // biome-ignore lint/suspicious/noSparseArray: a hole is one of the values the escaping must survive.
      holes: [, 'x'],
      ['__proto__']: 'own member',
      count: -0,
    };
    Object.defineProperty(value, '__proto__', { value: { polluted: '\u0001' }, enumerable: true });
    const copy = withControlEscaped(value);
    expect(copy).toStrictEqual(roundTrip(value));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.is(copy.count, 0)).toBe(true);
    expect(copy.nested.list).not.toBe(value.nested.list);
  });
});

describe('wrapText and packItems', () => {
  it('count code points, not UTF-16 units, and leave colour codes out', () => {
    const word = (n: number) => '𝄞'.repeat(n);
    expect(wrapText(`  ${word(10)} ${word(10)} \u001b[2mdim\u001b[22m ${'x'.repeat(45)}`, 30, '    ')).toEqual([
      `  ${word(10)} ${word(10)} \u001b[2mdim\u001b[22m`,
      `    ${'x'.repeat(26)}`,
      `    ${'x'.repeat(19)}`,
    ]);
    expect(packItems(['\u001b[32mcreate VM ✔\u001b[39m', 'restore disks ✔', 'file recovery ✘', `${word(12)}`], 40, 'restore: ', '         ')).toEqual([
      'restore: \u001b[32mcreate VM ✔\u001b[39m  restore disks ✔',
      `         file recovery ✘  ${word(12)}`,
    ]);
  });
});
