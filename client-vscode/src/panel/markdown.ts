/**
 * A deliberately tiny, safe Markdown renderer for lesson text.
 *
 * Supported: paragraphs, headings, bullet and numbered lists (nested by indentation), block
 * quotes, fenced code blocks (Python is highlighted), horizontal rules, and inline `code`,
 * **bold**, *italic*, [links](https://…) and <https://…> autolinks.
 *
 * Safety rules: every piece of input text is HTML-escaped; raw HTML in the input is shown as
 * text; only absolute http(s) URLs become links (any other scheme, `javascript:` included, is
 * rendered as plain text); no attribute other than href/rel/title/class/start is ever emitted.
 * Pure module (no vscode import).
 */
import { escapeAttr, escapeHtml, safeHttpUrl } from './escape';
import { highlight } from './highlight';

export interface MarkdownOptions {
  /** Level of a `#` heading (default 3: lessons render inside sections that have an <h2>). */
  headingBase?: number;
}

const MAX_DEPTH = 8;

export function renderMarkdown(src: unknown, options: MarkdownOptions = {}): string {
  if (typeof src !== 'string' || !src.trim()) {
    return '';
  }
  const lines = src.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  return renderBlocks(lines, options.headingBase ?? 3, 0);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const LIST_ITEM = /^( {0,12})([-*+]|(\d{1,9})[.)])(\s+|$)(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;

function renderBlocks(lines: string[], headingBase: number, depth: number): string {
  if (depth > MAX_DEPTH) {
    return `<p>${escapeHtml(lines.join(' '))}</p>`;
  }
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1];
      const lang = fence[2].toLowerCase();
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${marker[0]}{${marker.length},}\\s*$`).test(lines[i])) {
        body.push(lines[i]);
        i++;
      }
      i++; // closing fence (or end of input)
      const code = body.join('\n');
      const isPython = lang === '' || lang === 'python' || lang === 'py' || lang === 'python3';
      const html = isPython ? highlight(code) : escapeHtml(code);
      const cls = isPython ? 'code lang-python' : 'code';
      out.push(`<pre class="${cls}"><code>${html}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(6, headingBase + heading[1].length - 1);
      out.push(`<h${level}>${renderInline(heading[2])}</h${level}>`);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && lines[i].trim() && QUOTE.test(lines[i])) {
        inner.push(QUOTE.exec(lines[i])![1]);
        i++;
      }
      out.push(`<blockquote>${renderBlocks(inner, headingBase, depth + 1)}</blockquote>`);
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      i = renderList(lines, i, headingBase, depth, out);
      continue;
    }
    // paragraph: until a blank line or the start of another block
    const para: string[] = [];
    while (i < lines.length && lines[i].trim()) {
      const l = lines[i];
      if (para.length && (FENCE.test(l) || HEADING.test(l) || QUOTE.test(l) || RULE.test(l) || LIST_ITEM.test(l))) {
        break;
      }
      para.push(l.trim());
      i++;
    }
    out.push(`<p>${renderInline(para.join('\n')).replace(/\n/g, ' ')}</p>`);
  }
  return out.join('\n');
}

/** Render the list that starts at lines[start]; push the HTML; return the next line index. */
function renderList(lines: string[], start: number, headingBase: number, depth: number, out: string[]): number {
  const first = LIST_ITEM.exec(lines[start])!;
  const indent = first[1].length;
  const ordered = first[3] !== undefined;
  const items: string[][] = [];
  let i = start;
  let blankSeen = false;
  while (i < lines.length) {
    const line = lines[i];
    const m = LIST_ITEM.exec(line);
    if (m && m[1].length === indent && (m[3] !== undefined) === ordered) {
      // a sibling item: its content column is where the text after the marker starts
      items.push([m[5]]);
      blankSeen = false;
      i++;
      continue;
    }
    if (m && m[1].length < indent) {
      break; // belongs to an outer list
    }
    if (!line.trim()) {
      blankSeen = true;
      items[items.length - 1].push('');
      i++;
      continue;
    }
    const lead = line.length - line.trimStart().length;
    if (lead > indent) {
      // continuation or nested block: strip up to the item's content indentation
      const strip = Math.min(lead, indent + 2 + (ordered ? 2 : 0));
      items[items.length - 1].push(line.slice(Math.min(strip, lead)));
      i++;
      continue;
    }
    if (!blankSeen && !m && !FENCE.test(line) && !HEADING.test(line) && !QUOTE.test(line)) {
      items[items.length - 1].push(line.trim()); // lazy continuation of the paragraph
      i++;
      continue;
    }
    break;
  }
  const startNum = ordered ? parseInt(first[3], 10) : 1;
  const tag = ordered ? 'ol' : 'ul';
  const startAttr = ordered && startNum !== 1 ? ` start="${startNum}"` : '';
  const html = items.map((content) => {
    while (content.length && !content[content.length - 1].trim()) {
      content.pop();
    }
    const tight = !content.slice(1).some((l) => !l.trim()) ;
    let inner = renderBlocks(content, headingBase, depth + 1);
    // a tight item is a single paragraph: drop the <p> wrapper like CommonMark does
    if (tight && /^<p>[\s\S]*<\/p>$/.test(inner) && inner.indexOf('<p>', 1) < 0) {
      inner = inner.slice(3, -4);
    } else if (tight) {
      inner = inner.replace(/^<p>([\s\S]*?)<\/p>\n/, '$1\n');
    }
    return `<li>${inner}</li>`;
  });
  out.push(`<${tag}${startAttr}>\n${html.join('\n')}\n</${tag}>`);
  return i;
}

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!<>~|]/;

