import { describe, expect, it } from 'vitest';
import { cleanInventory, DATA_DISK_ID, type Json } from '../helpers/cleanVm.js';
import { outcomeOf } from '../helpers/evaluateDocument.js';
import { expectRule, propsOf, vmOf } from '../helpers/expectRule.js';

const dataDiskResource = (doc: Json) => doc.disks.find((d: Json) => d.id === DATA_DISK_ID);
const policyProps = (doc: Json) => doc.policies[0].properties;

function makeEnhanced(doc: Json): Json {
  Object.assign(policyProps(doc), {
    policyType: 'V2',
    schedulePolicy: {
      schedulePolicyType: 'SimpleSchedulePolicyV2',
      scheduleRunFrequency: 'Daily',
      dailySchedule: { scheduleRunTimes: ['2023-01-01T02:00:00Z'] },
    },
  });
  return doc;
}

function confidential(size: string, location: string): Json {
  const doc = cleanInventory();
  vmOf(doc).location = location;
  doc.vaults[0].location = location;
  propsOf(doc).hardwareProfile.vmSize = size;
  propsOf(doc).securityProfile = { securityType: 'ConfidentialVM', uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } };
  propsOf(doc).storageProfile.osDisk.managedDisk.securityProfile = { securityEncryptionType: 'DiskWithVMGuestState' };
  return doc;
}

describe('the 2026-03 rules do not exist in 2019-02', () => {
  it('throws when a test asks for one', () => {
    expect(() => outcomeOf(cleanInventory(), '2019-02', 'policy.enhanced-required')).toThrow(/not in edition 2019-02/);
  });
});

describe('policy.enhanced-required', () => {
  it('an Ultra or Premium SSD v2 disk on a Standard policy is an error', () => {
    for (const type of ['UltraSSD_LRS', 'PremiumV2_LRS']) {
      const doc = cleanInventory();
      dataDiskResource(doc).sku.name = type;
      expectRule(doc, '2026-03', 'policy.enhanced-required', 'fail', 'error');
    }
  });
  it('a shared disk on an unprotected VM is a warning', () => {
    const doc = cleanInventory();
    dataDiskResource(doc).properties.maxShares = 3;
    doc.protectedItems = [];
    expectRule(doc, '2026-03', 'policy.enhanced-required', 'fail', 'warning');
  });
  it('passes on an Enhanced policy and without such disks; unknown when the disk resources are missing', () => {
    const doc = makeEnhanced(cleanInventory());
    dataDiskResource(doc).sku.name = 'PremiumV2_LRS';
    expectRule(doc, '2026-03', 'policy.enhanced-required', 'pass');
    expectRule(cleanInventory(), '2026-03', 'policy.enhanced-required', 'pass');
    const missing = cleanInventory();
    missing.disks = [];
    expectRule(missing, '2026-03', 'policy.enhanced-required', 'unknown', 'info');
  });
});

describe('security.data-disk-security-type', () => {
  it('fails a data disk with a TrustedLaunch or ConfidentialVM security type', () => {
    for (const type of ['TrustedLaunch', 'ConfidentialVM_VMGuestStateOnlyEncryptedWithPlatformKey']) {
      const doc = cleanInventory();
      dataDiskResource(doc).properties.securityProfile = { securityType: type };
      expectRule(doc, '2026-03', 'security.data-disk-security-type', 'fail', 'error');
    }
  });
  it('ignores the OS disk; unknown when a data disk resource is missing', () => {
    const doc = cleanInventory();
    doc.disks[0].properties.securityProfile = { securityType: 'TrustedLaunch' };
    expectRule(doc, '2026-03', 'security.data-disk-security-type', 'pass');
    doc.disks = doc.disks.slice(0, 1);
    expectRule(doc, '2026-03', 'security.data-disk-security-type', 'unknown', 'info');
  });
});

