import { api } from './api.js';
import { FILTER_NAMES, shareableUrl, type Filters, type View } from './filters.js';
import { h } from './html.js';
import type { Navigate } from './nav.js';
import type { RuleRank, SubscriptionRank } from './types.js';

/**
 * The filters, as a plain form: labelled controls, submitted with Enter or the button; the choices come from the
 * API (subscriptions the store has seen, rules with open findings), and a value from the URL is kept even when
 * it is not among them.
 */
export function filterForm(view: View, navigate: Navigate): HTMLFormElement {
  const f = view.filters;
  const select = (name: keyof Filters, label: string, options: [string, string][]) =>
    h(
      'label',
      {},
      label,
      h(
        'select',
        { name },
        options.map(([value, text]) => h('option', { value, selected: (f[name] ?? '') === value }, text)),
      ),
    );
  const subscription = select('subscription', 'Subscription', [
    ['', 'All subscriptions'],
    ...(f.subscription ? [[f.subscription, f.subscription] as [string, string]] : []),
  ]);
  const rule = select('rule', 'Rule', [['', 'Any rule'], ...(f.rule ? [[f.rule, f.rule] as [string, string]] : [])]);
  const status = h('span', { class: 'muted', role: 'status' });
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Filters',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const data = new FormData(form);
        const filters: Filters = {};
        for (const name of FILTER_NAMES) {
          const value = String(data.get(name) ?? '').trim();
          if (value) filters[name] = value;
        }
        navigate({ filters, vm: null });
      },
    },
    subscription,
    h('label', {}, 'Resource group', h('input', { name: 'resourceGroup', value: f.resourceGroup ?? '', autocomplete: 'off', spellcheck: 'false' })),
    rule,
    select('severity', 'Severity', [
      ['', 'Any severity'],
      ['error', '✖ Error'],
      ['warning', '▲ Warning'],
      ['info', 'ℹ Info'],
    ]),
    select('state', 'State', [
      ['', 'Open (default)'],
      ['exempted', 'Exempted'],
      ['resolved', 'Resolved'],
    ]),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Apply'),
      h('button', { type: 'button', onclick: () => navigate({ filters: {}, vm: null }) }, 'Clear'),
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            const url = shareableUrl(view);
            try {
              await navigator.clipboard.writeText(url);
              status.textContent = 'Link copied (without the function key).';
            } catch {
              status.textContent = url;
            }
          },
        },
        'Copy link to this view',
      ),
      status,
    ),
  );
  void fillOptions(subscription.querySelector('select')!, rule.querySelector('select')!, f);
  return form;
}

/** The choices arrive after the form is usable; a failure leaves the free choices it has (the sections report errors). */
async function fillOptions(subscription: HTMLSelectElement, rule: HTMLSelectElement, f: Filters): Promise<void> {
  const [subs, rules] = await Promise.allSettled([api<{ items: SubscriptionRank[] }>('subscriptions'), api<{ items: RuleRank[] }>('rules')]);
  if (subs.status === 'fulfilled')
    for (const s of subs.value.items) if (s.subscriptionId !== f.subscription) subscription.append(h('option', { value: s.subscriptionId }, s.subscriptionId));
  if (rules.status === 'fulfilled')
    for (const r of rules.value.items) if (r.ruleId !== f.rule) rule.append(h('option', { value: r.ruleId }, `${r.ruleId} (${r.open})`));
}
