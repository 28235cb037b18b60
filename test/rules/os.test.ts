import { describe, expect, it } from 'vitest';
import { backedUpAgentless } from '../helpers/agentless.js';
import { cleanInventory, type Json } from '../helpers/cleanVm.js';
import { expectRule, instanceViewOf, propsOf } from '../helpers/expectRule.js';

/** A VM whose OS is known only from the image reference (no guest report). */
function withImage(publisher: string, offer: string, sku: string, osType: 'Windows' | 'Linux'): Json {
  const doc = cleanInventory();
  const p = propsOf(doc);
  p.storageProfile.imageReference = { publisher, offer, sku, version: 'latest' };
  p.storageProfile.osDisk.osType = osType;
  delete p.instanceView.osName;
  delete p.instanceView.osVersion;
  if (osType === 'Linux') p.osProfile = { computerName: 'x', adminUsername: 'x', linuxConfiguration: { provisionVMAgent: true } };
  return doc;
}

function withGuest(osName: string, osVersion: string, osType: 'Windows' | 'Linux'): Json {
  const doc = withImage('contoso', 'custom', 'x', osType);
  delete propsOf(doc).storageProfile.imageReference;
  Object.assign(instanceViewOf(doc), { osName, osVersion });
  return doc;
}

/** Only `osDisk.osType`: the family is known, the distribution and release are not. */
function withOsTypeOnly(osType: 'Windows' | 'Linux'): Json {
  const doc = withGuest('x', 'x', osType);
  delete instanceViewOf(doc).osName;
  delete instanceViewOf(doc).osVersion;
  return doc;
}

function withNoOs(): Json {
  const doc = withOsTypeOnly('Windows');
  delete propsOf(doc).storageProfile.osDisk.osType;
  delete propsOf(doc).osProfile;
  return doc;
}

describe('os.windows-client', () => {
  it('fails a Windows 10 desktop image in 2019-02 (no client is supported)', () => {
    expectRule(withImage('MicrosoftWindowsDesktop', 'Windows-10', 'win10-22h2-pro', 'Windows'), '2019-02', 'os.windows-client', 'fail', 'error');
  });
  it('passes Windows 10 and 11 in 2026-03', () => {
    expectRule(withImage('MicrosoftWindowsDesktop', 'Windows-10', 'win10-22h2-pro', 'Windows'), '2026-03', 'os.windows-client', 'pass');
    expectRule(withGuest('Windows 11 Enterprise', '10.0.22631', 'Windows'), '2026-03', 'os.windows-client', 'pass');
  });
  it('fails Windows 7 in 2026-03', () => {
    expectRule(withImage('MicrosoftWindowsDesktop', 'windows-7', 'win7-enterprise', 'Windows'), '2026-03', 'os.windows-client', 'fail', 'error');
  });
  it('detects a client from the guest report and from a Visual Studio offer', () => {
    expectRule(withGuest('Windows 10 Pro', '10.0.19045', 'Windows'), '2019-02', 'os.windows-client', 'fail', 'error');
    expectRule(withImage('MicrosoftVisualStudio', 'windows10-tvm', '20h2-ent', 'Windows'), '2019-02', 'os.windows-client', 'fail', 'error');
  });
  it('is unknown for a desktop image whose release is not named (2026-03) but fails in 2019-02', () => {
    const doc = withImage('MicrosoftWindowsDesktop', 'office-365', '20h2-evd-o365pp', 'Windows');
    expectRule(doc, '2026-03', 'os.windows-client', 'unknown', 'info');
    expectRule(doc, '2019-02', 'os.windows-client', 'fail', 'error');
  });
  it('passes Windows Server; notApplicable on Linux; unknown when only osType says Windows', () => {
    expectRule(cleanInventory(), '2019-02', 'os.windows-client', 'pass');
    expectRule(withImage('Canonical', 'UbuntuServer', '16.04-LTS', 'Linux'), '2019-02', 'os.windows-client', 'notApplicable');
    expectRule(withOsTypeOnly('Windows'), '2019-02', 'os.windows-client', 'unknown', 'info');
    expectRule(withNoOs(), '2019-02', 'os.windows-client', 'unknown', 'info');
  });
});

