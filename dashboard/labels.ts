import { h } from './html.js';

/**
 * Every state is a symbol and a word, coloured as well: colour is never the only signal (a colour-blind reader,
 * a monochrome print, a screen reader all get the word).
 */
const SEVERITY: Record<string, [string, string]> = {
  error: ['✖', 'Error'],
  warning: ['▲', 'Warning'],
  info: ['ℹ', 'Info'],
  unknown: ['?', 'Unknown'],
};

export function severityBadge(severity: string, outcome?: string): HTMLElement {
  const key = outcome === 'unknown' ? 'unknown' : severity;
  const [symbol, word] = SEVERITY[key] ?? ['•', key];
  return h('span', { class: `badge sev-${key}` }, h('span', { 'aria-hidden': 'true' }, symbol), ` ${word}`);
}

const RESTORE: Record<string, [string, string]> = {
  available: ['✔', 'Available'],
  limited: ['◐', 'Limited'],
  unavailable: ['✖', 'Unavailable'],
  unknown: ['?', 'Unknown'],
  notApplicable: ['–', 'N/A'],
};

/** A VM that cannot be backed up has no restore path to speak of: say so, rather than "N/A". */
export function restoreWord(method: { status: string; reasons: string[] } | undefined): { status: string; symbol: string; word: string } {
  const status = method?.status ?? 'notApplicable';
  if (status === 'notApplicable' && method?.reasons[0]?.startsWith('cannot be backed up')) return { status: 'unavailable', symbol: '✖', word: 'No backup' };
  const [symbol, word] = RESTORE[status] ?? ['•', status];
  return { status, symbol, word };
}

export function restoreBadge(method: { status: string; reasons: string[] } | undefined): HTMLElement {
  const { status, symbol, word } = restoreWord(method);
  const reasons = method?.reasons.join('; ') || undefined;
  return h('span', { class: `badge restore-${status}`, title: reasons }, h('span', { 'aria-hidden': 'true' }, symbol), ` ${word}`);
}

/** The restore paths the fleet view shows for each VM (the drill-down shows every path the edition has). */
export const RESTORE_COLUMNS = [
  ['createVm', 'Create VM'],
  ['restoreDisks', 'Restore disks'],
  ['replaceDisks', 'Replace disks'],
  ['fileRecovery', 'File recovery'],
  ['crossRegionRestore', 'Cross-region'],
] as const;

export const ALL_RESTORE_METHODS = [...RESTORE_COLUMNS, ['crossSubscriptionRestore', 'Cross-subscription'], ['crossZonalRestore', 'Cross-zone']] as const;

export const STATE_WORD: Record<string, string> = { open: 'Open', exempted: 'Exempted', resolved: 'Resolved' };
