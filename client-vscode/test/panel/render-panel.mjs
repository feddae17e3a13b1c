// Render the learn-more panel's HTML in headless Chromium (Debian's chromium driven by
// playwright-core), in light, dark and high-contrast themes, and check it:
//   - the page's own nonce'd script runs, an injected inline script and an inline event
//     handler are blocked by the CSP (a DOM flag stays unset, the console reports violations);
//   - the lesson text with injection attempts renders as text;
//   - Tab reaches links and buttons in document order with a visible focus outline;
//   - "Apply fix" posts {type: "applyFix"} and shows the extension's answer.
// Screenshots: test-results/panel/panel-<theme>.png (also the injection page).
// Usage: npm run test:panel   (CHROMIUM=/path/to/chromium to override /usr/bin/chromium)
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { THEMES, themeStyle } from './themes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const { renderLessonPage } = require(path.join(root, 'out', 'panel', 'render.js'));

const outDir = path.join(root, 'test-results', 'panel');
mkdirSync(outDir, { recursive: true });
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`${executablePath} not found: run scripts/setup-e2e.sh (apt-get install -y chromium)`);
  process.exit(1);
}

const lesson = JSON.parse(readFileSync(path.join(root, 'test', 'fixtures', 'lesson-B602.json'), 'utf8'));
const NONCE = 'dGVzdC1ub25jZS0xMjM0NTY3OA==';
const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

/** The page as VS Code would show it: theme variables injected, body class set. */
function pageFor(theme, lessonData, { inject = false } = {}) {
  let html = renderLessonPage(lessonData, {
    nonce: NONCE, cspSource: CSP_SOURCE, location: 'app.py:12', flaggedLines: [12, 12],
  });
  // VS Code adds its theme variables and a body class; the style needs the nonce under our CSP
  html = html.replace('</head>', `<style nonce="${NONCE}">${themeStyle(theme)}</style>\n</head>`)
    .replace('<body>', `<body class="${THEMES[theme].bodyClass}">`);
  if (inject) {
    // what an escaping bug would look like: markup that reached the page unescaped
    html = html.replace('<main id="lesson"', '<script>window.__cspBypassed = "inline script ran";</script>' +
      '<img src="x" onerror="window.__cspBypassed = \'onerror ran\'">' +
      '<div id="injected" onclick="window.__cspBypassed = \'onclick ran\'">injected</div>' +
      '<main id="lesson"');
  }
  return html;
}

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = [];
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    results.push(`ok   ${name}`);
  } catch (e) {
    failed++;
    results.push(`FAIL ${name}: ${e && e.message ? e.message.split('\n')[0] : e}`);
  }
}

