import { describe, expect, it } from 'vitest';
import { osFactsOf, type OsEvidence } from '../../core/snapshot/osFacts.js';

const none: OsEvidence = { osName: null, osVersion: null, publisher: null, offer: null, sku: null, osType: null };
const image = (publisher: string, offer: string, sku: string, osType = 'Linux'): OsEvidence => ({ ...none, publisher, offer, sku, osType });
const guest = (osName: string, osVersion: string | null, osType = 'Linux'): OsEvidence => ({ ...none, osName, osVersion, osType });

describe('osFactsOf', () => {
  it.each([
    [image('MicrosoftWindowsServer', 'WindowsServer', '2016-Datacenter', 'Windows'), 'windows-server', '2016', 'datacenter'],
    [image('MicrosoftWindowsServer', 'WindowsServer', '2016-Datacenter-Server-Core', 'Windows'), 'windows-server', '2016', 'datacenter-core'],
    [image('MicrosoftWindowsServer', 'WindowsServer', '2008-R2-SP1', 'Windows'), 'windows-server', '2008-r2-sp1', null],
    [image('MicrosoftWindowsServer', 'WindowsServer', '2012-R2-Datacenter', 'Windows'), 'windows-server', '2012-r2', 'datacenter'],
    [image('MicrosoftWindowsServer', 'WindowsServer', '2022-datacenter-azure-edition', 'Windows'), 'windows-server', '2022', 'datacenter'],
    [image('MicrosoftWindowsDesktop', 'Windows-11', 'win11-23h2-pro', 'Windows'), 'windows-client', '11', null],
    // REST examples: a Windows 10 Trusted Launch sku under a WindowsServer preview offer; a CVM image named by its offer.
    [image('MicrosoftWindowsServer', 'windowsserver-gen2preview-preview', 'windows10-tvm', 'Windows'), 'windows-client', '10', null],
    [image('MicrosoftWindowsServer', '2019-datacenter-cvm', 'windows-cvm', 'Windows'), 'windows-server', '2019', 'datacenter'],
    [image('MicrosoftWindowsDesktop', 'windows-10', '20h2-pro', 'Windows'), 'windows-client', '10', null],
    [image('Canonical', 'UbuntuServer', '16.04-LTS'), 'ubuntu', '16.04', null],
    [image('Canonical', '0001-com-ubuntu-server-focal', '20_04-lts-gen2'), 'ubuntu', '20.04', null],
    [image('Canonical', 'ubuntu-24_04-lts', 'server'), 'ubuntu', '24.04', null],
    [image('RedHat', 'RHEL', '7.4'), 'rhel', '7.4', null],
    [image('RedHat', 'RHEL', '86-gen2'), 'rhel', '8.6', null],
    [image('OpenLogic', 'CentOS', '7_9'), 'centos', '7.9', null],
    [image('SUSE', 'SLES', '12-SP3'), 'sles', '12-sp3', null],
    [image('SUSE', 'sles-15-sp5', 'gen2'), 'sles', '15-sp5', null],
    [image('credativ', 'Debian', '9'), 'debian', '9', null],
    [image('Debian', 'debian-12', '12-gen2'), 'debian', '12', null],
    [image('Oracle', 'Oracle-Linux', 'ol79'), 'oracle-linux', '7.9', null],
    [image('CoreOS', 'CoreOS', 'Stable'), 'coreos', null, null],
    [guest('Windows Server 2019 Datacenter', '10.0.17763', 'Windows'), 'windows-server', '2019', 'datacenter'],
    [guest('Windows Server 2008 R2 Enterprise', '6.1.7601', 'Windows'), 'windows-server', '2008-r2-sp1', null],
    [guest('Windows 10 Enterprise', '10.0.19045', 'Windows'), 'windows-client', '10', null],
    [guest('centos', '7.3.1611'), 'centos', '7.3', null],
    [guest('sles', '12.3'), 'sles', '12-sp3', null],
    [guest('debian', '9.13'), 'debian', '9', null],
    // Azure's endorsed list added AlmaLinux, Rocky Linux and Flatcar: from their guest reports and their publishers' images.
    [guest('almalinux', '9.3'), 'almalinux', '9.3', null],
    [guest('AlmaLinux', '8.10'), 'almalinux', '8.10', null],
    [guest('rocky', '9.4'), 'rocky', '9.4', null],
    [guest('Rocky Linux', '8.9'), 'rocky', '8.9', null],
    [guest('flatcar', '3975.2.1'), 'flatcar', '3975.2', null],
    [image('almalinux', 'almalinux-x86_64', '9-gen2'), 'almalinux', '9', null],
    [image('almalinux', 'almalinux-x86_64', '8_7-gen2'), 'almalinux', '8.7', null],
    [image('resf', 'rockylinux-x86_64', '9-base'), 'rocky', '9', null],
    [image('erockyenterprisesoftwarefoundationinc1653071250513', 'rockylinux-9', 'rockylinux-9'), 'rocky', '9', null],
    [image('kinvolk', 'flatcar-container-linux-free', 'stable-gen2'), 'flatcar', null, null],
    // "Container Linux" is Flatcar's name too: only the word CoreOS means CoreOS.
    [guest('Flatcar Container Linux by Kinvolk', '3815.2.5'), 'flatcar', '3815.2', null],
    [guest('Flatcar Container Linux', '4081.2.0'), 'flatcar', '4081.2', null],
    [guest('Container Linux by CoreOS', '2512.3.0'), 'coreos', '2512.3', null],
    [guest('fedora', '39'), 'other-linux', null, null],
  ])('%o → %s %s', (evidence, distribution, version, edition) => {
    expect(osFactsOf(evidence)).toMatchObject({ distribution, version, edition });
  });

  it('prefers the guest report to the image, and takes the version from the image when the guest gives none', () => {
    expect(osFactsOf({ ...image('Canonical', 'UbuntuServer', '16.04-LTS'), osName: 'ubuntu', osVersion: '18.04' })).toMatchObject({
      version: '18.04',
      source: 'guest',
    });
    expect(osFactsOf({ ...image('Canonical', 'UbuntuServer', '16.04-LTS'), osName: 'ubuntu' })).toMatchObject({ version: '16.04', source: 'guest' });
  });

  it('leaves an unrecognisable or custom image unknown, never guessed', () => {
    expect(osFactsOf(image('bitnami', 'wordpress', '4-4'))).toMatchObject({ family: 'linux', distribution: null, version: null, source: 'osType' });
    expect(osFactsOf({ ...none, osType: 'Windows' })).toMatchObject({ family: 'windows', distribution: null, label: 'Windows (release unknown)' });
    expect(osFactsOf(none)).toMatchObject({ family: null, source: 'none', label: 'OS unknown' });
  });
});
