import { it, expect } from 'vitest';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';
import { cleanInventory } from '../helpers/cleanVm.js';
it('check --format json on a terminal is indented and still one JSON document', async () => {
  const doc = cleanInventory();
  doc.virtualMachines[0].zones = ['1'];
  const run = await cli(
    [
      'check',
      tempFiles({ 'a.json': doc, 'b.json': { value: [{ ...cleanInventory().virtualMachines[0], id: `${cleanInventory().virtualMachines[0].id}2` }] } }),
      '--format',
      'json',
      '--matrix',
      '2019-02',
    ],
    { tty: true },
  );
  const parsed = JSON.parse(run.stdout);
  expect(parsed.vms.length).toBe(2);
  expect(run.stdout).toContain('\n    {\n      "id"');
});
