import type { VmSnapshot } from '../../snapshot/vmSnapshot.js';
import type { RuleDefinition, RuleResult } from '../types.js';
import { agentBasedOnly } from './agentless.js';
import { fail, notApplicable, pass, unknown } from './result.js';

const OS_UNKNOWN_FACTS = ['instanceView.osName', 'storageProfile.imageReference (publisher/offer/sku)', 'storageProfile.osDisk.osType'];

/** Windows Server releases in order; an SP1 release ranks with its base release. */
const SERVER_RELEASES = ['2003', '2008', '2008-r2', '2012', '2012-r2', '2016', '2019', '2022', '2025'];
const serverRank = (version: string) => SERVER_RELEASES.indexOf(version.replace(/-sp1$/, ''));

function unknownOs(s: VmSnapshot): RuleResult {
  return unknown(`The OS of ${s.name} is not known from the data.`, OS_UNKNOWN_FACTS);
}

// The OS rows are agent-based backup's: agentless backups "are operating system agnostic".
export const windowsClient: RuleDefinition = agentBasedOnly({
  id: 'os.windows-client',
  title: 'Windows client OS',
  check(s, e) {
    const os = s.os;
    if (os.family === 'linux') return notApplicable('Linux VM.');
    if (os.family === null) return unknownOs(s);
    if (os.distribution === 'windows-server') return pass(`${os.label} is a server OS.`, { os: os.label });
    if (os.distribution === null)
      return unknown(`${s.name} runs Windows, but the data does not say whether it is a server or a client release.`, [
        'instanceView.osName',
        'storageProfile.imageReference',
      ]);
    const supported = e.params.supportedWindowsClients;
    if (supported.length === 0) return fail(`${os.label} is a Windows client OS: the backup extension does not support Windows clients.`, { os: os.label });
    if (os.version === null)
      return unknown(`${os.label}: the client release is not known, and only Windows ${supported.join(' and ')} (64-bit) are supported.`, [
        'instanceView.osName',
        'storageProfile.imageReference.sku',
      ]);
    if (!supported.includes(os.version) || os.architectureBits === 32) {
      return fail(`${os.label} is not a supported Windows client: only Windows ${supported.join(' and ')} (64-bit) are.`, { os: os.label });
    }
    return pass(`${os.label} is a supported Windows client.`, { os: os.label });
  },
});

export const windowsServerVersion: RuleDefinition = agentBasedOnly({
  id: 'os.windows-server-version',
  title: 'Windows Server release',
  check(s, e) {
    const os = s.os;
    if (os.family === 'linux' || os.distribution === 'windows-client') return notApplicable(`${os.label} is not Windows Server.`);
    if (os.family === null) return unknownOs(s);
    if (os.distribution === null || os.version === null) {
      return unknown(`${s.name} runs Windows, but its release is not known from the data.`, [
        'instanceView.osName/osVersion',
        'storageProfile.imageReference.sku',
      ]);
    }
    const minimum = e.params.minimumWindowsServer;
    const rank = serverRank(os.version);
    if (rank < 0) return unknown(`Windows Server release "${os.version}" is not one this edition knows.`, ['a recognisable Windows Server release']);
    if (rank < serverRank(minimum)) {
      return fail(`${os.label} is older than Windows Server ${minimum.replace('-r2', ' R2')}, the oldest the matrix supports.`, { os: os.label, minimum });
    }
    return pass(`${os.label} is supported.`, { os: os.label });
  },
});

export const linuxUnsupported: RuleDefinition = agentBasedOnly({
  id: 'os.linux-unsupported',
  title: 'Unsupported Linux (CoreOS, 32-bit)',
  check(s) {
    const os = s.os;
    if (os.family === 'windows') return notApplicable('Windows VM.');
    if (os.family === null) return unknownOs(s);
    if (os.distribution === 'coreos') return fail(`${os.label}: agent-based backup doesn't support CoreOS Linux.`, { os: os.label });
    if (os.architectureBits === 32) return fail(`${os.label}: agent-based backup doesn't support 32-bit operating systems.`, { os: os.label });
    if (os.distribution === null)
      return unknown(`${s.name} runs Linux of an unknown distribution.`, ['instanceView.osName', 'storageProfile.imageReference (publisher/offer)']);
    return pass(`${os.label} is neither CoreOS nor 32-bit.`, { os: os.label });
  },
});

export const linuxEndorsed: RuleDefinition = agentBasedOnly({
  id: 'os.linux-endorsed',
  title: 'Linux distribution endorsed by Azure',
  check(s, e) {
    const os = s.os;
    if (os.family === 'windows') return notApplicable('Windows VM.');
    if (os.family === null) return unknownOs(s);
    if (os.distribution === null)
      return unknown(`${s.name} runs Linux of an unknown distribution.`, ['instanceView.osName', 'storageProfile.imageReference (publisher/offer)']);
    if (!e.params.endorsedLinux.includes(os.distribution)) {
      return fail(`${os.label} is not an Azure-endorsed distribution: backup works only if the Azure Linux VM agent runs and supports Python.`, {
        os: os.label,
      });
    }
    return pass(`${os.label} is Azure-endorsed.`, { os: os.label });
  },
});

export const enableAtCreate: RuleDefinition = {
  id: 'os.enable-at-create',
  title: 'Backup can be enabled when the VM is created',
  check(s, e) {
    const list = e.params.enableAtCreate;
    if (list === null) return notApplicable('This edition has no create-flow OS list.');
    const os = s.os;
    if (os.family === null) return unknownOs(s);
    const outside = fail(`${os.label} is not in the create-flow list: enable backup from the Recovery Services vault after the VM is created.`, {
      os: os.label,
    });
    // A distribution the list does not name is outside it whatever its version.
    if (os.distribution === 'windows-client') return outside;
    if (os.family === 'linux' && os.distribution !== null && !(os.distribution in list.linux)) return outside;
    if (os.distribution === null || os.version === null) {
      return unknown(`The OS release of ${s.name} is not known, so whether backup can be enabled at creation is not either.`, [
        'instanceView.osName/osVersion',
        'storageProfile.imageReference.sku',
      ]);
    }
    if (os.distribution === 'windows-server') {
      const entry = list.windowsServer.find((w) => w.version === os.version);
      if (!entry) return outside;
      if (entry.editions === null) return pass(`${os.label} is in the create-flow list.`, { os: os.label });
      if (os.edition === null)
        return unknown(`The Windows Server edition of ${s.name} is not known (the create-flow list names Datacenter only).`, [
          'instanceView.osName',
          'storageProfile.imageReference.sku',
        ]);
      return entry.editions.includes(os.edition) ? pass(`${os.label} is in the create-flow list.`, { os: os.label }) : outside;
    }
    const versions = list.linux[os.distribution];
    if (!versions) return outside;
    if (versions.includes(os.version)) return pass(`${os.label} is in the create-flow list.`, { os: os.label });
    // A version known only by its major number (`7`) cannot be matched against minor releases.
    if (!os.version.includes('.') && !os.version.includes('-') && versions.some((v) => v.startsWith(`${os.version}.`))) {
      return unknown(`${os.label}: only the major version is known; the create-flow list names minor releases.`, ['the minor OS version']);
    }
    return outside;
  },
};

export const osRules = [windowsClient, windowsServerVersion, linuxUnsupported, linuxEndorsed, enableAtCreate];
