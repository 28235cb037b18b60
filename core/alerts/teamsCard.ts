import { SEVERITY_RANK, type Severity } from '../matrix/types.js';
import type { AlertIntent, AlertTransition } from './alertIntent.js';

/**
 * Messages for a Teams Workflows webhook ("When a Teams webhook request is received"), which accepts Adaptive Cards
 * only, wrapped in a message envelope. Version 1.4: what Teams renders on desktop, web and mobile alike. Only
 * elements and properties of the 1.4 schema are used (no host extensions such as `msteams`: the schema forbids
 * unknown properties); text stays plain apart from links, which Teams renders in TextBlocks.
 */

export const ADAPTIVE_CARD_VERSION = '1.4';
/** Teams refuses messages over about 28 KB; this bound is on the whole serialized envelope, in UTF-8 bytes. */
export const MAX_TEAMS_MESSAGE_BYTES = 28_000;

export type CardElement =
  | {
      type: 'TextBlock';
      text: string;
      wrap?: boolean;
      size?: 'Small' | 'Default' | 'Medium' | 'Large';
      weight?: 'Lighter' | 'Default' | 'Bolder';
      color?: 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';
      isSubtle?: boolean;
      spacing?: 'None' | 'Small' | 'Default' | 'Medium';
      separator?: boolean;
    }
  | { type: 'FactSet'; facts: { title: string; value: string }[]; spacing?: 'None' | 'Small' | 'Default' | 'Medium' }
  | { type: 'Container'; items: CardElement[]; separator?: boolean; spacing?: 'None' | 'Small' | 'Default' | 'Medium' };

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: typeof ADAPTIVE_CARD_VERSION;
  /** Shown where the card cannot be (notifications, old clients). */
  fallbackText: string;
  body: CardElement[];
  actions?: OpenUrlAction[];
}

export interface TeamsMessage {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }];
}

export function messageBytes(message: TeamsMessage): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8');
}

/**
 * Severity as a word, with colour only in the marker beside it. Theme colours on text fail contrast: `Warning`
 * text on Teams' light theme is about 1.5 : 1, and high-contrast themes repaint it. An emoji keeps its colour in
 * every theme and the word stays in the theme's own text colour, so nothing depends on the colour being seen.
 */
export const SEVERITY_MARK: Record<Severity, { text: string; mark: string }> = {
  error: { text: 'ERROR', mark: '🔴' },
  warning: { text: 'WARNING', mark: '🟠' },
  info: { text: 'INFO', mark: '🔵' },
};
const RESOLVED_MARK = '✅';

const RESOLVED_BECAUSE: Record<string, string> = {
  passed: 'the rule passes now',
  'not-applicable': 'the rule no longer applies to this VM',
  'not-in-edition': 'the matrix edition in use no longer has this rule',
  'vm-deleted': 'the VM was deleted',
};

/** Rule pages are links when they are absolute; the default relative path is shown as text (cards need absolute URLs). */
function docsLink(url: string): string {
  return /^https:\/\//.test(url) ? `[${url.split('/').pop()}](${url})` : url;
}

function kindText(t: AlertTransition): string {
  switch (t.kind) {
    case 'opened':
      return t.outcome === 'unknown' ? 'cannot be checked (facts missing)' : 'new finding';
    case 'reopened':
      if (t.exemption)
        return `finding is back: exemption ${t.exemption.id} ${t.exemptionEnded === 'expired' ? `expired ${t.exemption.expiresOn ?? ''}`.trim() : 'was removed'}`;
      return 'finding is back';
    case 'severity-changed':
      return `severity ${t.previousSeverity ?? '?'} → ${t.severity}`;
    case 'resolved':
      return 'resolved';
  }
}

const MAX_EVIDENCE_FACTS = 6;

/** The facts behind a finding, as a FactSet: plain values as they are, the rest as compact JSON, nulls left out. */
function evidenceFacts(evidence: Record<string, unknown> | undefined): { title: string; value: string }[] {
  if (!evidence) return [];
  return Object.entries(evidence)
    .filter(([, v]) => v !== null && v !== undefined)
    .slice(0, MAX_EVIDENCE_FACTS)
    .map(([title, v]) => ({ title, value: typeof v === 'string' ? v : JSON.stringify(v) }));
}

