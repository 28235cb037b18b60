/**
 * Where a rule's page is: docs/rules/<id>.md in this repository unless ALERT_DOCS_BASE_URL points elsewhere. Reports,
 * alerts, SARIF and the dashboard link the same page, so the address is made here, beside the rules.
 */
export const DEFAULT_DOCS_BASE_URL = 'docs/rules/';

export function docsUrlOf(ruleId: string, docsBaseUrl: string = DEFAULT_DOCS_BASE_URL): string {
  return `${docsBaseUrl}${encodeURIComponent(ruleId)}.md`;
}
