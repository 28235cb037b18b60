import type { OsFacts } from './vmSnapshot.js';

export interface OsEvidence {
  osName: string | null;
  osVersion: string | null;
  publisher: string | null;
  offer: string | null;
  sku: string | null;
  osType: string | null;
}

/**
 * What the VM runs, from the most trusted source that says it: the guest agent's report (instance view), then
 * the platform image (publisher/offer/sku), then the OS disk's `osType` (family only). Never a guess: an image
 * known only by id, or a third-party Marketplace image, leaves the distribution and version unknown.
 */
export function osFactsOf(evidence: OsEvidence): OsFacts {
  // Fleets repeat a handful of images and guest reports thousands of times; the answer depends on nothing else.
  const key = `${evidence.osName}\u0000${evidence.osVersion}\u0000${evidence.publisher}\u0000${evidence.offer}\u0000${evidence.sku}\u0000${evidence.osType}`;
  let os = detected.get(key);
  if (os === undefined) {
    if (detected.size >= MAX_REMEMBERED) detected.clear();
    os = detectOsUncached(evidence);
    detected.set(key, os);
  }
  return { ...os };
}

const MAX_REMEMBERED = 10_000;
const detected = new Map<string, OsFacts>();

function detectOsUncached(evidence: OsEvidence): OsFacts {
  const family = familyFromOsType(evidence.osType);
  const fromImage = osFromImage(evidence.publisher, evidence.offer, evidence.sku);
  const fromGuest = osFromGuest(evidence.osName, evidence.osVersion);
  if (fromGuest?.distribution === 'other-linux') {
    // Name a distribution the matrix does not know as the guest reports it ("almalinux 9.4").
    return { ...fromGuest, source: 'guest', label: `${evidence.osName} ${evidence.osVersion ?? ''}`.trim() };
  }
  if (fromGuest) {
    // The guest names the OS; the image may still add a version the agent did not report.
    if (fromGuest.version === null && fromImage && fromImage.distribution === fromGuest.distribution) {
      return finish({ ...fromGuest, version: fromImage.version, edition: fromGuest.edition ?? fromImage.edition }, 'guest');
    }
    return finish(fromGuest, 'guest');
  }
  if (fromImage) return finish(fromImage, 'image');
  if (family) {
    return finish({ family, distribution: null, version: null, edition: null, architectureBits: null }, 'osType');
  }
  return finish({ family: null, distribution: null, version: null, edition: null, architectureBits: null }, 'none');
}

type Partial = Omit<OsFacts, 'source' | 'label'>;

function finish(os: Partial, source: OsFacts['source']): OsFacts {
  return { ...os, source, label: labelOf(os) };
}

function familyFromOsType(osType: string | null): OsFacts['family'] {
  const t = osType?.toLowerCase();
  return t === 'windows' ? 'windows' : t === 'linux' ? 'linux' : null;
}

const DISTRIBUTION_LABELS: Record<string, string> = {
  'windows-server': 'Windows Server',
  'windows-client': 'Windows',
  ubuntu: 'Ubuntu',
  rhel: 'Red Hat Enterprise Linux',
  centos: 'CentOS',
  sles: 'SUSE Linux Enterprise Server',
  debian: 'Debian',
  'oracle-linux': 'Oracle Linux',
  almalinux: 'AlmaLinux',
  rocky: 'Rocky Linux',
  flatcar: 'Flatcar Container Linux',
  coreos: 'CoreOS',
  'other-linux': 'Linux',
};

function labelOf(os: Partial): string {
  if (os.distribution === null) {
    return os.family === 'windows' ? 'Windows (release unknown)' : os.family === 'linux' ? 'Linux (distribution unknown)' : 'OS unknown';
  }
  const name = DISTRIBUTION_LABELS[os.distribution] ?? os.distribution;
  const version =
    os.version === null
      ? '(version unknown)'
      : os.version
          .replace(/-r2/, ' R2')
          .replace(/-sp(\d)/, ' SP$1')
          .replace(/-sp1$/, ' SP1');
  const edition =
    os.edition === null ? '' : ` ${os.edition === 'datacenter-core' ? 'Datacenter Core' : os.edition === 'datacenter' ? 'Datacenter' : 'Standard'}`;
  const bits = os.architectureBits === 32 ? ' (32-bit)' : '';
  return `${name} ${version}${edition}${bits}`;
}

// ---------------------------------------------------------------------------------------------- guest report

/** NT kernel version → Windows Server release; NT 10.0 is told apart by build number. */
function serverReleaseFromNt(ntVersion: string): string | null {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(ntVersion);
  if (!m) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const build = m[3] === undefined ? null : Number(m[3]);
  if (major === 5 && minor === 2) return '2003';
  if (major === 6 && minor === 0) return '2008';
  if (major === 6 && minor === 1) return build !== null && build >= 7601 ? '2008-r2-sp1' : '2008-r2';
  if (major === 6 && minor === 2) return '2012';
  if (major === 6 && minor === 3) return '2012-r2';
  if (major === 10 && build !== null) {
    if (build >= 26100) return '2025';
    if (build >= 20348) return '2022';
    if (build >= 17763) return '2019';
    if (build >= 14393) return '2016';
  }
  return null;
}

