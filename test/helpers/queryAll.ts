import { findingsQuery, queryFindings, type FindingsStore, type FindingView } from '../../core/store/index.js';

/** Every page of a findings query, as a client pages through it; each page is checked against its size. */
export async function queryAll(store: FindingsStore, query: Record<string, unknown>, pageSize = 100): Promise<FindingView[]> {
  const parsed = findingsQuery.parse(query);
  const items: FindingView[] = [];
  let token: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages > 10_000) throw new Error('the query never ends');
    const page = await queryFindings(store, parsed, { pageSize, ...(token ? { continuationToken: token } : {}) });
    if (page.items.length > pageSize) throw new Error(`a page of ${page.items.length} items for page size ${pageSize}`);
    items.push(...page.items);
    if (page.continuationToken === null) return items;
    token = page.continuationToken;
  }
}

/** A finding as a comparable key: which VM, which rule, in which state. */
export const findingKey = (f: Pick<FindingView, 'vmId' | 'ruleId' | 'state'>) => `${f.vmId.toLowerCase()} ${f.ruleId} ${f.state}`;
export const keysOf = (items: readonly FindingView[]) => items.map(findingKey).sort();
