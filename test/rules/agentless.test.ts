import { describe, expect, it } from 'vitest';
import { isPremiumStorageCapable, parseVmSizeName, processorOf } from '../../core/matrix/vmSizeName.js';
import { backedUpAgentless } from '../helpers/agentless.js';
import { cleanInventory, DATA_DISK_ID, type Json } from '../helpers/cleanVm.js';
import { outcomeOf } from '../helpers/evaluateDocument.js';
import { expectRule, propsOf } from '../helpers/expectRule.js';

const AGENTLESS_RULES = [
  'agentless.enhanced-policy',
  'agentless.premium-storage-size',
  'agentless.azure-boost-size',
  'agentless.unsupported-disks',
  'agentless.confidential-vm',
];

/** The clean VM (Standard_D2s_v3, Premium SSD disks), backed up agentless: every agentless row accepts it. */
const agentless = (): Json => backedUpAgentless(cleanInventory());
const dataDiskResource = (doc: Json) => doc.disks.find((d: Json) => d.id === DATA_DISK_ID);
const withSize = (doc: Json, size: string) => {
  propsOf(doc).hardwareProfile.vmSize = size;
  return doc;
};
/** The policy is referenced but not in the data: whether backup is agentless is not known. */
const policyMissing = (doc: Json) => {
  doc.policies = [];
  return doc;
};

describe('the agentless rows (2026-03 only)', () => {
  it('pass a supported VM backed up agentless', () => {
    for (const id of AGENTLESS_RULES) expectRule(agentless(), '2026-03', id, 'pass');
  });
  it('are notApplicable for agent-based backup, unprotected VMs and stopped protection, and absent from 2019-02', () => {
    const appConsistent = withSize(cleanInventory(), 'Standard_D2_v3');
    for (const id of AGENTLESS_RULES) {
      expect(expectRule(appConsistent, '2026-03', id, 'notApplicable')).toMatch(
        /agent-based: policy daily-30d does not set snapshotConsistencyType OnlyCrashConsistent/,
      );
      const unprotected = agentless();
      unprotected.protectedItems = [];
      expectRule(unprotected, '2026-03', id, 'notApplicable');
      const stopped = agentless();
      stopped.protectedItems[0].properties.protectionState = 'ProtectionStopped';
      expectRule(stopped, '2026-03', id, 'notApplicable');
      expect(() => outcomeOf(agentless(), '2019-02', id)).toThrow(/not in edition 2019-02/);
    }
  });
});

describe('agentless.enhanced-policy', () => {
  it('fails a Standard policy that asks for crash-consistent snapshots only', () => {
    const doc = agentless();
    Object.assign(doc.policies[0].properties, {
      policyType: 'V1',
      schedulePolicy: { schedulePolicyType: 'SimpleSchedulePolicy', scheduleRunFrequency: 'Daily', scheduleRunTimes: ['2023-01-01T02:00:00Z'] },
    });
    expect(expectRule(doc, '2026-03', 'agentless.enhanced-policy', 'fail', 'error')).toMatch(/supported only with the Enhanced policy/);
    // A Standard policy gives no agentless backup: the agent rows keep judging the VM.
    propsOf(doc).osProfile.windowsConfiguration.provisionVMAgent = false;
    expectRule(doc, '2026-03', 'agent.provisioned', 'fail', 'error');
  });
  it('is unknown when the policy is not in the data or has no schedule', () => {
    expectRule(policyMissing(agentless()), '2026-03', 'agentless.enhanced-policy', 'unknown', 'info');
    const noSchedule = agentless();
    delete noSchedule.policies[0].properties.schedulePolicy;
    expectRule(noSchedule, '2026-03', 'agentless.enhanced-policy', 'unknown', 'info');
  });
});

describe('agentless.premium-storage-size', () => {
  it('fails a size without premium storage ("s" in its name)', () => {
    for (const size of ['Standard_D2_v3', 'Standard_A4_v2', 'Standard_F4', 'Basic_A2']) {
      expect(expectRule(withSize(agentless(), size), '2026-03', 'agentless.premium-storage-size', 'fail', 'error')).toContain(size);
    }
  });
  it('passes premium-storage-capable sizes, old and new names, in any case', () => {
    for (const size of [
      'Standard_DS2_v2',
      'Standard_E4-2s_v3',
      'Standard_D4ads_v5',
      'Standard_B2ms',
      'Standard_NC24ads_A100_v4',
      'standard_d2s_v3',
      'Standard_GS4-8',
    ]) {
      expectRule(withSize(agentless(), size), '2026-03', 'agentless.premium-storage-size', 'pass');
    }
  });
  it('is unknown without a size, or with a name outside Azure naming', () => {
    const noSize = agentless();
    delete propsOf(noSize).hardwareProfile;
    expectRule(noSize, '2026-03', 'agentless.premium-storage-size', 'unknown', 'info');
    expectRule(withSize(agentless(), 'Custom-Large'), '2026-03', 'agentless.premium-storage-size', 'unknown', 'info');
  });
  it('when the policy is missing, passes a size it would accept and is unknown for one it would reject', () => {
    expect(expectRule(policyMissing(agentless()), '2026-03', 'agentless.premium-storage-size', 'pass')).toMatch(/Whether backup is agentless is not known/);
    const message = expectRule(policyMissing(withSize(agentless(), 'Standard_D2_v3')), '2026-03', 'agentless.premium-storage-size', 'unknown', 'info');
    expect(message).toMatch(/^If vm-app-01 is backed up agentless: Standard_D2_v3 is not premium storage capable/);
    expect(outcomeOf(policyMissing(withSize(agentless(), 'Standard_D2_v3')), '2026-03', 'agentless.premium-storage-size').evidence.missing).toEqual([
      expect.stringContaining('backup policy'),
    ]);
  });
});

