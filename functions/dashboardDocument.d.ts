/** The dashboard page, built from dashboard/ at bundle time (scripts/dashboardDocument.mjs; vitest.config.ts in tests). */
declare module 'dashboard:document' {
  const document: { html: string; csp: string };
  export default document;
}
