import { api, type Params } from './api.js';
import type { View } from './filters.js';
import { h, table, time } from './html.js';
import { restoreBadge, RESTORE_COLUMNS, severityBadge } from './labels.js';
import { docsHref, externalLink, shortId, viewLink, type Navigate } from './nav.js';
import { section } from './section.js';
import type { AlertsAnswer, ChangeView, FleetSummary, Page, RuleRank, SubscriptionRank, VmListItem } from './types.js';

/**
 * The fleet view: summary, VMs with open errors (or matching the filters), rules and subscriptions ranked, what
 * changed, failed alert deliveries. Each part is one or two API calls and loads on its own.
 */
export function renderOverview(main: HTMLElement, view: View, navigate: Navigate): Promise<boolean[]> {
  const { filters } = view;
  const scope: Params = { subscription: filters.subscription };
  const parts = [
    summaryPart(scope),
    vmsPart(view, navigate),
    rulesPart(view, navigate),
    subscriptionsPart(view, navigate),
    changesPart(scope, view, navigate),
    alertsPart(view, navigate),
  ];
  main.append(parts[0]!.element, parts[1]!.element, parts[2]!.element, h('div', { class: 'columns' }, parts[3]!.element, parts[5]!.element), parts[4]!.element);
  return Promise.all(parts.map((p) => p.run()));
}

type Part = { element: HTMLElement; run(): Promise<boolean> };

const SUMMARY_ITEMS = [
  ['vms', 'VMs checked', ''],
  ['error', 'Open errors', 'sev-error'],
  ['warning', 'Open warnings', 'sev-warning'],
  ['info', 'Open info', 'sev-info'],
  ['exempted', 'Exempted', 'sev-exempted'],
  ['unknown', 'Unknown', 'sev-unknown'],
] as const;

function summaryPart(scope: Params): Part {
  const s = section('summary', scope.subscription ? `Summary of subscription ${scope.subscription}` : 'Fleet summary');
  return {
    element: s.element,
    run: () =>
      s.load(async () => {
        const summary = await api<FleetSummary>('summary', scope);
        const value: Record<(typeof SUMMARY_ITEMS)[number][0], number> = {
          vms: summary.vms.total - summary.vms.deleted,
          error: summary.findings.bySeverity.error,
          warning: summary.findings.bySeverity.warning,
          info: summary.findings.bySeverity.info,
          exempted: summary.findings.byState.exempted,
          unknown: summary.findings.byOutcome.unknown,
        };
        return [
          h(
            'dl',
            { class: 'summary' },
            SUMMARY_ITEMS.map(([key, label, tone]) => h('div', { class: `tile ${tone}` }, h('dt', {}, label), h('dd', { 'data-count': key }, value[key]))),
          ),
          h(
            'p',
            { class: 'muted' },
            `${summary.vms.withOpenErrors} VMs with open errors; ${summary.vms.deleted} deleted VMs kept as history; ${summary.findings.byState.resolved} resolved findings. Unknown findings (the data lacked a fact) are counted in Info too.`,
          ),
        ];
      }),
  };
}

function vmsPart(view: View, navigate: Navigate): Part {
  const { filters } = view;
  // Without a finding filter the question is the issue's: which VMs have open errors.
  const narrowed = Boolean(filters.rule || filters.severity || filters.state);
  const query: Params = { ...filters, severity: narrowed ? filters.severity : 'error', pageSize: '100' };
  const title = narrowed ? `VMs with ${filters.state ?? 'open'} findings matching the filters` : 'VMs with open errors';
  const s = section('vms', title, 'Restore readiness at a glance; open a VM for its findings, restore paths, history and exemptions.');
  const columns = ['VM', 'Resource group', 'Subscription', 'Open (errors · warnings · info)', ...RESTORE_COLUMNS.map(([, label]) => label)];
  const row = (vm: VmListItem) => [
    viewLink({ filters, vm: vm.vmId }, navigate, vm.vmName),
    vm.resourceGroup,
    h('span', { title: vm.subscriptionId, class: 'nowrap' }, shortId(vm.subscriptionId)),
    h('span', { class: 'counts' }, `${vm.open.error} E · ${vm.open.warning} W · ${vm.open.info} I`),
    ...RESTORE_COLUMNS.map(([key]) => restoreBadge(vm.restore[key])),
  ];
  return {
    element: s.element,
    run: () =>
      s.load(async () => {
        const page = await api<Page<VmListItem>>('vms', query);
        if (page.items.length === 0) return h('p', { class: 'empty' }, '✔ No VM matches.');
        const list = table('', columns, page.items.map(row), { className: 'vms' });
        const caption = list.querySelector('caption')!;
        let shown = page.items.length;
        let token = page.continuationToken;
        const more = h('button', { type: 'button' }, 'Show more VMs');
        const status = h('p', { role: 'status', class: 'muted' });
        const describe = () => {
          caption.textContent = `${shown} VMs${token ? ' so far' : ''}`;
          more.hidden = token === null;
        };
        // The API pages by VM: the next page starts after the last VM shown.
        more.addEventListener('click', async () => {
          more.disabled = true;
          try {
            const next = await api<Page<VmListItem>>('vms', { ...query, continuationToken: token ?? undefined });
            const added = table('', columns, next.items.map(row)).querySelectorAll('tbody tr');
            list.tBodies[0]!.append(...added);
            shown += next.items.length;
            token = next.continuationToken;
            status.textContent = `${next.items.length} more VMs shown.`;
          } catch (error) {
            status.textContent = `Could not load more: ${error instanceof Error ? error.message : String(error)}`;
          } finally {
            more.disabled = false;
            describe();
          }
        });
        describe();
        return [list, more, status];
      }),
  };
}