describe('agentless.azure-boost-size', () => {
  it('fails Intel v6 and later, and AMD v7 and later (Azure Boost)', () => {
    for (const size of ['Standard_D4s_v6', 'Standard_E8ds_v6', 'Standard_D2ls_v6', 'Standard_D4as_v7', 'Standard_F4als_v7', 'Standard_E2ads_v7']) {
      expect(expectRule(withSize(agentless(), size), '2026-03', 'agentless.azure-boost-size', 'fail', 'error')).toMatch(/Azure Boost size/);
    }
  });
  it('passes Intel v5 and earlier, AMD v6 and earlier, and Arm sizes (the row names none)', () => {
    for (const size of ['Standard_D4s_v5', 'Standard_D4as_v6', 'Standard_E4ads_v5', 'Standard_DS2_v2', 'Standard_D4ps_v6']) {
      expectRule(withSize(agentless(), size), '2026-03', 'agentless.azure-boost-size', 'pass');
    }
  });
  it('is unknown without a size', () => {
    const noSize = agentless();
    delete propsOf(noSize).hardwareProfile;
    expectRule(noSize, '2026-03', 'agentless.azure-boost-size', 'unknown', 'info');
  });
});

describe('agentless.unsupported-disks', () => {
  it('fails Ultra, Premium SSD v2, shared and Write Accelerator data disks, naming each', () => {
    const cases: [string, (doc: Json) => void][] = [
      ['Ultra Disk', (doc) => (dataDiskResource(doc).sku.name = 'UltraSSD_LRS')],
      ['Premium SSD v2', (doc) => (dataDiskResource(doc).sku.name = 'PremiumV2_LRS')],
      ['shared disk', (doc) => (dataDiskResource(doc).properties.maxShares = 2)],
      ['Write Accelerator', (doc) => (propsOf(doc).storageProfile.dataDisks[0].writeAcceleratorEnabled = true)],
    ];
    for (const [what, change] of cases) {
      const doc = agentless();
      change(doc);
      expect(expectRule(doc, '2026-03', 'agentless.unsupported-disks', 'fail', 'error')).toContain(`vm-app-01-data0 (${what})`);
    }
  });
  it('fails an ephemeral OS disk', () => {
    const doc = agentless();
    propsOf(doc).storageProfile.osDisk.diffDiskSettings = { option: 'Local', placement: 'ResourceDisk' };
    expect(expectRule(doc, '2026-03', 'agentless.unsupported-disks', 'fail', 'error')).toContain('vm-app-01-os (ephemeral OS disk)');
  });
  it('is unknown when a data disk resource (its sharing) is missing, or there is no storage profile', () => {
    const doc = agentless();
    doc.disks = doc.disks.filter((d: Json) => d.id !== DATA_DISK_ID);
    expectRule(doc, '2026-03', 'agentless.unsupported-disks', 'unknown', 'info');
    const noStorage = agentless();
    delete propsOf(noStorage).storageProfile;
    expectRule(noStorage, '2026-03', 'agentless.unsupported-disks', 'unknown', 'info');
  });
});

describe('agentless.confidential-vm', () => {
  const confidentialAgentless = () => {
    const doc = agentless();
    propsOf(doc).securityProfile = { securityType: 'ConfidentialVM', uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } };
    return doc;
  };
  it('fails a Confidential VM backed up agentless; passes a Trusted Launch VM', () => {
    expectRule(confidentialAgentless(), '2026-03', 'agentless.confidential-vm', 'fail', 'error');
    const trustedLaunch = agentless();
    propsOf(trustedLaunch).securityProfile = { securityType: 'TrustedLaunch' };
    expectRule(trustedLaunch, '2026-03', 'agentless.confidential-vm', 'pass');
  });
  it('is unknown for a Confidential VM whose policy is not in the data', () => {
    expectRule(policyMissing(confidentialAgentless()), '2026-03', 'agentless.confidential-vm', 'unknown', 'info');
  });
});

describe('VM size names', () => {
  it.each([
    ['Standard_D4ads_v5', 'D', 'ads', 5, true, 'amd'],
    ['Standard_DS2_v2', 'DS', '', 2, true, 'intel'],
    ['Standard_E4-2s_v3', 'E', 's', 3, true, 'intel'],
    ['Standard_NC24ads_A100_v4', 'NC', 'ads', 4, true, 'amd'],
    ['Standard_D4ps_v6', 'D', 'ps', 6, true, 'arm'],
    ['Standard_F4', 'F', '', 1, false, 'intel'],
    ['standard_d2s_v3', 'D', 's', 3, true, 'intel'],
  ])('%s → family %s, features %s, v%i', (name, family, features, version, premium, processor) => {
    const size = parseVmSizeName(name)!;
    expect(size).toEqual({ family, features, version });
    expect(isPremiumStorageCapable(size)).toBe(premium);
    expect(processorOf(size)).toBe(processor);
  });
  it('returns null for a name outside the convention', () => {
    expect(parseVmSizeName('Custom-Large')).toBeNull();
    expect(parseVmSizeName('Standard_')).toBeNull();
  });
});
