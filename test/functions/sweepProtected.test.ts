import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { sweepProtected } from '../../functions/sweepProtected.js';
import { cleanInventory, VM_ID, type Json } from '../helpers/cleanVm.js';
import { useLiveEnvironment } from '../helpers/liveServices.js';
import { drainSweepQueue } from '../helpers/sweepQueue.js';

const env = useLiveEnvironment();

describe('sweepProtected (timer)', () => {
  it('sweeps the protected fleet with the services of the host, full then incremental, and logs which path it took', async () => {
    const services = env.services();
    const doc: Json = cleanInventory();
    doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
    for (const list of Object.values(doc)) env.arm().put(...(list as Record<string, unknown>[]));
    const logs: unknown[][] = [];
    const context = new InvocationContext({ functionName: 'sweepProtected', logHandler: (_level, ...args) => void logs.push(args) });
    await sweepProtected({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, context);
    expect(logs.map((l) => JSON.stringify(l)).join('\n')).toMatch(
      /sweep finished.*"path":"full","why":"no sweep mark yet","queued":true.*"evaluated":1.*"complete":true/,
    );
    // The work went to the sweep queue: nothing is stored until a worker takes it.
    expect((await services.store.readVm(VM_ID)).summary).toBeNull();
    await drainSweepQueue(services);
    expect([...(await services.store.readVm(VM_ID)).findings.keys()]).toEqual(['compute.min-size']);
    // The next run reads only Resource Graph's changes since the first: the VM's are there, and it still matches.
    logs.splice(0);
    await sweepProtected({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, context);
    expect(logs.map((l) => JSON.stringify(l)).join('\n')).toMatch(/sweep finished.*"path":"incremental".*"evaluated":0.*"complete":true/);
  });
});
