/**
 * The learn-more panel's HTML. Pure module (no vscode import): the extension passes the
 * lesson (from `bastion/explain`), a CSP nonce and the webview's cspSource.
 *
 * Every piece of lesson, rule or code text is escaped; Markdown goes through the safe subset
 * renderer; the page's CSP allows only the nonce'd <style> and <script> below.
 */
import { escapeAttr, escapeHtml, safeHttpUrl } from './escape';
import { renderDiff } from './diff';
import { highlightLines } from './highlight';
import { renderInline, renderMarkdown } from './markdown';
import type { Lesson, LessonFix, Owasp, PathRow } from './types';

export interface PageOptions {
  nonce: string;
  /** webview.cspSource */
  cspSource: string;
  /** where the finding is, for "Your code" (e.g. "app.py:12") */
  location?: string;
  /** 1-based number of the first line of `lesson.flagged.code` (default: flagged.startLine) */
  flaggedFirstLine?: number;
  /** 1-based lines of the finding itself, highlighted inside the flagged code */
  flaggedLines?: [number, number];
  /** a note shown above the lesson (e.g. "the file changed: fixes were refreshed") */
  notice?: string;
}

export function contentSecurityPolicy(nonce: string, cspSource: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
  ].join('; ') + ';';
}

function checkNonce(nonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) {
    throw new Error('invalid nonce');
  }
  return nonce;
}

function checkCspSource(src: string): string {
  // webview.cspSource is a list of sources such as "'self' https://*.vscode-cdn.net" (VS Code
  // web) or "vscode-webview://…"; refuse anything that could add a directive or a keyword such
  // as 'unsafe-inline'
  const tokens = src.trim().split(/\s+/);
  const ok = !!src.trim() && tokens.every((t) => t === "'self'" || /^[A-Za-z0-9*+.:/_%-]+$/.test(t));
  if (!ok) {
    throw new Error(`invalid cspSource: ${src}`);
  }
  return tokens.join(' ');
}

function page(title: string, body: string, opts: { nonce: string; cspSource: string }): string {
  const nonce = checkNonce(opts.nonce);
  const csp = contentSecurityPolicy(nonce, checkCspSource(opts.cspSource));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLES}</style>
</head>
<body>
${body}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

const LEVELS = new Set(['low', 'medium', 'high']);
function level(value: unknown): string | undefined {
  const v = typeof value === 'string' ? value.toLowerCase() : '';
  return LEVELS.has(v) ? v : undefined;
}

function cweBadge(lesson: Lesson): string {
  const cwe = lesson.cwe;
  if (!cwe || cwe.id === undefined || cwe.id === null || cwe.id === '') {
    return '';
  }
  const id = String(cwe.id).replace(/^CWE-/i, '');
  const label = `CWE-${id}`;
  const href = safeHttpUrl(cwe.url) ??
    (/^\d+$/.test(id) ? `https://cwe.mitre.org/data/definitions/${id}.html` : undefined);
  const name = cwe.name ? `: ${cwe.name}` : '';
  const text = `<span class="badge-key">CWE</span> ${escapeHtml(label)}`;
  return `<li class="badge badge-cwe" title="${escapeAttr(label + name)}">` +
    (href ? `<a href="${escapeAttr(href)}" rel="noreferrer noopener">${text}<span class="visually-hidden">${escapeHtml(name)}</span></a>` : text) +
    '</li>';
}

function owaspBadge(owasp: Owasp | string | null | undefined): string {
  if (!owasp) {
    return '';
  }
  const id = typeof owasp === 'string' ? owasp : owasp.id ?? '';
  const name = typeof owasp === 'string' ? '' : owasp.name ?? '';
  if (!id && !name) {
    return '';
  }
  const href = typeof owasp === 'string' ? undefined : safeHttpUrl(owasp.url);
  const text = `<span class="badge-key">OWASP</span> ${escapeHtml(id)}${name ? ` <span class="badge-name">${escapeHtml(name)}</span>` : ''}`;
  return `<li class="badge badge-owasp" title="${escapeAttr(`OWASP Top 10 ${id}${name ? ' ' + name : ''}`)}">` +
    (href ? `<a href="${escapeAttr(href)}" rel="noreferrer noopener">${text}</a>` : text) + '</li>';
}

