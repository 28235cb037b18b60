import { describe, expect, it } from 'vitest';
import { FindingsStore } from '../../core/store/index.js';
import { freshTableName, useAzurite } from '../helpers/azurite.js';
import { toOldLayout } from '../helpers/oldLayout.js';
import { cli } from '../helpers/runCliInProcess.js';
import { applySynthetic, at, RULE_IDS, SUBSCRIPTIONS, vmIdOf, type SyntheticVm } from '../helpers/syntheticFleet.js';

const azurite = useAzurite();
const UNREACHABLE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;';
const vm = (name: string): SyntheticVm => ({ subscription: SUBSCRIPTIONS[0], resourceGroup: 'rg-app', name });
const fails = (...rules: string[]) => rules.map((ruleId) => ({ ruleId, outcome: 'fail' as const, severity: 'error' as const }));
const [R1, R2] = RULE_IDS as [string, string];

function newTable() {
  const table = freshTableName();
  return {
    table,
    store: FindingsStore.connect({ connectionString: azurite.connectionString() }, table),
    args: ['--store', azurite.connectionString(), '--table', table],
  };
}
const openFindings = async (args: string[]) => JSON.parse((await cli(['findings', ...args, '--format', 'json'])).stdout).count as number;

describe('vm-backup-guard migrate', () => {
  it('migrates an old-layout store and says what it did; a second run does nothing; --restart runs again', async () => {
    const { table, store, args } = newTable();
    await applySynthetic(store, vm('vm-1'), fails(R1, R2), at(0));
    await applySynthetic(store, vm('vm-2'), fails(R1), at(1));
    await toOldLayout(store, [{ vmId: vmIdOf(vm('vm-2')), at: at(2) }]);
    expect(await openFindings(args)).toBe(0); // the control: unmigrated, the index answers nothing

    const run = await cli(['migrate', ...args]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`migrated table ${table}: 2 VMs indexed; 1 dirty marks moved.\n`);
    expect(await openFindings(args)).toBe(3);
    expect(await store.isDirty(vmIdOf(vm('vm-2')))).toBe(true);

    expect(await cli(['migrate', ...args])).toMatchObject({
      code: 0,
      stdout: `table ${table} is already migrated; nothing to do (--restart runs it again).\n`,
    });
    expect(await cli(['migrate', ...args, '--restart'])).toMatchObject({ code: 0, stdout: `migrated table ${table}: 2 VMs indexed; 0 dirty marks moved.\n` });
    expect(await openFindings(args)).toBe(3);
  });

  it('usage, a missing store (exit 2) and an unreachable one (exit 3)', async () => {
    expect(await cli(['migrate', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: vm-backup-guard migrate') });
    expect(await cli(['migrate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('migrate needs --store <connection-string> or FINDINGS_STORAGE') });
    expect(await cli(['migrate', '--store', 'x', '--bogus'])).toMatchObject({ code: 2 });
    const down = await cli(['migrate', '--store', UNREACHABLE]);
    expect(down.code).toBe(3);
    expect(down.stderr).not.toMatch(/\n\s+at /);
    expect((await cli(['--help'])).stdout).toMatch(/migrate .*\n\s+purge /);
  }, 30_000);
});

describe('vm-backup-guard purge', () => {
  it('removes what is older than --retention-days and keeps the rest', async () => {
    const { table, store, args } = newTable();
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    await applySynthetic(store, vm('vm-1'), fails(R1, R2), daysAgo(200));
    await applySynthetic(store, vm('vm-1'), fails(R2), daysAgo(100)); // R1 resolved 100 days ago
    await applySynthetic(store, vm('vm-2'), fails(R1), daysAgo(50));
    await applySynthetic(store, vm('vm-2'), [], daysAgo(20)); // R1 resolved 20 days ago
    const resolved = async () =>
      JSON.parse((await cli(['findings', ...args, '--state', 'resolved', '--format', 'json'])).stdout).findings.map((f: { vmName: string }) => f.vmName);

    expect(await cli(['purge', ...args, '--retention-days', '365'])).toMatchObject({
      code: 0,
      stdout: `purged table ${table} (retention 365 days): 0 rows removed from 0 VMs over 0 days.\n`,
    });
    expect((await resolved()).sort()).toEqual(['vm-1', 'vm-2']);
    const run = await cli(['purge', ...args]); // the default, 90 days
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^purged table ${table} \\(retention 90 days\\): 1 rows removed from 1 VMs over 1 days\\.\\n$`));
    expect(await resolved()).toEqual(['vm-2']);
    expect(await openFindings(args)).toBe(1);
    expect((await cli(['purge', ...args], { env: { RETENTION_DAYS: '10' } })).stdout).toContain('(retention 10 days): 1 rows removed');
    expect(await resolved()).toEqual([]);
  });

  it('refuses a retention that is not a whole number of days (exit 2) and needs a store', async () => {
    for (const bad of ['0', '-1', '1.5', 'soon']) {
      const run = await cli(['purge', '--store', azurite.connectionString(), `--retention-days=${bad}`]);
      expect(run.code, bad).toBe(2);
      expect(run.stderr).toContain('--retention-days must be a whole number of days');
    }
    expect(await cli(['purge', '--store', azurite.connectionString()], { env: { RETENTION_DAYS: 'x' } })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('RETENTION_DAYS must be'),
    });
    expect(await cli(['purge'])).toMatchObject({ code: 2, stderr: expect.stringContaining('purge needs --store') });
    expect(await cli(['purge', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--retention-days N') });
  });
});
