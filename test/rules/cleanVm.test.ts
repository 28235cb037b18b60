import { describe, expect, it } from 'vitest';
import { getEdition } from '../../core/matrix/editions/index.js';
import { cleanInventory } from '../helpers/cleanVm.js';
import { evaluateDocument } from '../helpers/evaluateDocument.js';

// The baseline every rule test changes one thing of: it must pass every active rule, or those tests prove nothing.
describe('the clean VM', () => {
  // A Windows Server VM makes the Linux rules notApplicable; it has no unmanaged disk and is neither a Confidential nor a Trusted Launch VM;
  // its policy is agent-based, so the agentless rows do not bind it.
  const agentlessRows = [
    'agentless.enhanced-policy',
    'agentless.premium-storage-size',
    'agentless.azure-boost-size',
    'agentless.unsupported-disks',
    'agentless.confidential-vm',
  ];
  // A platform image without a purchase plan: no Marketplace plan to be deprecated.
  const notApplicableByDesign = [
    'compute.deprecated-image',
    'os.linux-unsupported',
    'os.linux-endorsed',
    'storage.unmanaged-firewall',
    'security.confidential-vm',
    'security.trusted-launch-policy',
    ...agentlessRows,
  ];
  for (const edition of ['2019-02', '2026-03']) {
    it(`passes every active rule of ${edition}`, () => {
      const [evaluation] = evaluateDocument(cleanInventory(), edition);
      const active = getEdition(edition)
        .rules.filter((r) => r.retired === null && r.absent === null)
        .map((r) => r.rule.id);
      const notPassing = evaluation!.outcomes.filter((o) => active.includes(o.ruleId) && o.outcome !== 'pass' && !notApplicableByDesign.includes(o.ruleId));
      expect(notPassing.map((o) => `${o.ruleId}: ${o.outcome}: ${o.message}`)).toEqual([]);
      expect(evaluation!.restore.createVm.status).toBe('available');
      expect(evaluation!.restore.replaceDisks.status).toBe('available');
      expect(evaluation!.restore.fileRecovery.status).toBe('available');
    });
  }
});
