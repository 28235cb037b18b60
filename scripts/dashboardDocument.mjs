// The dashboard as one HTML document: dashboard/page.ts bundled (esbuild) and dashboard/dashboard.css, inlined into
// dashboard/index.html. One response, so the page needs no second request that the function key would have to
// authorise (a <script src> cannot send the x-functions-key header), and nothing comes from a CDN. The Content
// Security Policy allows exactly these inline script and style blocks, by hash, and API calls to the app itself.
// Imported by scripts/buildOptions.mjs (the esbuild plugin for every bundle that serves it) and vitest.config.ts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export const DASHBOARD_MODULE = 'dashboard:document';

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** `{ html, csp }` for the sources under `root`/dashboard. */
export async function dashboardDocument(root = '.') {
  const dir = join(root, 'dashboard');
  const bundled = await build({
    entryPoints: [join(dir, 'page.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  // A closing tag inside the code would end the inline block early.
  const js = bundled.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1');
  const css = readFileSync(join(dir, 'dashboard.css'), 'utf8').replace(/<\/(style)/gi, '<\\/$1');
  const template = readFileSync(join(dir, 'index.html'), 'utf8');
  if (!template.includes('<!--style-->') || !template.includes('<!--script-->'))
    throw new Error('dashboard/index.html: needs <!--style--> and <!--script--> placeholders');
  const html = template.replace('<!--style-->', () => `<style>${css}</style>`).replace('<!--script-->', () => `<script type="module">${js}</script>`);
  const csp = [
    `default-src 'none'`,
    `script-src ${sha256(js)}`,
    `style-src ${sha256(css)}`,
    `connect-src 'self'`,
    `img-src 'self' data:`,
    `base-uri 'none'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
  return { html, csp };
}

/** esbuild: `import document from 'dashboard:document'` becomes the built document, as a string constant. */
export function dashboardDocumentPlugin(root = '.') {
  return {
    name: 'dashboard-document',
    setup(b) {
      b.onResolve({ filter: /^dashboard:document$/ }, () => ({ path: 'document', namespace: 'dashboard' }));
      b.onLoad({ filter: /.*/, namespace: 'dashboard' }, async () => ({
        contents: `export default ${JSON.stringify(await dashboardDocument(root))};`,
        loader: 'js',
      }));
    },
  };
}