export interface CodeBlockOptions {
  firstLine?: number;
  mark?: [number, number];
  label: string;
  className?: string;
}

/** A highlighted Python code block with line numbers; focusable so it can be scrolled by keyboard. */
export function renderCodeBlock(code: unknown, opts: CodeBlockOptions): string {
  const text = typeof code === 'string' ? code.replace(/\n$/, '') : '';
  const first = Number.isInteger(opts.firstLine) && opts.firstLine! > 0 ? opts.firstLine! : 1;
  const lines = highlightLines(text).map((html, n) => {
    const no = first + n;
    const marked = opts.mark && no >= opts.mark[0] && no <= opts.mark[1];
    return `<span class="line${marked ? ' marked' : ''}"><span class="ln" aria-hidden="true">${no}</span>` +
      `<span class="src">${html || ' '}</span></span>`;
  });
  const cls = ['code', 'lang-python', 'numbered', opts.className].filter(Boolean).join(' ');
  return `<pre class="${escapeAttr(cls)}" tabindex="0" role="region" aria-label="${escapeAttr(opts.label)}"><code>${lines.join('')}</code></pre>`;
}

/** An engine note: backticked names as code, everything else as text. */
function renderNote(note: string): string {
  const parts = note.split('`');
  if (parts.length % 2 === 0) {
    return escapeHtml(note);
  }
  return parts.map((part, i) => (i % 2 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part))).join('');
}

function isPathRow(row: unknown): row is PathRow {
  const r = row as PathRow;
  return !!r && Number.isInteger(r.line) && r.line > 0 && typeof r.code === 'string' &&
    Array.isArray(r.notes) && r.notes.every((n) => typeof n === 'string');
}

/** A data-flow finding's path on the user's code, source first, each step with its line. */
export function renderPath(path: unknown): string {
  const rows = Array.isArray(path) ? path.filter(isPathRow) : [];
  if (!rows.length) {
    return '';
  }
  const role = (n: number) => (rows.length === 1 ? 'Source and sink' : n === 0 ? 'Source' : n === rows.length - 1 ? 'Sink' : 'Step');
  const items = rows.map((row, n) => `<li class="flow-step">
<p class="flow-note"><span class="flow-role">${role(n)}</span> · ${typeof row.file === 'string' ? `<code>${escapeHtml(row.file)}</code> ` : ''}line ${row.line}: ${row.notes.map(renderNote).join('; ')}</p>
${row.code ? renderCodeBlock(row.code, { firstLine: row.line, label: `Your code, line ${row.line}`, className: 'flow-code' }) : ''}
</li>`);
  return `<h3 id="h-path">Path from source to sink</h3>
<ol class="flow" aria-labelledby="h-path">${items.join('\n')}</ol>`;
}

function renderFix(fix: LessonFix, index: number): string {
  const review = fix.safety !== 'safe';
  const safety = review
    ? '<span class="badge badge-review">Review needed</span>'
    : '<span class="badge badge-safe">Safe</span>';
  const id = `fix-${index}`;
  return `<article class="fix" aria-labelledby="${id}-title">
<div class="fix-head"><h3 id="${id}-title">${escapeHtml(fix.title || `Fix ${index + 1}`)}</h3>${safety}</div>
${fix.diff ? renderDiff(fix.diff) : '<p class="muted">No preview available.</p>'}
<div class="fix-actions">
<button type="button" class="primary" data-action="apply" data-index="${index}" aria-describedby="${id}-title"${fix.edit ? '' : ' disabled'}>Apply fix</button>
<span class="fix-status" id="${id}-status" role="status" aria-live="polite"></span>
</div>
</article>`;
}

