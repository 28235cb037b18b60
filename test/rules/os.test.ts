import { describe, expect, it } from 'vitest';
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
    expectRule(withGuest('Windows Server 2008 Datacenter', 'Microsoft Windows NT 6.0.6003', 'Windows'), '2019-02', 'os.windows-server-version', 'fail', 'error');
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
  it('fails CoreOS and a 32-bit guest', () => {
    expectRule(withImage('CoreOS', 'CoreOS', 'Stable', 'Linux'), '2019-02', 'os.linux-unsupported', 'fail', 'error');
    expectRule(withGuest('ubuntu i686', '14.04', 'Linux'), '2019-02', 'os.linux-unsupported', 'fail', 'error');
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
  it('passes each endorsed distribution, from images and guest reports', () => {
    for (const doc of [
      withImage('RedHat', 'RHEL', '7.4', 'Linux'),
      withImage('OpenLogic', 'CentOS', '7.3', 'Linux'),
      withImage('SUSE', 'SLES', '12-SP3', 'Linux'),
      withImage('credativ', 'Debian', '9', 'Linux'),
      withImage('Oracle', 'Oracle-Linux', '7.3', 'Linux'),
      withGuest('ubuntu', '22.04', 'Linux'),
    ]) {
      expectRule(doc, '2026-03', 'os.linux-endorsed', 'pass');
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
    const message = expectRule(withGuest('almalinux', '9.4', 'Linux'), '2019-02', 'os.enable-at-create', 'fail', 'info');
    expect(message).toMatch(/^almalinux 9\.4 is not in the create-flow list/);
  });
});
