import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS } from '../../core/alerts/httpSend.js';
import { loadSettings } from '../../core/runtime/config.js';
import { ARM_TRY_TIMEOUT_MS } from '../../core/inventory/arm/armAccess.js';
import { INVOCATION_DEADLINE_MS } from '../../core/platform/callDeadline.js';

const host = JSON.parse(readFileSync(new URL('../../host.json', import.meta.url), 'utf8')) as { functionTimeout?: string };
const msOf = (timeSpan: string) => {
  const [h, m, s] = timeSpan.split(':').map(Number) as [number, number, number];
  return ((h * 60 + m) * 60 + s) * 1000;
};

describe('host.json functionTimeout', () => {
  it('is set, fits Flex Consumption (default 30 min), and every invocation ends inside it', () => {
    expect(host.functionTimeout).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    const limit = msOf(host.functionTimeout!);
    expect(limit).toBeLessThanOrEqual(30 * 60_000);
    // The sweep: its budget aborts what is in flight, so one try timeout is the most it can overrun.
    const sweep = loadSettings({ FINDINGS_STORAGE: 'UseDevelopmentStorage=true' }).sweep.timeBudgetMs;
    expect(sweep + ARM_TRY_TIMEOUT_MS).toBeLessThan(limit);
    // Events and queue messages run under their own deadline; alert delivery under its run budget plus one send.
    expect(INVOCATION_DEADLINE_MS + ARM_TRY_TIMEOUT_MS).toBeLessThan(limit);
    expect(2 * 60_000 + DEFAULT_TIMEOUT_MS).toBeLessThan(limit);
  });
});
