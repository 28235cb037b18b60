import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { purgeExpired } from '../../functions/purgeExpired.js';
import { ConfigError, loadSettings } from '../../core/runtime/config.js';
import { useLiveEnvironment } from '../helpers/liveServices.js';
import { applySynthetic, at, RULE_IDS, SUBSCRIPTIONS, vmIdOf, type SyntheticVm } from '../helpers/syntheticFleet.js';

const env = useLiveEnvironment();
const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
const VM: SyntheticVm = { subscription: SUBSCRIPTIONS[0], resourceGroup: 'rg-app', name: 'vm-retained' };
const [R1, R2] = RULE_IDS as [string, string];

describe('purgeExpired (timer)', () => {
  it('removes what is older than the retention (default 90 days) with the services of the host, and logs what it did', async () => {
    const services = env.services({ now: () => new Date('2027-06-01T00:00:00.000Z') });
    const fails = (...rules: string[]) => rules.map((ruleId) => ({ ruleId, outcome: 'fail' as const, severity: 'error' as const }));
    await applySynthetic(services.store, VM, fails(R1, R2), at(0, '2027-01-01'));
    await applySynthetic(services.store, VM, fails(R2), at(0, '2027-02-01')); // R1 resolved 120 days before "now"
    await applySynthetic(services.store, VM, [], at(0, '2027-05-01')); // R2 resolved 31 days before: kept
    const logs: unknown[][] = [];
    const context = new InvocationContext({ functionName: 'purgeExpired', logHandler: (_level, ...args) => void logs.push(args) });
    await purgeExpired(timer, context);
    expect(logs.map((l) => JSON.stringify(l)).join('\n')).toMatch(/retention run finished.*"retentionDays":90.*"rowsDeleted":[1-9]/);
    expect([...(await services.store.readVm(vmIdOf(VM))).findings.keys()]).toEqual([R2]);
  });
});

describe('RETENTION_DAYS', () => {
  const base = { FINDINGS_STORAGE: 'UseDevelopmentStorage=true' };
  it('defaults to 90 days, takes a whole number of days, and refuses anything else naming the setting', () => {
    expect(loadSettings(base).retentionDays).toBe(90);
    expect(loadSettings({ ...base, RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    for (const bad of ['0', '-5', '1.5', 'ninety']) expect(() => loadSettings({ ...base, RETENTION_DAYS: bad }), bad).toThrow(ConfigError);
    expect(() => loadSettings({ ...base, RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/);
  });
});
