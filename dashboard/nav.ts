import { viewUrl, type View } from './filters.js';
import { h, type Child } from './html.js';

export type Navigate = (view: View) => void;

/**
 * A real link (keyboard, screen readers, "open in new tab" all work) whose plain click changes the view in place.
 * Its href leaves the function key out (see filters.ts).
 */
export function viewLink(view: View, navigate: Navigate, ...children: Child[]): HTMLAnchorElement {
  return h(
    'a',
    {
      href: viewUrl(view),
      onclick: (event: Event) => {
        const e = event as MouseEvent;
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(view);
      },
    },
    ...children,
  );
}

/** The support matrix and rule pages open elsewhere; `noreferrer` keeps the key in this page's URL from travelling. */
export function externalLink(href: string, ...children: Child[]): HTMLAnchorElement {
  return h('a', { href, rel: 'noreferrer noopener', target: '_blank' }, ...children, h('span', { class: 'visually-hidden' }, ' (opens in a new tab)'));
}

/** A rule page: absolute when ALERT_DOCS_BASE_URL is set, else the repository path, which `npm start` serves. */
export function docsHref(docs: string): string {
  return /^https:\/\//.test(docs) ? docs : new URL(`/${docs}`, location.origin).href;
}

/** `/subscriptions/<s>/resourceGroups/<g>/providers/Microsoft.Compute/virtualMachines/<n>` → its parts. */
export function vmParts(vmId: string): { subscriptionId: string; resourceGroup: string; vmName: string } | null {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachines\/([^/]+)$/i.exec(vmId);
  return m ? { subscriptionId: m[1]!, resourceGroup: m[2]!, vmName: m[3]! } : null;
}

export const shortId = (subscriptionId: string) => `${subscriptionId.slice(0, 8)}…`;