describe('security.confidential-vm', () => {
  it('fails a v5 confidential size outside the preview regions, naming both problems', () => {
    const message = expectRule(confidential('Standard_DC4as_v5', 'westeurope'), '2026-03', 'security.confidential-vm', 'fail', 'error');
    expect(message).toMatch(/Standard_DC4as_v5.*westeurope/);
  });
  it('passes an OS disk encrypted with a customer-managed key: platform and customer keys are both supported', () => {
    const doc = confidential('Standard_DC4as_v6', 'uaenorth');
    propsOf(doc).storageProfile.osDisk.managedDisk.securityProfile.diskEncryptionSet = {
      id: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/diskEncryptionSets/des',
    };
    doc.disks[0].properties.securityProfile = {
      securityType: 'ConfidentialVM_DiskEncryptedWithCustomerKey',
      secureVMDiskEncryptionSetId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/diskEncryptionSets/des',
    };
    expectRule(doc, '2026-03', 'security.confidential-vm', 'pass');
  });
  it('fails a Confidential VM without OS disk encryption (VMGuestStateOnly, NonPersistedTPM)', () => {
    for (const type of ['VMGuestStateOnly', 'NonPersistedTPM']) {
      const doc = confidential('Standard_DC4as_v6', 'uaenorth');
      propsOf(doc).storageProfile.osDisk.managedDisk.securityProfile.securityEncryptionType = type;
      const message = expectRule(doc, '2026-03', 'security.confidential-vm', 'fail', 'error');
      expect(message).toContain(`securityEncryptionType ${type}, not DiskWithVMGuestState`);
    }
  });
  it('is unknown when the OS disk encryption type is not in the data, and reads it from the disk resource when the VM model lacks it', () => {
    const doc = confidential('Standard_DC4as_v6', 'uaenorth');
    delete propsOf(doc).storageProfile.osDisk.managedDisk.securityProfile;
    const message = expectRule(doc, '2026-03', 'security.confidential-vm', 'unknown', 'info');
    expect(message).toContain('securityEncryptionType');
    doc.disks[0].properties.securityProfile = { securityType: 'ConfidentialVM_VMGuestStateOnlyEncryptedWithPlatformKey' };
    expectRule(doc, '2026-03', 'security.confidential-vm', 'fail', 'error');
    doc.disks[0].properties.securityProfile = { securityType: 'ConfidentialVM_DiskEncryptedWithPlatformKey' };
    expectRule(doc, '2026-03', 'security.confidential-vm', 'pass');
  });
  it('passes a v6 size in UAE North with platform keys; notApplicable for other VMs; unknown without a location', () => {
    expectRule(confidential('Standard_DC4as_v6', 'UAE North'), '2026-03', 'security.confidential-vm', 'pass');
    expectRule(cleanInventory(), '2026-03', 'security.confidential-vm', 'notApplicable');
    const noLocation = confidential('Standard_DC4as_v6', 'uaenorth');
    delete vmOf(noLocation).location;
    expectRule(noLocation, '2026-03', 'security.confidential-vm', 'unknown', 'info');
  });
});

describe('security.trusted-launch-policy', () => {
  const trustedLaunch = () => {
    const doc = cleanInventory();
    propsOf(doc).securityProfile = { securityType: 'TrustedLaunch', uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } };
    return doc;
  };
  it('reports a Trusted Launch VM on a Standard policy (info) and passes one on an Enhanced policy', () => {
    expectRule(trustedLaunch(), '2026-03', 'security.trusted-launch-policy', 'fail', 'info');
    expectRule(makeEnhanced(trustedLaunch()), '2026-03', 'security.trusted-launch-policy', 'pass');
  });
  it('is notApplicable for other VMs and unprotected ones; unknown when the policy is missing', () => {
    expectRule(cleanInventory(), '2026-03', 'security.trusted-launch-policy', 'notApplicable');
    const unprotected = trustedLaunch();
    unprotected.protectedItems = [];
    expectRule(unprotected, '2026-03', 'security.trusted-launch-policy', 'notApplicable');
    const noPolicy = trustedLaunch();
    noPolicy.policies = [];
    expectRule(noPolicy, '2026-03', 'security.trusted-launch-policy', 'unknown', 'info');
  });
});