describe('os.windows-server-version', () => {
  it('fails Windows Server 2008 (NT 6.0) in 2019-02 as an error', () => {
    expectRule(
      withGuest('Windows Server 2008 Datacenter', 'Microsoft Windows NT 6.0.6003', 'Windows'),
      '2019-02',
      'os.windows-server-version',
      'fail',
      'error',
    );
  });
  it('passes 2008 R2 SP1 in 2019-02 but fails it as a warning in 2026-03', () => {
    const doc = withImage('MicrosoftWindowsServer', 'WindowsServer', '2008-R2-SP1', 'Windows');
    expectRule(doc, '2019-02', 'os.windows-server-version', 'pass');
    expectRule(doc, '2026-03', 'os.windows-server-version', 'fail', 'warning');
  });
  it('reads the release from the NT build when osName names none', () => {
    expectRule(withGuest('Windows Server Datacenter', 'Microsoft Windows NT 10.0.17763.0', 'Windows'), '2026-03', 'os.windows-server-version', 'pass');
    expectRule(withGuest('Windows Server Datacenter', 'Microsoft Windows NT 6.3.9600.0', 'Windows'), '2026-03', 'os.windows-server-version', 'fail', 'warning');
  });
  it('is unknown for a custom Windows image, notApplicable on Linux and Windows clients', () => {
    expectRule(withOsTypeOnly('Windows'), '2019-02', 'os.windows-server-version', 'unknown', 'info');
    expectRule(withImage('Canonical', 'UbuntuServer', '16.04-LTS', 'Linux'), '2019-02', 'os.windows-server-version', 'notApplicable');
    expectRule(withImage('MicrosoftWindowsDesktop', 'Windows-10', 'win10-22h2-pro', 'Windows'), '2019-02', 'os.windows-server-version', 'notApplicable');
  });
});

describe('os.linux-unsupported', () => {
  it('fails CoreOS and a 32-bit guest, saying agent-based backup does not support them', () => {
    expectRule(withImage('CoreOS', 'CoreOS', 'Stable', 'Linux'), '2019-02', 'os.linux-unsupported', 'fail', 'error');
    expectRule(withGuest('ubuntu i686', '14.04', 'Linux'), '2019-02', 'os.linux-unsupported', 'fail', 'error');
    expect(expectRule(withGuest('CoreOS', '2512.3.0', 'Linux'), '2026-03', 'os.linux-unsupported', 'fail', 'error')).toMatch(
      /agent-based backup doesn't support CoreOS Linux/,
    );
    expect(expectRule(withGuest('ubuntu i686', '14.04', 'Linux'), '2026-03', 'os.linux-unsupported', 'fail', 'error')).toMatch(
      /agent-based backup doesn't support 32-bit operating systems/,
    );
  });
  it('passes a guest that reports "Flatcar Container Linux": Flatcar is not CoreOS', () => {
    for (const osName of ['Flatcar Container Linux', 'Flatcar Container Linux by Kinvolk']) {
      expectRule(withGuest(osName, '3975.2.1', 'Linux'), '2026-03', 'os.linux-unsupported', 'pass');
      expectRule(withGuest(osName, '3975.2.1', 'Linux'), '2019-02', 'os.linux-unsupported', 'pass');
    }
    expectRule(withImage('kinvolk', 'flatcar-container-linux-free', 'stable-gen2', 'Linux'), '2026-03', 'os.linux-unsupported', 'pass');
  });
  it('passes Ubuntu; unknown for Linux of unknown distribution; notApplicable on Windows', () => {
    expectRule(withImage('Canonical', 'UbuntuServer', '16.04-LTS', 'Linux'), '2026-03', 'os.linux-unsupported', 'pass');
    expectRule(withOsTypeOnly('Linux'), '2026-03', 'os.linux-unsupported', 'unknown', 'info');
    expectRule(cleanInventory(), '2026-03', 'os.linux-unsupported', 'notApplicable');
  });
});