/** The full lesson page. */
export function renderLessonPage(lesson: Lesson, opts: PageOptions): string {
  const id = String(lesson.id ?? '');
  const title = lesson.title || lesson.name || id;
  const sev = level(lesson.severity);
  const conf = level(lesson.confidence);
  const badges = [
    sev ? `<li class="badge badge-sev sev-${sev}"><span class="badge-key">Severity</span> ${sev}</li>` : '',
    conf ? `<li class="badge badge-conf"><span class="badge-key">Confidence</span> ${conf}</li>` : '',
    cweBadge(lesson),
    owaspBadge(lesson.owasp),
  ].filter(Boolean);
  const tags = Array.isArray(lesson.tags) && lesson.tags.length
    ? `<ul class="tags" aria-label="Tags">${lesson.tags.map((t) => `<li class="tag">${escapeHtml(t)}</li>`).join('')}</ul>`
    : '';

  const sections: string[] = [];
  if (lesson.flagged && typeof lesson.flagged.code === 'string') {
    const first = opts.flaggedFirstLine ?? lesson.flagged.startLine;
    sections.push(`<section class="flagged" aria-labelledby="h-flagged">
<h2 id="h-flagged">Your code${opts.location ? ` <span class="where">${escapeHtml(opts.location)}</span>` : ''}</h2>
${renderCodeBlock(lesson.flagged.code, { firstLine: first, mark: opts.flaggedLines, label: 'Your flagged code', className: 'flagged-code' })}
${renderPath(lesson.path)}
<p><button type="button" class="secondary" data-action="reveal">Go to the code</button></p>
</section>`);
  }
  if (Array.isArray(lesson.fixes) && lesson.fixes.length) {
    sections.push(`<section class="fixes" aria-labelledby="h-fixes">
<h2 id="h-fixes">Suggested ${lesson.fixes.length === 1 ? 'fix' : 'fixes'}</h2>
${lesson.fixes.map(renderFix).join('\n')}
</section>`);
  } else if (lesson.flagged) {
    sections.push(`<section class="fixes" aria-labelledby="h-fixes"><h2 id="h-fixes">Suggested fixes</h2>
<p class="muted">Bastion has no automatic fix for this finding. Follow “How to fix” below.</p></section>`);
  }
  const why = renderMarkdown(lesson.why);
  const how = renderMarkdown(lesson.howToFix);
  if (why) {
    sections.push(`<section aria-labelledby="h-why"><h2 id="h-why">Why it matters</h2>\n${why}\n</section>`);
  }
  if (how) {
    sections.push(`<section aria-labelledby="h-how"><h2 id="h-how">How to fix</h2>\n${how}\n</section>`);
  }
  // the sections every full view of a lesson shows after "How to fix" (catalog/render.py)
  const variants = (Array.isArray(lesson.variants) ? lesson.variants : [])
    .filter((v) => v && typeof v.text === 'string' && v.text)
    .map((v) => `- **${String(v.name || v.framework || '').replace(/[*_`\[\]\\<>]/g, '')}:** ${v.text}`);
  const versions = (Array.isArray(lesson.affectedVersions) ? lesson.affectedVersions : [])
    .filter((v) => typeof v === 'string' && v).map((v) => `- ${v}`);
  const afterFix: [string, string, unknown][] = [
    ['h-fine', 'When this is fine', lesson.whenFine],
    ['h-test', 'How to test', lesson.howToTest],
    ['h-variants', 'Framework variants', variants.join('\n')],
    ['h-versions', 'Affected versions', versions.join('\n')],
  ];
  for (const [hid, heading, text] of afterFix) {
    const html = renderMarkdown(text);
    if (html) {
      sections.push(`<section aria-labelledby="${hid}"><h2 id="${hid}">${heading}</h2>\n${html}\n</section>`);
    }
  }
  if (!why && !how && lesson.markdown) {
    sections.push(`<section aria-labelledby="h-lesson"><h2 id="h-lesson">Lesson</h2>\n${renderMarkdown(lesson.markdown)}\n</section>`);
  }
  if (lesson.vulnerable || lesson.fixed) {
    const fig = (code: string | undefined, kind: 'vulnerable' | 'fixed', caption: string) => code
      ? `<figure class="example example-${kind}"><figcaption><span class="example-icon" aria-hidden="true">${kind === 'fixed' ? '✓' : '✗'}</span> ${caption}</figcaption>` +
        `${renderCodeBlock(code, { label: `${caption} example` })}</figure>`
      : '';
    sections.push(`<section aria-labelledby="h-examples"><h2 id="h-examples">Example</h2>
