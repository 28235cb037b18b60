// Screenshots of the fleet dashboard for the README, at desktop and phone widths, light and dark, into
// docs/images/dashboard/. Run: npm run docs:dashboard-screenshots. The page is what `npm start` serves: the sample
// fleet in an in-process Azurite, behind the Function App's own handlers; Chromium comes inside @sparticuz/chromium
// (a devDependency: nothing is downloaded). shots.ts is bundled for this run only, as `npm start` is.
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
import { common } from '../buildOptions.mjs';

await build({
  ...common,
  entryPoints: { 'dashboard-screenshots': 'scripts/dashboardScreenshots/shots.ts' },
  outdir: 'dist',
  external: ['azurite', '@azure/functions-core', 'puppeteer-core', '@sparticuz/chromium'],
});
await import(pathToFileURL('dist/dashboard-screenshots.js').href);