describe('os.linux-endorsed', () => {
  it('warns for a distribution outside the endorsed list', () => {
    expectRule(withGuest('almalinux', '9.3', 'Linux'), '2019-02', 'os.linux-endorsed', 'fail', 'warning');
  });
  it('passes each distribution Azure endorses today (2026-03), from images and guest reports', () => {
    for (const doc of [
      withImage('almalinux', 'almalinux-x86_64', '9-gen2', 'Linux'),
      withGuest('almalinux', '9.4', 'Linux'),
      withImage('Canonical', 'ubuntu-24_04-lts', 'server', 'Linux'),
      withImage('Debian', 'debian-12', '12-gen2', 'Linux'),
      withImage('kinvolk', 'flatcar-container-linux-free', 'stable-gen2', 'Linux'),
      withGuest('Flatcar Container Linux by Kinvolk', '3975.2.1', 'Linux'),
      withImage('Oracle', 'Oracle-Linux', 'ol810-lvm-gen2', 'Linux'),
      withImage('RedHat', 'RHEL', '9-lvm-gen2', 'Linux'),
      withImage('resf', 'rockylinux-x86_64', '9-base', 'Linux'),
      withGuest('rocky', '9.4', 'Linux'),
      withImage('SUSE', 'sles-15-sp6', 'gen2', 'Linux'),
      withGuest('ubuntu', '22.04', 'Linux'),
    ]) {
      expectRule(doc, '2026-03', 'os.linux-endorsed', 'pass');
    }
  });
  it('warns for CentOS in 2026-03 (no longer endorsed), which passes in 2019-02', () => {
    for (const doc of [withImage('OpenLogic', 'CentOS', '7.3', 'Linux'), withGuest('centos', '7.9.2009', 'Linux')]) {
      expectRule(doc, '2026-03', 'os.linux-endorsed', 'fail', 'warning');
      expectRule(doc, '2019-02', 'os.linux-endorsed', 'pass');
    }
  });
  it('keeps the 2019 list in 2019-02: AlmaLinux, Rocky and Flatcar warn there', () => {
    for (const doc of [
      withGuest('almalinux', '9.3', 'Linux'),
      withGuest('rocky', '9.4', 'Linux'),
      withImage('kinvolk', 'flatcar-container-linux-free', 'stable', 'Linux'),
    ]) {
      expectRule(doc, '2019-02', 'os.linux-endorsed', 'fail', 'warning');
    }
  });
  it('is unknown for a third-party Marketplace image and notApplicable on Windows', () => {
    const doc = withImage('bitnami', 'wordpress', '4-4', 'Linux');
    expectRule(doc, '2019-02', 'os.linux-endorsed', 'unknown', 'info');
    expectRule(cleanInventory(), '2019-02', 'os.linux-endorsed', 'notApplicable');
  });
});