/** Inline markup: `code`, **bold**, *italic*, [text](http…), <http…>; everything else escaped. */
export function renderInline(text: string, inLink = false, depth = 0): string {
  if (depth > MAX_DEPTH) {
    return escapeHtml(text);
  }
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && ESCAPABLE.test(text[i + 1])) {
      out += escapeHtml(text[i + 1]);
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = findClosingBackticks(text, i + run.length, run.length);
      if (close >= 0) {
        let code = text.slice(i + run.length, close).replace(/\n/g, ' ');
        if (/^ .* $/.test(code) && code.trim()) {
          code = code.slice(1, -1);
        }
        out += `<code>${escapeHtml(code)}</code>`;
        i = close + run.length;
        continue;
      }
      out += escapeHtml(run);
      i += run.length;
      continue;
    }
    if (c === '[' && !inLink) {
      const link = parseLink(text, i);
      if (link) {
        const href = safeHttpUrl(link.url);
        const label = renderInline(link.label, true, depth + 1);
        if (href) {
          const title = link.title ? ` title="${escapeAttr(link.title)}"` : '';
          out += `<a href="${escapeAttr(href)}"${title} rel="noreferrer noopener">${label}</a>`;
        } else {
          // not an http(s) link: show it as plain text, never as a link
          out += `${label} (${escapeHtml(link.url)})`;
        }
        i = link.end;
        continue;
      }
    }
    if (c === '<') {
      const auto = /^<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*)>/.exec(text.slice(i));
      if (auto) {
        const href = safeHttpUrl(auto[1]);
        out += href && !inLink
          ? `<a href="${escapeAttr(href)}" rel="noreferrer noopener">${escapeHtml(auto[1])}</a>`
          : escapeHtml(auto[0]);
        i += auto[0].length;
        continue;
      }
    }
    if (c === '*' || c === '_') {
      const em = parseEmphasis(text, i);
      if (em) {
        const inner = renderInline(em.inner, inLink, depth + 1);
        out += em.strong ? `<strong>${inner}</strong>` : `<em>${inner}</em>`;
        i = em.end;
        continue;
      }
    }
    out += escapeHtml(c);
    i++;
  }
  return out;
}

function findClosingBackticks(text: string, from: number, n: number): number {
  let i = from;
  while (i < text.length) {
    const j = text.indexOf('`', i);
    if (j < 0) {
      return -1;
    }
    const run = /^`+/.exec(text.slice(j))![0];
    if (run.length === n) {
      return j;
    }
    i = j + run.length;
  }
  return -1;
}

interface Link {
  label: string;
  url: string;
  title?: string;
  end: number;
}

function parseLink(text: string, start: number): Link | undefined {
  // [label](url "title") — label may contain `code` and balanced brackets, url balanced parens
  let depth = 0;
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = findClosingBackticks(text, i + run.length, run.length);
      if (close >= 0) {
        i = close + run.length - 1;
        continue;
      }
    }
    if (c === '[') {
      depth++;
    } else if (c === ']') {
      depth--;
      if (depth === 0) {
        break;
      }
    }
  }
  if (depth !== 0 || text[i + 1] !== '(') {
    return undefined;
  }
  const label = text.slice(start + 1, i);
  let j = i + 2;
  let parens = 1;
  for (; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '(') {
      parens++;
    } else if (c === ')') {
      parens--;
      if (parens === 0) {
        break;
      }
    }
  }
  if (parens !== 0) {
    return undefined;
  }
  const target = text.slice(i + 2, j).trim();
  const m = /^<?([^\s>]*)>?(?:\s+(?:"([^"]*)"|'([^']*)'))?$/.exec(target);
  if (!m) {
    return { label, url: target, end: j + 1 };
  }
  return { label, url: m[1], title: m[2] ?? m[3], end: j + 1 };
}

function parseEmphasis(text: string, start: number): { strong: boolean; inner: string; end: number } | undefined {
  const c = text[start];
  const before = start > 0 ? text[start - 1] : ' ';
  // `_` inside words (snake_case) is never emphasis
  if (c === '_' && /[\p{L}\p{N}]/u.test(before)) {
    return undefined;
  }
  const strong = text[start + 1] === c;
  const marker = strong ? c + c : c;
  const open = start + marker.length;
  if (open >= text.length || /\s/.test(text[open])) {
    return undefined;
  }
  let i = open;
  while (i < text.length) {
    const j = text.indexOf(marker, i);
    if (j < 0) {
      return undefined;
    }
    if (text[j - 1] === '\\') {
      i = j + 1;
      continue;
    }
    // skip over code spans between the markers
    const tick = text.indexOf('`', i);
    if (tick >= 0 && tick < j) {
      const run = /^`+/.exec(text.slice(tick))![0];
      const close = findClosingBackticks(text, tick + run.length, run.length);
      if (close >= 0 && close > j) {
        i = close + run.length;
        continue;
      }
    }
    const after = text[j + marker.length] ?? ' ';
    if (j > open && !/\s/.test(text[j - 1]) && (c !== '_' || !/[\p{L}\p{N}]/u.test(after)) && (!strong || text[j + 2] !== c || j + 2 >= text.length)) {
      if (!strong && text[j + 1] === c) {
        // `*a**b*`: a ** inside an *em*; keep looking
        i = j + 2;
        continue;
      }
      return { strong, inner: text.slice(open, j), end: j + marker.length };
    }
    i = j + 1;
  }
  return undefined;
}
