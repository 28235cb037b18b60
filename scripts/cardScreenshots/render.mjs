// Renders the alert cards with Microsoft's adaptivecards renderer in headless Chromium, in Teams-like light, dark and
// high-contrast themes, at phone and desktop widths, into docs/images/alerts/. Run: npm run docs:card-screenshots.
// puppeteer-core and @sparticuz/chromium (a Chromium inside the npm package: nothing is downloaded) are not
// dependencies, to keep ~70 MB out of every install: the npm script installs them without saving first, with
// twemoji-colr-font (that Chromium has no emoji font; Teams clients do, and the cards' severity marks are emoji).
import { build } from 'esbuild';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { HOST_CONFIGS } from './hostConfigs.mjs';

// VMBG_OPTIONAL_MODULES: a directory whose node_modules holds the two packages (when not installed here).
const from = createRequire(process.env.VMBG_OPTIONAL_MODULES ? `${process.env.VMBG_OPTIONAL_MODULES}/package.json` : import.meta.url);
const { default: chromium } = await import(pathToFileURL(from.resolve('@sparticuz/chromium')).href);
const puppeteer = await import(pathToFileURL(from.resolve('puppeteer-core')).href);
const renderer = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');
const emojiFont = pathToFileURL(join(from.resolve('twemoji-colr-font/package.json'), '..', 'twemoji.woff2')).href;

// The cards come from the TypeScript that sends them, bundled for this run only.
const bundled = await build({ entryPoints: ['scripts/cardScreenshots/cards.ts'], bundle: true, write: false, format: 'esm', platform: 'node' });
const { screenshotCards } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
const cards = screenshotCards();

const SHOTS = [
  ['card', 'light', 'desktop'],
  ['card', 'light', 'phone'],
  ['card', 'dark', 'desktop'],
  ['card', 'contrast', 'phone'],
  ['digest', 'light', 'desktop'],
  ['digest', 'dark', 'phone'],
];
const WIDTHS = { phone: 360, desktop: 720 };

const workDir = await mkdtemp(join(tmpdir(), 'vmbg-cards-'));
// Only the emoji ranges: the font also has # * 0-9 (keycap bases), and would otherwise draw every digit.
await writeFile(
  join(workDir, 'emoji.css'),
  `@font-face { font-family: 'Twemoji'; src: url(${emojiFont}) format('woff2'); unicode-range: U+2600-27BF, U+1F300-1FAFF; }`,
);
const browser = await puppeteer.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true });
try {
  const page = await browser.newPage();
  await mkdir('docs/images/alerts', { recursive: true });
  for (const [card, theme, device] of SHOTS) {
    const { page: background, link, config } = HOST_CONFIGS[theme];
    await page.setViewport({ width: WIDTHS[device], height: 800, deviceScaleFactor: 2 });
    // A file page, so that the emoji font's stylesheet (a file) may load.
    const html = join(workDir, 'card.html');
    await writeFile(
      html,
      `<html><head><link rel="stylesheet" href="emoji.css"></head><body style="margin:0;padding:12px;background:${background}"><style>a{color:${link}}</style><div id="card"></div></body></html>`,
    );
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    await page.addScriptTag({ path: renderer });
    await page.evaluate(
      (json, hostConfig) => {
        const escapeHtml = (t) => t.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);
        // Teams renders [text](url) in TextBlocks; the renderer leaves markdown to the host.
        AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
          result.outputHtml = escapeHtml(text).replace(/\[([^\]]+)\]\((https:[^)\s]+)\)/g, '<a href="$2">$1</a>');
          result.didProcess = true;
        };
        const adaptive = new AdaptiveCards.AdaptiveCard();
        adaptive.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
        adaptive.parse(json);
        document.getElementById('card').appendChild(adaptive.render());
      },
      cards[card],
      config,
    );
    // Fonts load on first use, and text waits invisible meanwhile: load the marks' glyphs before the shot.
    await page.evaluate(async () => {
      await document.fonts.load('16px "Twemoji"', '🔴🟠🔵✅');
      await document.fonts.ready;
    });
    const element = await page.$('#card');
    const file = `docs/images/alerts/${card}-${theme}-${device}.png`;
    await element.screenshot({ path: file });
    process.stdout.write(`wrote ${file}\n`);
  }
} finally {
  await browser.close();
}
