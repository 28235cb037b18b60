import { api } from './api.js';
import type { View } from './filters.js';
import { h, table, time } from './html.js';
import { ALL_RESTORE_METHODS, restoreBadge, severityBadge, STATE_WORD } from './labels.js';
import { docsHref, externalLink, viewLink, vmParts, type Navigate } from './nav.js';
import { section } from './section.js';
import type { Exemption, VmReport } from './types.js';

/** One VM: its findings, restore readiness, history and the exemptions that cover it. */
export function renderVmDetail(main: HTMLElement, view: View, navigate: Navigate): Promise<boolean[]> {
  const vmId = view.vm!;
  const parts = vmParts(vmId);
  const back = h('p', {}, viewLink({ filters: view.filters, vm: null }, navigate, '← Fleet overview'));
  const s = section('vm', parts ? `VM ${parts.vmName}` : 'VM');
  main.append(back, s.element);
  return Promise.all([
    s.load(async () => {
      if (!parts) throw new Error(`"${vmId}" is not a VM resource id`);
      const path = `vms/${[parts.subscriptionId, parts.resourceGroup, parts.vmName].map(encodeURIComponent).join('/')}`;
      const [report, exemptions] = await Promise.all([api<VmReport>(path), api<{ exemptions: Exemption[] }>('exemptions')]);
      document.title = `${report.vmName} · VM backup guard`;
      return [facts(report), restoreTable(report), findingsTable(report), exemptionsPart(report, exemptions.exemptions), historyPart(report)];
    }),
  ]);
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function facts(r: VmReport): HTMLElement {
  const rows: [string, Node | string][] = [
    ['Resource id', h('code', { class: 'id' }, r.vmId)],
    ['Subscription', h('code', { class: 'id' }, r.subscriptionId)],
    ['Resource group', r.resourceGroup],
    ['Location', r.location],
    ['State', r.state === 'deleted' ? '✖ Deleted (kept as history)' : 'Present'],
    ['Last evaluated', time(r.lastEvaluatedAt)],
    ['Matrix edition', r.edition],
    ['Open', `${count(r.open.error, 'error')}, ${count(r.open.warning, 'warning')}, ${r.open.info} info, ${r.open.unknown} unknown`],
  ];
  return h(
    'dl',
    { class: 'facts' },
    rows.map(([k, v], i) => h('div', { class: i === 0 ? 'wide' : undefined }, h('dt', {}, k), h('dd', {}, v))),
  );
}

function restoreTable(r: VmReport): HTMLElement {
  const rows = ALL_RESTORE_METHODS.filter(([key]) => r.restore[key] !== undefined).map(([key, label]) => [
    label,
    restoreBadge(r.restore[key]),
    r.restore[key]!.reasons.join('; ') || '—',
  ]);
  return h(
    'div',
    { class: 'block' },
    h('h3', {}, 'Restore readiness'),
    table('Which restore paths will work, and why not', ['Restore path', 'Status', 'Why'], rows, { className: 'restore' }),
  );
}

function findingsTable(r: VmReport): HTMLElement {
  if (r.findings.length === 0) return h('div', { class: 'block' }, h('h3', {}, 'Findings'), h('p', { class: 'empty' }, '✔ No findings: every rule passes.'));
  const rows = r.findings.map((f) => [
    h('span', {}, externalLink(docsHref(f.docs), h('code', {}, f.ruleId))),
    STATE_WORD[f.state] ?? f.state,
    severityBadge(f.severity, f.outcome),
    f.message,
    f.state === 'resolved' && f.resolvedAt
      ? h('span', {}, 'resolved ', time(f.resolvedAt), f.resolvedReason ? ` (${f.resolvedReason})` : '')
      : h('span', {}, 'since ', time(f.openedAt)),
  ]);
  return h(
    'div',
    { class: 'block' },
    h('h3', {}, 'Findings'),
    table(`${r.findings.length} findings: open first, worst first`, ['Rule', 'State', 'Severity', 'What is wrong', 'When'], rows, { className: 'findings' }),
  );
}

/** Exemptions whose scope is this VM, its resource group or its subscription (ids compared as ARM does, ignoring case). */
function exemptionsPart(r: VmReport, all: Exemption[]): HTMLElement {
  const id = r.vmId.toLowerCase();
  const covering = all.filter((e) => id === e.scope.toLowerCase() || id.startsWith(`${e.scope.toLowerCase()}/`));
  const fromFindings = r.findings.filter((f) => f.exemption && !covering.some((e) => e.id.toLowerCase() === f.exemption!.id.toLowerCase()));
  if (covering.length === 0 && fromFindings.length === 0)
    return h('div', { class: 'block' }, h('h3', {}, 'Exemptions'), h('p', { class: 'muted' }, 'No exemption covers this VM.'));
  const rows = [
    ...covering.map((e) => [
      e.id,
      e.category,
      e.rules.join(', '),
      e.reason,
      e.expiresOn ? time(e.expiresOn) : 'never',
      e.scope.split('/').filter(Boolean).length <= 2 ? 'subscription' : e.scope.split('/').filter(Boolean).length <= 4 ? 'resource group' : 'this VM',
    ]),
    ...fromFindings.map((f) => [
      f.exemption!.id,
      f.exemption!.category,
      f.ruleId,
      f.exemption!.reason,
      f.exemption!.expiresOn ? time(f.exemption!.expiresOn) : 'never',
      'a tag or file',
    ]),
  ];
  return h(
    'div',
    { class: 'block' },
    h('h3', {}, 'Exemptions'),
    table('Exemptions that cover this VM', ['Id', 'Kind', 'Rules', 'Reason', 'Expires', 'Scope'], rows, { className: 'exemptions' }),
  );
}

function historyPart(r: VmReport): HTMLElement {
  const entries = [...r.history].reverse();
  return h(
    'div',
    { class: 'block' },
    h('h3', {}, 'History'),
    entries.length === 0
      ? h('p', { class: 'muted' }, 'No changes recorded.')
      : h(
          'ol',
          { class: 'history', reversed: true },
          entries.map((e) =>
            h(
              'li',
              {},
              time(e.at),
              ` (${e.trigger.kind}${e.trigger.id ? ` ${e.trigger.id}` : ''}): `,
              [
                e.opened.length ? `opened ${e.opened.join(', ')}` : '',
                e.resolved.length ? `resolved ${e.resolved.join(', ')}` : '',
                e.changed.length ? `changed ${e.changed.join(', ')}` : '',
              ]
                .filter(Boolean)
                .join('; ') || 'no finding changed',
            ),
          ),
        ),
  );
}
