import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FindingsStore } from '../../core/store/index.js';
import { fittedEvidence, MAX_EVIDENCE_CHARS } from '../../core/store/storableLimits.js';
import { useAzurite, freshTableName } from '../helpers/azurite.js';
import { cleanInventory, RG, VM_ID, type Json } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

const azurite = useAzurite();

/** Two VMs in one file: the clean one, and a broken copy under another id. */
function twoVms(longName: string): Json {
  const doc = cleanInventory();
  const other = structuredClone(doc.virtualMachines[0]);
  other.id = `${RG}/providers/Microsoft.Compute/virtualMachines/${longName}`;
  other.name = longName;
  other.properties.hardwareProfile.vmSize = 'Standard_B1s';
  doc.virtualMachines.push(other);
  return doc;
}

describe('check --store and one unstorable VM', () => {
  it('a VM id over 1 KiB is reported by name; the other VM is stored and printed; exit 3', async () => {
    const table = freshTableName();
    const longName = `vm-${'x'.repeat(1100)}`;
    const dir = tempFiles({ 'vms.json': twoVms(longName) });
    const run = await cli(['check', '--store', azurite.connectionString(), '--table', table, '--format', 'json', join(dir, 'vms.json')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`error: VM ${longName} could not be stored: its id is longer than a table key may be (1 KiB)`);
    expect(JSON.parse(run.stdout).vms).toHaveLength(2);
    const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, table);
    expect((await store.readVm(VM_ID)).summary).not.toBeNull();
  });

  it('evidence over 64 KB is cut to fit, as valid JSON that says so, and stored', async () => {
    const huge = { disks: 'd'.repeat(70_000) };
    const fitted = fittedEvidence(huge);
    expect(JSON.stringify(fitted).length).toBeLessThanOrEqual(MAX_EVIDENCE_CHARS);
    expect(fitted).toMatchObject({ truncated: true, originalChars: JSON.stringify(huge).length });
    const doc = cleanInventory();
    doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
    const evaluation = evaluateDocument(doc, '2026-03')[0]!;
    const failing = evaluation.outcomes.find((o) => o.outcome === 'fail')!;
    failing.evidence = huge;
    const store = FindingsStore.connect({ connectionString: azurite.connectionString() }, freshTableName());
    await store.applyEvaluation(evaluation, {
      location: 'westeurope',
      observedAt: '2026-11-26T10:00:00.000Z',
      trigger: { kind: 'cli' },
      now: '2026-11-26T10:00:00.000Z',
    });
    const row = (await store.readVm(VM_ID)).findings.get(failing.ruleId)!;
    expect(JSON.parse(row.evidence)).toMatchObject({ truncated: true });
  });
});