<div class="examples">${fig(lesson.vulnerable, 'vulnerable', 'Vulnerable')}${fig(lesson.fixed, 'fixed', 'Fixed')}</div>
</section>`);
  }
  const refs = (Array.isArray(lesson.references) ? lesson.references : [])
    .map((r) => {
      const href = safeHttpUrl(r);
      return href
        ? `<li><a href="${escapeAttr(href)}" rel="noreferrer noopener">${escapeHtml(r)}</a></li>`
        : `<li>${escapeHtml(r)}</li>`;
    });
  if (refs.length) {
    sections.push(`<section aria-labelledby="h-refs"><h2 id="h-refs">References</h2><ul class="refs">${refs.join('')}</ul></section>`);
  }

  const body = `<main id="lesson" data-rule="${escapeAttr(id)}">
${opts.notice ? `<div class="notice" role="status">${escapeHtml(opts.notice)}</div>` : ''}
<header class="lesson-head">
<p class="eyebrow"><span class="rule-id">${escapeHtml(id)}</span>${lesson.name ? ` · <span class="rule-name">${escapeHtml(lesson.name)}</span>` : ''}</p>
<h1>${escapeHtml(title)}</h1>
${badges.length ? `<ul class="badges" aria-label="Rule facts">${badges.join('')}</ul>` : ''}
${typeof lesson.summary === 'string' && lesson.summary ? `<p class="summary">${renderInline(lesson.summary)}</p>` : ''}
${tags}
</header>
${sections.join('\n')}
</main>`;
  return page(`${id}: ${title}`, body, opts);
}

/** A page with one message (loading, errors). */
export function renderMessagePage(
  heading: string,
  message: string,
  opts: { nonce: string; cspSource: string; busy?: boolean; retry?: boolean },
): string {
  const body = `<main id="lesson" class="message-page"${opts.busy ? ' aria-busy="true"' : ''}>
