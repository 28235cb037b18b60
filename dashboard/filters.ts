/**
 * The view is its URL: filters and the VM being looked at are query parameters, so a view can be bookmarked or
 * shared. The function key (`code`) stays in the address bar (the host needs it to serve a reload) but never goes
 * into a link the page makes: "Copy link to this view" and every in-page link leave it out.
 */
export const FILTER_NAMES = ['subscription', 'resourceGroup', 'rule', 'severity', 'state'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export type Filters = Partial<Record<FilterName, string>>;

export interface View {
  filters: Filters;
  /** A VM's resource id: its drill-down. */
  vm: string | null;
}

export function readView(search = location.search): View {
  const query = new URLSearchParams(search);
  const filters: Filters = {};
  for (const name of FILTER_NAMES) {
    const value = query.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return { filters, vm: query.get('vm') || null };
}

/** The URL of a view; with the key only for the address bar (`withKey`), never for links. */
export function viewUrl(view: View, withKey = false): string {
  const query = new URLSearchParams();
  const key = new URLSearchParams(location.search).get('code');
  if (withKey && key) query.set('code', key);
  for (const name of FILTER_NAMES) if (view.filters[name]) query.set(name, view.filters[name]!);
  if (view.vm) query.set('vm', view.vm);
  const text = query.toString();
  return `${location.pathname}${text ? `?${text}` : ''}`;
}

export function shareableUrl(view: View): string {
  return new URL(viewUrl(view), location.href).href;
}