describe('os.enable-at-create', () => {
  it('passes the listed releases', () => {
    expectRule(cleanInventory(), '2019-02', 'os.enable-at-create', 'pass');
    expectRule(withImage('Canonical', 'UbuntuServer', '16.04-LTS', 'Linux'), '2019-02', 'os.enable-at-create', 'pass');
    expectRule(withImage('SUSE', 'SLES', '12-SP3', 'Linux'), '2019-02', 'os.enable-at-create', 'pass');
    expectRule(withGuest('sles', '12.3', 'Linux'), '2019-02', 'os.enable-at-create', 'pass');
    expectRule(withImage('MicrosoftWindowsServer', 'WindowsServer', '2008-R2-SP1', 'Windows'), '2019-02', 'os.enable-at-create', 'pass');
  });
  it('fails (info) a release outside the list, saying to enable backup from the vault', () => {
    const message = expectRule(withImage('Canonical', 'UbuntuServer', '18.04-LTS', 'Linux'), '2019-02', 'os.enable-at-create', 'fail', 'info');
    expect(message).toMatch(/from the Recovery Services vault after the VM is created/);
    expectRule(withImage('MicrosoftWindowsServer', 'WindowsServer', '2016-Datacenter', 'Windows'), '2019-02', 'os.enable-at-create', 'pass');
    expectRule(withGuest('Windows Server 2016 Standard', 'Microsoft Windows NT 10.0.14393.0', 'Windows'), '2019-02', 'os.enable-at-create', 'fail', 'info');
  });
  it('is unknown when only the major version is known, and retired in 2026-03', () => {
    expectRule(withImage('RedHat', 'RHEL', '7-LVM', 'Linux'), '2019-02', 'os.enable-at-create', 'unknown', 'info');
    expectRule(withOsTypeOnly('Linux'), '2019-02', 'os.enable-at-create', 'unknown', 'info');
    expectRule(withImage('Canonical', 'UbuntuServer', '18.04-LTS', 'Linux'), '2026-03', 'os.enable-at-create', 'notApplicable');
  });
});

describe('distributions the matrix does not name', () => {
  it('are outside the create-flow list whatever their version, and labelled as the guest reports them', () => {
    const message = expectRule(withGuest('fedora', '39', 'Linux'), '2019-02', 'os.enable-at-create', 'fail', 'info');
    expect(message).toMatch(/^fedora 39 is not in the create-flow list/);
    expectRule(withGuest('fedora', '39', 'Linux'), '2026-03', 'os.linux-endorsed', 'fail', 'warning');
  });
  it('an endorsed distribution outside the 2019 create-flow list is outside it even when its release is not known', () => {
    expectRule(withImage('kinvolk', 'flatcar-container-linux-free', 'stable', 'Linux'), '2019-02', 'os.enable-at-create', 'fail', 'info');
  });
});

describe('the OS rows under agentless crash-consistent backup (2026-03)', () => {
  const osRules = ['os.windows-client', 'os.windows-server-version', 'os.linux-unsupported', 'os.linux-endorsed'];
  it('are notApplicable, with the reason, when the policy takes only crash-consistent snapshots', () => {
    const coreos = backedUpAgentless(withImage('CoreOS', 'CoreOS', 'Stable', 'Linux'));
    const windows7 = backedUpAgentless(withImage('MicrosoftWindowsDesktop', 'windows-7', 'win7-enterprise', 'Windows'));
    for (const doc of [coreos, windows7]) {
      for (const id of osRules)
        expect(expectRule(doc, '2026-03', id, 'notApplicable')).toMatch(
          /backed up agentless \(policy daily-30d: snapshotConsistencyType OnlyCrashConsistent\); this row binds agent-based backup only/,
        );
    }
    expectRule(backedUpAgentless(withGuest('ubuntu i686', '14.04', 'Linux')), '2026-03', 'os.linux-unsupported', 'notApplicable');
  });
  it('still judge an agent-based (Default) policy, and 2019-02, which has no agentless backup', () => {
    const coreos = backedUpAgentless(withImage('CoreOS', 'CoreOS', 'Stable', 'Linux'));
    expectRule(coreos, '2019-02', 'os.linux-unsupported', 'fail', 'error');
    coreos.policies[0].properties.snapshotConsistencyType = 'Default';
    expectRule(coreos, '2026-03', 'os.linux-unsupported', 'fail', 'error');
  });
  it('still judge a VM whose policy is not in the data (unknown whether it is agentless)', () => {
    const coreos = backedUpAgentless(withImage('CoreOS', 'CoreOS', 'Stable', 'Linux'));
    coreos.policies = [];
    expectRule(coreos, '2026-03', 'os.linux-unsupported', 'fail', 'error');
    expectRule(withOsTypeOnly('Linux'), '2026-03', 'os.linux-endorsed', 'unknown', 'info');
  });
});