function rulesPart(view: View, navigate: Navigate): Part {
  const s = section('rules', 'Rules with the most open findings');
  return {
    element: s.element,
    run: () =>
      s.load(async () => {
        const { items } = await api<{ items: RuleRank[] }>('rules', { subscription: view.filters.subscription });
        if (items.length === 0) return h('p', { class: 'empty' }, '✔ No open findings.');
        const rows = items
          .slice(0, 10)
          .map((r) => [
            viewLink({ filters: { ...view.filters, rule: r.ruleId }, vm: null }, navigate, h('code', {}, r.ruleId)),
            r.title,
            String(r.open),
            r.severity ? severityBadge(r.severity) : '—',
            h('span', { class: 'links' }, externalLink(docsHref(r.docs), 'Rule page'), ' ', externalLink(r.matrix, 'Matrix row')),
          ]);
        return table(
          'Top 10 rules by open findings; a rule id filters the VMs by it',
          ['Rule', 'What it checks', 'Open', 'Severity when failing', 'Read more'],
          rows,
          { className: 'rules' },
        );
      }),
  };
}

function subscriptionsPart(view: View, navigate: Navigate): Part {
  const s = section('subscriptions', 'Subscriptions by open errors');
  return {
    element: s.element,
    run: () =>
      s.load(async () => {
        const { items } = await api<{ items: SubscriptionRank[] }>('subscriptions');
        if (items.length === 0) return h('p', { class: 'empty' }, 'No subscription has been checked yet.');
        const rows = items.map((r) => [
          viewLink(
            { filters: { ...view.filters, subscription: r.subscriptionId }, vm: null },
            navigate,
            h('code', { class: 'id' }, r.subscriptionId),
            r.subscriptionId === view.filters.subscription ? ' (selected)' : '',
          ),
          String(r.open.error),
          String(r.withOpenErrors),
          String(r.vms - r.deleted),
          `${r.open.warning} W · ${r.open.info} I · ${r.exempted} exempted`,
        ]);
        return table('A subscription filters the page by it', ['Subscription', 'Open errors', 'VMs with errors', 'VMs', 'Other open'], rows, {
          className: 'subscriptions',
        });
      }),
  };
}

const KINDS = [
  ['opened', 'Opened'],
  ['reopened', 'Reopened'],
  ['resolved', 'Resolved'],
  ['severity-changed', 'Severity changed'],
] as const;

function changesPart(scope: Params, view: View, navigate: Navigate): Part {
  const s = section('changes', 'What changed', 'From each evaluation that opened, reopened, re-graded or resolved a finding.');
  return {
    element: s.element,
    run: () =>
      s.load(async () => {
        const changes = await api<{ since: string; items: ChangeView[]; truncated: boolean }>('changes', { ...scope, days: '7' });
        const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
        const count = (kind: string, since: string) =>
          changes.items.filter((c) => c.at >= since).reduce((n, c) => n + c.transitions.filter((t) => t.kind === kind).length, 0);
        const counts = table(
          `Findings that changed${changes.truncated ? ' (the most recent only: more changed than one answer holds)' : ''}`,
          ['Change', 'Last 24 hours', 'Last 7 days'],
          KINDS.map(([kind, label]) => [
            label,
            h('span', { 'data-change': `${kind}-24h` }, count(kind, dayAgo)),
            h('span', { 'data-change': `${kind}-7d` }, count(kind, changes.since)),
          ]),
          { className: 'changes' },
        );
        const latest = changes.items.slice(0, 12);
        return [
          counts,
          h('h3', {}, 'Latest'),
          latest.length === 0
            ? h('p', { class: 'empty' }, 'Nothing changed in the last 7 days.')
            : h(
                'ul',
                { class: 'changes-list' },
                latest.map((c) =>
                  h(
                    'li',
                    {},
                    time(c.at),
                    ' ',
                    viewLink({ filters: view.filters, vm: c.vmId }, navigate, c.vmName),
                    ': ',
                    c.transitions.map((t, i) => [i > 0 ? ', ' : '', `${t.kind} `, h('code', {}, t.ruleId)]),
                    ` (${c.trigger.kind})`,
                  ),
                ),
              ),
        ];
      }),
  };
}

function alertsPart(view: View, navigate: Navigate): Part {
  const s = section('alerts', 'Failed alert deliveries', 'Alerts a destination refused, or did not accept within 24 hours of retries.');
  return {
    element: s.element,
    run: () =>
      s.load(async () => {
        const answer = await api<AlertsAnswer>('alerts', { state: 'failed' });
        const poisoned = answer.poison.reduce((n, p) => n + p.count, 0);
        const extra = [
          poisoned > 0 ? h('p', { class: 'warning-text' }, `▲ ${poisoned} sweep messages in the poison queue.`) : null,
          answer.invalid.length > 0
            ? h('p', { class: 'warning-text' }, `▲ ${answer.invalid.length} alert intents could not be read and were set aside.`)
            : null,
        ];
        if (answer.items.length === 0) return [h('p', { class: 'empty' }, '✔ No failed deliveries.'), ...extra];
        const rows = answer.items.map((a) => [
          time(a.createdAt),
          viewLink({ filters: view.filters, vm: a.vmId }, navigate, a.vmName),
          Object.entries(a.deliveries)
            .filter(([, d]) => d.state === 'failed')
            .map(([name, d]) => `${name} (${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${d.lastError ? `: ${d.lastError}` : ''})`)
            .join('; '),
          `${a.transitions.length} changes`,
        ]);
        return [table(`${answer.items.length} failed`, ['Created', 'VM', 'Failed destinations', 'Alert'], rows, { className: 'alerts' }), ...extra];
      }),
  };
}