function windowsEdition(text: string): string | null {
  if (/datacenter/i.test(text)) return /core/i.test(text) ? 'datacenter-core' : 'datacenter';
  if (/standard/i.test(text)) return 'standard';
  return null;
}

const CLIENT_RELEASE = /(?:^|[^a-z0-9])win(?:dows)?[\s_-]?(7|8\.1|81|8|10|11)(?![0-9])/i;

function clientRelease(text: string): string | null {
  const m = CLIENT_RELEASE.exec(text);
  if (!m) return null;
  return m[1] === '81' ? '8.1' : m[1]!;
}

function bitsFrom(text: string): 32 | 64 | null {
  if (/\b(i[3-6]86|x86(?![-_]?64)|32-?bit)\b/i.test(text)) return 32;
  return null;
}

function osFromGuest(osName: string | null, osVersion: string | null): Partial | null {
  if (!osName) return null;
  const name = osName.trim();
  const text = `${name} ${osVersion ?? ''}`;
  if (/windows/i.test(name)) {
    const server = /windows server\s*(\d{4})(\s*r2)?/i.exec(name);
    if (server || /server/i.test(name)) {
      let version = server ? `${server[1]}${server[2] ? '-r2' : ''}` : null;
      const nt = osVersion ? serverReleaseFromNt(osVersion) : null;
      if (version === null) version = nt;
      else if (version === '2008-r2' && nt === '2008-r2-sp1') version = nt;
      return { family: 'windows', distribution: 'windows-server', version, edition: windowsEdition(name), architectureBits: bitsFrom(text) };
    }
    const client = clientRelease(name);
    if (client) return { family: 'windows', distribution: 'windows-client', version: client, edition: null, architectureBits: bitsFrom(text) };
    return { family: 'windows', distribution: null, version: null, edition: null, architectureBits: bitsFrom(text) };
  }
  const distribution = linuxDistributionFromName(name);
  return {
    family: 'linux',
    distribution,
    version: distribution === null || distribution === 'other-linux' ? null : linuxGuestVersion(distribution, osVersion),
    edition: null,
    architectureBits: bitsFrom(text),
  };
}

function linuxDistributionFromName(name: string): OsFacts['distribution'] {
  const n = name.toLowerCase();
  // Flatcar calls itself "Flatcar Container Linux", CoreOS's old product name: only the word "coreos" means CoreOS.
  if (/flatcar/.test(n)) return 'flatcar';
  if (/alma/.test(n)) return 'almalinux';
  if (/rocky/.test(n)) return 'rocky';
  if (/ubuntu/.test(n)) return 'ubuntu';
  if (/centos/.test(n)) return 'centos';
  if (/red\s*hat|rhel/.test(n)) return 'rhel';
  if (/sles|suse|sle[s_-]/.test(n)) return 'sles';
  if (/debian/.test(n)) return 'debian';
  if (/oracle|^ol$/.test(n)) return 'oracle-linux';
  if (/coreos/.test(n)) return 'coreos';
  return 'other-linux';
}

function linuxGuestVersion(distribution: NonNullable<OsFacts['distribution']>, osVersion: string | null): string | null {
  if (!osVersion) return null;
  const m = /(\d+)(?:\.(\d+))?/.exec(osVersion);
  if (!m) return null;
  const major = m[1]!;
  const minor = m[2];
  switch (distribution) {
    case 'debian':
      return major;
    case 'sles':
      // The agent reports SUSE's VERSION_ID: 12.3 is 12 SP3.
      return minor === undefined || minor === '0' ? major : `${major}-sp${minor}`;
    case 'ubuntu':
      return minor === undefined ? major : `${major}.${minor.padStart(2, '0')}`;
    default:
      return minor === undefined ? major : `${major}.${minor}`;
  }
}

// ---------------------------------------------------------------------------------------------- image reference