<h1>${escapeHtml(heading)}</h1>
<p class="${opts.busy ? 'muted' : 'error'}" role="${opts.busy ? 'status' : 'alert'}">${escapeHtml(message)}</p>
${opts.retry ? '<p><button type="button" class="secondary" data-action="retry">Try again</button></p>' : ''}
</main>`;
  return page(heading, body, opts);
}

// ---- client script (runs in the webview under the CSP nonce) -----------------------------------
// It only posts messages and updates text via textContent: never innerHTML.
const SCRIPT = `
(function () {
  'use strict';
  var api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : {
    postMessage: function (m) { (window.__bastionPosted = window.__bastionPosted || []).push(m); }
  };
  function status(index, text, isError) {
    var el = document.getElementById('fix-' + index + '-status');
    if (el) { el.textContent = text; el.classList.toggle('error', !!isError); }
  }
  document.addEventListener('click', function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest('button[data-action]') : null;
    if (!button || button.disabled) { return; }
    var action = button.getAttribute('data-action');
    if (action === 'apply') {
      var index = Number(button.getAttribute('data-index'));
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      status(index, 'Applying…', false);
      api.postMessage({ type: 'applyFix', index: index });
    } else if (action === 'reveal') {
      api.postMessage({ type: 'reveal' });
    } else if (action === 'retry') {
      api.postMessage({ type: 'retry' });
    }
  });
  window.addEventListener('message', function (event) {
    var m = event.data;
    if (!m || m.type !== 'fixResult' || typeof m.index !== 'number') { return; }
    var button = document.querySelector('button[data-action="apply"][data-index="' + m.index + '"]');
    if (button) {
      button.removeAttribute('aria-busy');
      if (m.ok) { button.textContent = 'Applied'; button.disabled = true; }
      else { button.disabled = false; }
    }
    status(m.index, m.ok ? 'Fix applied.' : ('Could not apply: ' + String(m.message || 'unknown error')), !m.ok);
  });
  document.body.setAttribute('data-ready', 'true');
})();
`;

// ---- styles: VS Code theme variables; body.vscode-light / -dark / -high-contrast ----------------
const STYLES = `
:root { color-scheme: light dark; }
body {
  --sev-high: var(--vscode-editorError-foreground, #f14c4c);
  --sev-medium: var(--vscode-editorWarning-foreground, #cca700);
  --sev-low: var(--vscode-editorInfo-foreground, #3794ff);
  --ok: var(--vscode-testing-iconPassed, #73c991);
  --border: var(--vscode-panel-border, var(--vscode-widget-border, rgba(128,128,128,.35)));
  --code-bg: var(--vscode-textCodeBlock-background, rgba(128,128,128,.12));
  --tok-kw: #0000ff; --tok-const: #0000ff; --tok-str: #a31515; --tok-num: #098658; --tok-com: #008000;
  --tok-fn: #795e26; --tok-cls: #267f99; --tok-bi: #267f99; --tok-dec: #795e26; --tok-op: inherit;
  --diff-add: var(--vscode-diffEditor-insertedLineBackground, rgba(155,185,85,.25));
  --diff-del: var(--vscode-diffEditor-removedLineBackground, rgba(255,0,0,.18));
  margin: 0; padding: 0 20px 40px;
  color: var(--vscode-foreground);
  background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family, system-ui, sans-serif);
  font-size: var(--vscode-font-size, 13px);
  line-height: 1.5;
}
body.vscode-dark, body.vscode-high-contrast:not(.vscode-high-contrast-light) {
  --tok-kw: #569cd6; --tok-const: #569cd6; --tok-str: #ce9178; --tok-num: #b5cea8; --tok-com: #6a9955;
  --tok-fn: #dcdcaa; --tok-cls: #4ec9b0; --tok-bi: #4ec9b0; --tok-dec: #dcdcaa;
}
body.vscode-high-contrast:not(.vscode-high-contrast-light) { --tok-com: #7ca668; --tok-str: #ce9178; }
body.vscode-high-contrast-light { --tok-kw: #0f4a85; --tok-str: #8b1a1a; --tok-com: #4a6f1f; --tok-num: #096d48; }
main { max-width: 1100px; margin: 0 auto; }
h1 { font-size: 1.6em; margin: .2em 0 .4em; font-weight: 600; }
h2 { font-size: 1.2em; margin: 1.6em 0 .5em; padding-bottom: .25em; border-bottom: 1px solid var(--border); font-weight: 600; }
h3 { font-size: 1.05em; margin: 1em 0 .4em; }
p, li { max-width: 80ch; }
a { color: var(--vscode-textLink-foreground); }
a:hover { color: var(--vscode-textLink-activeForeground, var(--vscode-textLink-foreground)); }
a:focus-visible, button:focus-visible, pre:focus-visible {
  outline: 2px solid var(--vscode-focusBorder); outline-offset: 2px;
}
code, pre { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: var(--vscode-editor-font-size, 13px); }
:not(pre) > code { background: var(--code-bg); padding: .1em .35em; border-radius: 3px; }
.eyebrow { margin: 20px 0 0; color: var(--vscode-descriptionForeground); font-size: .95em; }
.rule-id { font-weight: 600; color: var(--vscode-foreground); }
.summary { font-size: 1.1em; }
.muted { color: var(--vscode-descriptionForeground); }
.error { color: var(--vscode-errorForeground); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.notice { margin-top: 12px; padding: 8px 12px; border-left: 3px solid var(--vscode-editorInfo-foreground, #3794ff);
  background: var(--vscode-textBlockQuote-background, var(--code-bg)); }
.badges, .tags, .refs { list-style: none; padding: 0; margin: .4em 0; display: flex; flex-wrap: wrap; gap: 6px; }
.refs { display: block; } .refs li { margin: .3em 0; }
.badge { display: inline-flex; align-items: center; gap: .35em; padding: 2px 8px; border-radius: 11px;
  border: 1px solid var(--vscode-contrastBorder, var(--border)); background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); font-size: .9em; }
.badge a { color: inherit; text-decoration: none; } .badge a:hover { text-decoration: underline; }
.badge-key { font-weight: 600; text-transform: uppercase; font-size: .8em; letter-spacing: .04em; opacity: .85; }
.badge-sev::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: currentColor; }
.sev-high::before { background: var(--sev-high); } .sev-medium::before { background: var(--sev-medium); } .sev-low::before { background: var(--sev-low); }
.sev-high { border-color: var(--sev-high); }
.badge-safe { border-color: var(--ok); }
.badge-review { border-color: var(--sev-medium); }
.tag { font-size: .85em; padding: 0 6px; border-radius: 3px; color: var(--vscode-descriptionForeground); border: 1px solid var(--border); }
.where { font-weight: normal; font-size: .85em; color: var(--vscode-descriptionForeground); margin-left: .5em; }
pre.code { background: var(--code-bg); border: 1px solid var(--vscode-contrastBorder, transparent); border-radius: 4px;
  padding: 8px 0; margin: .5em 0; overflow-x: auto; tab-size: 4; }
pre.code:not(.numbered) { padding: 8px 12px; }
pre.numbered .line { display: block; padding-right: 12px; }
pre.numbered .line.marked { background: var(--vscode-editor-rangeHighlightBackground, rgba(255,255,0,.12));
  box-shadow: inset 3px 0 0 var(--sev-high); }
.ln { display: inline-block; min-width: 3ch; padding: 0 10px 0 8px; text-align: right; color: var(--vscode-editorLineNumber-foreground, #858585);
  user-select: none; }
.tok-kw { color: var(--tok-kw); } .tok-const { color: var(--tok-const); } .tok-str { color: var(--tok-str); }
.tok-num { color: var(--tok-num); } .tok-com { color: var(--tok-com); font-style: italic; } .tok-fn { color: var(--tok-fn); }
.tok-cls { color: var(--tok-cls); } .tok-bi { color: var(--tok-bi); } .tok-dec { color: var(--tok-dec); }
.examples { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
figure { margin: 0; min-width: 0; }
figcaption { font-weight: 600; margin-bottom: 2px; }
.example-vulnerable figcaption .example-icon { color: var(--sev-high); }
.example-fixed figcaption .example-icon { color: var(--ok); }
.example-vulnerable pre { border-top: 3px solid var(--sev-high); }
.example-fixed pre { border-top: 3px solid var(--ok); }
.flow { padding-left: 0; list-style: none; margin: .4em 0; }
.flow-step { max-width: none; margin: .2em 0 .6em; }
.flow-note { margin: 0; }
.flow-role { font-weight: 600; }
.fix { border: 1px solid var(--border); border-radius: 6px; padding: 4px 12px 12px; margin: 10px 0; }
.fix-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.fix-head h3 { margin-right: auto; }
.fix-actions { display: flex; align-items: center; gap: 12px; margin-top: 8px; }
.fix-status.error { color: var(--vscode-errorForeground); }
.diff { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: var(--vscode-editor-font-size, 13px);
  background: var(--code-bg); border-radius: 4px; padding: 6px 0; overflow-x: auto; white-space: pre; }
.diff-row { display: block; padding-right: 12px; min-width: max-content; }
.diff-add { background: var(--diff-add); }
.diff-del { background: var(--diff-del); }
body.vscode-high-contrast .diff-add, body.vscode-high-contrast-light .diff-add { outline: 1px dashed var(--vscode-diffEditor-insertedTextBorder, var(--vscode-contrastActiveBorder)); }
body.vscode-high-contrast .diff-del, body.vscode-high-contrast-light .diff-del { outline: 1px dashed var(--vscode-diffEditor-removedTextBorder, var(--vscode-contrastBorder)); }
.diff-hunk, .diff-meta { color: var(--vscode-descriptionForeground); padding-left: 10px; }
.diff .ln { min-width: 2ch; }
.diff-sign { display: inline-block; width: 1.5ch; font-weight: 600; }
.diff-add .diff-sign { color: var(--ok); } .diff-del .diff-sign { color: var(--sev-high); }
button { font: inherit; border-radius: 2px; padding: 5px 14px; cursor: pointer; border: 1px solid var(--vscode-button-border, transparent); }
button.primary { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
button.primary:hover:not(:disabled) { background: var(--vscode-button-hoverBackground); }
button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
button.secondary:hover:not(:disabled) { background: var(--vscode-button-secondaryHoverBackground); }
button:disabled { opacity: .6; cursor: default; }
blockquote { margin: .5em 0; padding: 0 1em; border-left: 3px solid var(--vscode-textBlockQuote-border, var(--border)); }
hr { border: 0; border-top: 1px solid var(--border); }
.message-page { padding-top: 24px; }
`;