function transitionBlock(t: AlertTransition): CardElement {
  const resolved = t.kind === 'resolved';
  const heading = resolved
    ? `${RESOLVED_MARK} RESOLVED · ${t.ruleId}`
    : `${SEVERITY_MARK[t.severity].mark} ${SEVERITY_MARK[t.severity].text} · ${kindText(t)} · ${t.ruleId}`;
  const items: CardElement[] = [{ type: 'TextBlock', text: heading, wrap: true, weight: 'Bolder' }];
  // What is wrong, in the finding's own words; intents stored before alerts carried them fall back to the title.
  items.push({ type: 'TextBlock', text: resolved && t.message ? `Was: ${t.message}` : (t.message ?? t.ruleTitle), wrap: true, spacing: 'None' });
  if (t.message) items.push({ type: 'TextBlock', text: `Rule: ${t.ruleTitle}`, wrap: true, isSubtle: true, spacing: 'None' });
  if (t.citation) items.push({ type: 'TextBlock', text: `Matrix: ${t.citation.section} › ${t.citation.row}`, wrap: true, isSubtle: true, spacing: 'None' });
  const facts = resolved ? [] : evidenceFacts(t.evidence);
  if (facts.length > 0) items.push({ type: 'FactSet', facts, spacing: 'Small' });
  items.push(
    resolved
      ? {
          type: 'TextBlock',
          text: `Why resolved: ${RESOLVED_BECAUSE[t.reason ?? ''] ?? t.reason ?? 'no longer found'}.`,
          wrap: true,
          isSubtle: true,
          spacing: 'None',
        }
      : { type: 'TextBlock', text: `What to do: ${docsLink(t.docsUrl)}`, wrap: true, spacing: 'Small' },
  );
  return { type: 'Container', items, separator: true, spacing: 'Medium' };
}

export function countText(transitions: readonly AlertTransition[]): string {
  const count = (kinds: AlertTransition['kind'][]) => transitions.filter((t) => kinds.includes(t.kind)).length;
  const parts = [
    [count(['opened', 'reopened']), 'opened'],
    [count(['severity-changed']), 'changed'],
    [count(['resolved']), 'resolved'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ');
}

function envelope(card: AdaptiveCard): TeamsMessage {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

/** A card with the title as its first, bold line (and as the fallback text), then the facts, then `rest`. */
export function titledCard(title: string, facts: { title: string; value: string }[], rest: CardElement[], actions?: AdaptiveCard['actions']): TeamsMessage {
  return envelope({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    fallbackText: title,
    body: [{ type: 'TextBlock', text: title, wrap: true, size: 'Medium', weight: 'Bolder' }, { type: 'FactSet', facts }, ...rest],
    ...(actions ? { actions } : {}),
  });
}

/**
 * The largest `shown` (0..total) whose message fits, by bisection: a message grows with what it shows, so the
 * predicate is monotone. Everything past it becomes "and N more".
 */
export function fitting(total: number, build: (shown: number) => TeamsMessage): TeamsMessage {
  const full = build(total);
  if (messageBytes(full) <= MAX_TEAMS_MESSAGE_BYTES) return full;
  let low = 0;
  let high = total - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (messageBytes(build(middle)) <= MAX_TEAMS_MESSAGE_BYTES) low = middle;
    else high = middle - 1;
  }
  return build(low);
}

/** Worst severity first, then resolutions: what needs doing leads. */
function byUrgency(a: AlertTransition, b: AlertTransition): number {
  const rank = (t: AlertTransition) => (t.kind === 'resolved' ? 0 : SEVERITY_RANK[t.severity]);
  return rank(b) - rank(a);
}

/** One VM's transitions of one evaluation: one card. */
export function teamsMessageFor(intent: AlertIntent): TeamsMessage {
  const transitions = [...intent.transitions].sort(byUrgency);
  const { vm } = intent;
  const title = `Azure VM backup: ${vm.name} — ${countText(transitions)}`;
  const facts = [
    { title: 'VM', value: vm.name },
    { title: 'Resource group', value: vm.resourceGroup },
    { title: 'Subscription', value: vm.subscriptionId },
    { title: 'Matrix edition', value: intent.edition },
  ];
  return fitting(transitions.length, (shown) =>
    titledCard(
      title,
      facts,
      [
        ...transitions.slice(0, shown).map(transitionBlock),
        ...(shown < transitions.length ? [moreBlock(transitions.length - shown, 'more change', vm.findingsUrl ?? vm.portalUrl)] : []),
      ],
      vmActions(intent),
    ),
  );
}

/** Links, not commands: the reader of a channel may not have the CLI, or access to the store. */
function vmActions(intent: AlertIntent): OpenUrlAction[] {
  const actions: OpenUrlAction[] = [{ type: 'Action.OpenUrl', title: 'Open the VM in the Azure portal', url: intent.vm.portalUrl }];
  if (intent.vm.findingsUrl) actions.push({ type: 'Action.OpenUrl', title: 'Findings and history', url: intent.vm.findingsUrl });
  return actions;
}

/** "…and N more": what did not fit in Teams' 28 KB, with where to read the rest when there is such a place. */
export function moreBlock(count: number, noun: string, url: string | null): CardElement {
  const where = url ? ` ([see all](${url}))` : '';
  return { type: 'TextBlock', text: `…and ${count} ${noun}${count === 1 ? '' : 's'} not shown${where}.`, wrap: true, isSubtle: true, separator: true };
}