function osFromImage(publisher: string | null, offer: string | null, sku: string | null): Partial | null {
  if (!publisher || !offer) return null;
  const p = publisher.toLowerCase();
  const o = offer.toLowerCase();
  const s = (sku ?? '').toLowerCase();
  const both = `${o} ${s}`;

  // The sku names the image most precisely: `windows10-tvm` is a client even under a WindowsServer offer.
  const client = clientRelease(s) ?? (/server|ws20\d\d/.test(o) ? null : clientRelease(o));
  if (p === 'microsoftwindowsdesktop' || (client !== null && !/server|ws20\d\d/.test(s))) {
    return { family: 'windows', distribution: 'windows-client', version: client, edition: null, architectureBits: bitsFrom(both) };
  }
  if (p === 'microsoftwindowsserver' || /ws(20\d\d)/.test(s)) {
    return {
      family: 'windows',
      distribution: 'windows-server',
      version: windowsServerSku(s) ?? windowsServerSku(o),
      edition: windowsEdition(both),
      architectureBits: null,
    };
  }
  switch (p) {
    case 'canonical':
      return linux('ubuntu', ubuntuVersion(o, s));
    case 'redhat':
      return linux('rhel', dottedVersion(s));
    case 'openlogic':
      return o.startsWith('centos') ? linux('centos', dottedVersion(s)) : null;
    case 'suse':
      return linux('sles', slesVersion(o, s));
    case 'credativ':
    case 'debian':
      return linux('debian', /(\d+)/.exec(s)?.[1] ?? /debian-(\d+)/.exec(o)?.[1] ?? null);
    case 'oracle':
      return o.includes('linux') ? linux('oracle-linux', oracleVersion(s)) : null;
    case 'coreos':
      return linux('coreos', null);
    case 'almalinux':
      return linux('almalinux', dottedVersion(s));
    case 'kinvolk':
      // Flatcar's release is the image version (3975.2.1), not the sku (stable, stable-gen2).
      return o.startsWith('flatcar') ? linux('flatcar', null) : null;
    default:
      return isRockyPublisher(p, o) ? linux('rocky', rockyVersion(o, s)) : null;
  }
}

/** Rocky Linux is published by the RESF (`resf`, and its Marketplace id `erockyenterprisesoftwarefoundation…`) and by CIQ. */
function isRockyPublisher(p: string, o: string): boolean {
  if (p === 'resf' || p.startsWith('erockyenterprisesoftwarefoundation')) return true;
  return (p.startsWith('ciq') || p.startsWith('ctrliq')) && o.includes('rocky');
}

/** Rocky skus: `9-base`, `8_10-lvm`, or the version only in the offer/sku name (`rockylinux-9`). */
function rockyVersion(o: string, s: string): string | null {
  const afterName = (text: string) => {
    const m = /rocky(?:linux)?[-_]?(\d+)(?:[-_.](\d+))?/.exec(text);
    return m ? (m[2] === undefined ? m[1]! : `${m[1]}.${m[2]}`) : null;
  };
  return dottedVersion(s) ?? afterName(s) ?? afterName(o);
}

function linux(distribution: NonNullable<OsFacts['distribution']>, version: string | null): Partial {
  return { family: 'linux', distribution, version, edition: null, architectureBits: null };
}

/** `2016-Datacenter`, `2012-R2-Datacenter`, `2008-R2-SP1`, `2019-datacenter-gensecond`, `vs-2019-ent-ws2019`, semi-annual `datacenter-core-1809-...`. */
function windowsServerSku(s: string): string | null {
  const year = /(?:^|ws)(20\d\d)(-r2)?(-sp1)?/.exec(s);
  if (year) return `${year[1]}${year[2] ? '-r2' : ''}${year[3] ? '-sp1' : ''}`;
  const semiAnnual = /(?:^|-)(1709|1803|1809|1903|1909|2004|20h2)(?:-|$)/.exec(s);
  if (semiAnnual) return semiAnnual[1] === '1709' || semiAnnual[1] === '1803' ? '2016' : '2019';
  return null;
}

const UBUNTU_CODENAMES: Record<string, string> = { trusty: '14.04', xenial: '16.04', bionic: '18.04', focal: '20.04', jammy: '22.04', noble: '24.04' };

function ubuntuVersion(o: string, s: string): string | null {
  const fromSku = /^(\d{2})[._](\d{2})/.exec(s);
  if (fromSku) return `${fromSku[1]}.${fromSku[2]}`;
  const fromOffer = /(\d{2})[._](\d{2})/.exec(o);
  if (fromOffer) return `${fromOffer[1]}.${fromOffer[2]}`;
  for (const [codename, version] of Object.entries(UBUNTU_CODENAMES)) if (o.includes(codename)) return version;
  return null;
}

/** RHEL/CentOS skus: `7.4`, `7_9`, `86-gen2` (8.6), `8-lvm` (major only). */
function dottedVersion(s: string): string | null {
  const dotted = /^(\d+)[._](\d+)/.exec(s);
  if (dotted) return `${dotted[1]}.${dotted[2]}`;
  const packed = /^([6-9])(\d)(?:-|$)/.exec(s);
  if (packed) return `${packed[1]}.${packed[2]}`;
  const major = /^(\d+)(?:-|$)/.exec(s);
  return major ? major[1]! : null;
}

function oracleVersion(s: string): string | null {
  const ol = /^ol(\d)(\d+)/.exec(s);
  if (ol) return `${ol[1]}.${ol[2]}`;
  return dottedVersion(s);
}

/** SLES: sku `12-SP3`, `11-SP4`, or offer `sles-15-sp4` with sku `gen2`. */
function slesVersion(o: string, s: string): string | null {
  for (const text of [s, o]) {
    const m = /(\d{2})(?:[-_]?sp(\d))?/.exec(text);
    if (m) return m[2] === undefined ? m[1]! : `${m[1]}-sp${m[2]}`;
  }
  return null;
}