try {
  for (const theme of Object.keys(THEMES)) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    const console_ = [];
    page.on('console', (m) => console_.push(m.text()));
    page.on('pageerror', (e) => console_.push(`pageerror: ${e.message}`));
    await page.setContent(pageFor(theme, lesson), { waitUntil: 'load' });

    await check(`${theme}: own nonce'd script ran`, async () => {
      assert.equal(await page.getAttribute('body', 'data-ready'), 'true');
    });
    await check(`${theme}: headings, badges, examples, fixes rendered`, async () => {
      assert.equal(await page.textContent('h1'), lesson.title);
      const h2 = await page.$$eval('h2', (els) => els.map((e) => e.firstChild.textContent.trim()));
      assert.deepEqual(h2, ['Your code', 'Suggested fixes', 'Why it matters', 'How to fix', 'Example', 'References']);
      assert.equal(await page.locator('.badge-cwe a').getAttribute('href'), 'https://cwe.mitre.org/data/definitions/78.html');
      assert.equal(await page.locator('.example').count(), 2);
      assert.equal(await page.locator('.fix').count(), 2);
      assert.ok(await page.locator('.tok-kw').count() > 5, 'syntax highlighting present');
      // the two examples sit side by side
      const boxes = await page.$$eval('.example', (els) => els.map((e) => e.getBoundingClientRect().top));
      assert.equal(Math.round(boxes[0]), Math.round(boxes[1]));
    });
    await check(`${theme}: theme colors applied`, async () => {
      const bg = await page.$eval('body', (b) => getComputedStyle(b).backgroundColor);
      const expected = { light: 'rgb(255, 255, 255)', dark: 'rgb(31, 31, 31)', 'high-contrast': 'rgb(0, 0, 0)' }[theme];
      assert.equal(bg, expected);
      const kw = await page.$eval('.tok-kw', (e) => getComputedStyle(e).color);
      assert.equal(kw, theme === 'light' ? 'rgb(0, 0, 255)' : 'rgb(86, 156, 214)');
    });
    await check(`${theme}: keyboard focus order and visible focus`, async () => {
      await page.click('h1');
      const order = [];
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const el = document.activeElement;
          const cs = getComputedStyle(el);
          return { tag: el.tagName, text: (el.textContent || '').trim().slice(0, 40), outline: cs.outlineStyle, width: cs.outlineWidth };
        });
        if (f.tag === 'BODY') break;
        order.push(f);
      }
      const tags = order.map((f) => f.tag);
      assert.ok(tags.includes('BUTTON') && tags.includes('A') && tags.includes('PRE'), JSON.stringify(tags));
      const buttons = order.filter((f) => f.tag === 'BUTTON').map((f) => f.text);
      assert.deepEqual(buttons.slice(0, 3), ['Go to the code', 'Apply fix', 'Apply fix']);
      for (const f of order) {
        assert.notEqual(f.outline, 'none', `no focus outline on ${f.tag} ${f.text}`);
      }
    });
    // focus the first Apply button for the screenshot
    await page.focus('button[data-action="apply"]');
    await page.screenshot({ path: path.join(outDir, `panel-${theme}.png`), fullPage: true });

    await check(`${theme}: Apply fix posts a message and shows the answer`, async () => {
      await page.click('button[data-action="apply"][data-index="0"]');
      const posted = await page.evaluate(() => window.__bastionPosted);
      assert.deepEqual(posted, [{ type: 'applyFix', index: 0 }]);
      assert.equal(await page.isDisabled('button[data-action="apply"][data-index="0"]'), true);
      await page.evaluate(() => window.postMessage({ type: 'fixResult', index: 0, ok: true }, '*'));
      await page.waitForFunction(() => document.querySelector('button[data-index="0"]').textContent === 'Applied');
      assert.equal(await page.textContent('#fix-0-status'), 'Fix applied.');
      await page.evaluate(() => window.postMessage({ type: 'fixResult', index: 1, ok: false, message: '<b>x</b>' }, '*'));
      await page.waitForFunction(() => document.querySelector('#fix-1-status').textContent !== '');
      assert.equal(await page.textContent('#fix-1-status'), 'Could not apply: <b>x</b>');
      assert.equal(await page.locator('#fix-1-status b').count(), 0);
    });
    await check(`${theme}: no errors in the console`, async () => {
      assert.deepEqual(console_.filter((t) => /error|refused/i.test(t)), []);
    });
    await page.close();
  }

  // CSP: markup that slipped through unescaped must still not run
  {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    const violations = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.setContent(pageFor('dark', lesson, { inject: true }), { waitUntil: 'load' });
    await page.waitForTimeout(300);
    await page.click('#injected');
    await check('CSP blocks an injected inline script, onerror and onclick handlers', async () => {
      assert.equal(await page.evaluate(() => window.__cspBypassed), undefined);
      assert.equal(await page.getAttribute('body', 'data-ready'), 'true', 'the nonce\'d script still runs');
      assert.ok(violations.length >= 2, `CSP violations reported: ${violations.length}`);
      assert.ok(violations.some((v) => /script/i.test(v)));
    });
    await page.close();
  }

  // Injection attempts in the lesson data itself: rendered as text, nothing executes
  {
    const evil = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"></textarea><a href="javascript:window.__pwned=3">j</a>';
    const evilLesson = {
      ...lesson,
      title: `Evil ${evil}`,
      summary: evil,
      why: `${evil}\n\n[click](javascript:window.__pwned=4) **${evil}**`,
      howToFix: `1. ${evil}\n2. \`${evil}\``,
      vulnerable: `x = "${evil}"\n`,
      fixed: `# ${evil}\n`,
      flagged: { code: `run("${evil}")\n`, startLine: 3 },
      tags: [evil],
      references: ['javascript:window.__pwned=5', evil],
      fixes: [{ title: evil, safety: 'review', diff: `@@ -1 +1 @@\n-${evil}\n+${evil}\n`, edit: {} }],
    };
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.setContent(pageFor('light', evilLesson), { waitUntil: 'load' });
    await page.waitForTimeout(200);
    for (const a of await page.$$('a')) {
      await a.click({ modifiers: [], trial: true }).catch(() => undefined);
    }
    await check('lesson text with <script>, onerror, </textarea>, javascript: renders inert', async () => {
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.equal(await page.locator('img, iframe, textarea, svg').count(), 0);
      assert.equal(await page.locator('script').count(), 1);
      const hrefs = await page.$$eval('a', (as) => as.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.every((h) => /^https?:\/\//.test(h)), JSON.stringify(hrefs));
      assert.ok((await page.textContent('h1')).includes('<script>window.__pwned=1</script>'));
    });
    await page.screenshot({ path: path.join(outDir, 'panel-injection.png'), fullPage: false });
    await page.close();
  }
} finally {
  await browser.close();
}

console.log(results.join('\n'));
console.log(`screenshots: ${outDir}/panel-{light,dark,high-contrast,injection}.png`);
if (failed) {
  console.error(`${failed} panel check(s) failed`);
  process.exit(1);
}
