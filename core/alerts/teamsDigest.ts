import { SEVERITY_RANK, type Severity } from '../matrix/types.js';
import type { AlertIntent } from './alertIntent.js';
import { countText, fitting, moreBlock, SEVERITY_MARK, titledCard, type CardElement, type TeamsMessage } from './teamsCard.js';

/** The worst severity among what opened or got worse; null when the VM only has resolutions. */
function worstOpen(intent: AlertIntent): Severity | null {
  const ranks = intent.transitions.filter((t) => t.kind !== 'resolved').map((t) => t.severity);
  return ranks.sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a])[0] ?? null;
}

/** One line per VM: its mark, a link (findings API when published, else the portal), what changed, its errors. */
function vmLine(intent: AlertIntent): CardElement {
  const worst = worstOpen(intent);
  const mark = worst ? SEVERITY_MARK[worst].mark : '✅';
  const errors = intent.transitions.filter((t) => t.kind !== 'resolved' && t.severity === 'error').map((t) => t.ruleId);
  const detail = errors.length > 0 ? ` — errors: ${errors.join(', ')}` : '';
  const link = intent.vm.findingsUrl ?? intent.vm.portalUrl;
  return {
    type: 'TextBlock',
    text: `${mark} [${intent.vm.name}](${link}) · ${intent.vm.resourceGroup}: ${countText(intent.transitions)}${detail}`,
    wrap: true,
    spacing: 'Small',
  };
}

/** Sections in the order of their first VM (worst first), VMs in the order given. */
function bySubscription(sorted: readonly AlertIntent[]): Map<string, AlertIntent[]> {
  const groups = new Map<string, AlertIntent[]>();
  for (const intent of sorted) {
    const key = intent.vm.subscriptionId.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), intent]);
  }
  return groups;
}

/**
 * Many VMs for one destination in one delivery run (a sweep, a policy change): one message listing them, grouped by
 * subscription (who owns a subscription is who acts), rather than a card per VM flooding the channel.
 */
export function teamsDigestFor(intents: readonly AlertIntent[], options: { findingsApiUrl?: string | null } = {}): TeamsMessage {
  const all = intents.flatMap((i) => i.transitions);
  const rank = (i: AlertIntent) => {
    const worst = worstOpen(i);
    return worst ? SEVERITY_RANK[worst] : 0;
  };
  const sorted = [...intents].sort((a, b) => rank(b) - rank(a) || a.vm.name.localeCompare(b.vm.name));
  const openedBy = (s: Severity) => all.filter((t) => t.kind !== 'resolved' && t.severity === s).length;
  const title = `Azure VM backup: ${intents.length} VMs changed — ${countText(all)}`;
  const facts = [
    { title: 'VMs', value: String(intents.length) },
    { title: `${SEVERITY_MARK.error.mark} New or worse: errors`, value: String(openedBy('error')) },
    { title: `${SEVERITY_MARK.warning.mark} New or worse: warnings`, value: String(openedBy('warning')) },
    { title: `${SEVERITY_MARK.info.mark} New or worse: info`, value: String(openedBy('info')) },
    { title: '✅ Resolved', value: String(all.filter((t) => t.kind === 'resolved').length) },
  ];
  const more = options.findingsApiUrl ? `${options.findingsApiUrl}findings` : null;
  return fitting(sorted.length, (shown) => {
    const sections = [...bySubscription(sorted.slice(0, shown))].map(
      ([subscription, vms]): CardElement => ({
        type: 'Container',
        separator: true,
        items: [
          { type: 'TextBlock', text: `Subscription ${subscription} · ${vms.length} VM${vms.length === 1 ? '' : 's'}`, wrap: true, weight: 'Bolder' },
          ...vms.map(vmLine),
        ],
      }),
    );
    return titledCard(title, facts, [...sections, ...(shown < sorted.length ? [moreBlock(sorted.length - shown, 'more VM', more)] : [])]);
  });
}
