/**
 * Unified diff → escaped, highlighted HTML rows (one row per diff line, with old/new line
 * numbers). Pure module.
 */
import { escapeHtml } from './escape';
import { highlightLines } from './highlight';

export interface DiffLine {
  kind: 'add' | 'del' | 'ctx' | 'hunk' | 'meta';
  text: string;
  oldLine?: number;
  newLine?: number;
}

export function parseUnifiedDiff(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldLine = 0;
  let newLine = 0;
  const lines = diff.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length && lines[lines.length - 1] === '') {
    lines.pop();
  }
  let inHunk = false;
  for (const line of lines) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(line);
    if (hunk) {
      oldLine = parseInt(hunk[1], 10);
      newLine = parseInt(hunk[2], 10);
      inHunk = true;
      out.push({ kind: 'hunk', text: line });
      continue;
    }
    if (!inHunk || line.startsWith('--- ') || line.startsWith('+++ ')) {
      if (line.startsWith('--- ') || line.startsWith('+++ ') || line.startsWith('diff ') || line.startsWith('index ')) {
        inHunk = false;
      }
      out.push({ kind: 'meta', text: line });
      continue;
    }
    if (line.startsWith('+')) {
      out.push({ kind: 'add', text: line.slice(1), newLine: newLine++ });
    } else if (line.startsWith('-')) {
      out.push({ kind: 'del', text: line.slice(1), oldLine: oldLine++ });
    } else if (line.startsWith('\\')) {
      out.push({ kind: 'meta', text: line });
    } else {
      out.push({ kind: 'ctx', text: line.slice(1), oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return out;
}

const SIGN: Record<DiffLine['kind'], string> = { add: '+', del: '-', ctx: ' ', hunk: '', meta: '' };
const LABEL: Record<DiffLine['kind'], string> = {
  add: 'added', del: 'removed', ctx: 'unchanged', hunk: 'hunk', meta: 'header',
};

/** The diff as a <div class="diff"> of rows; code lines are syntax-highlighted one by one. */
export function renderDiff(diff: string): string {
  const rows = parseUnifiedDiff(diff).map((d) => {
    if (d.kind === 'hunk' || d.kind === 'meta') {
      return `<div class="diff-row diff-${d.kind}"><span class="diff-text">${escapeHtml(d.text)}</span></div>`;
    }
    const code = highlightLines(d.text)[0] ?? '';
    const oldNo = d.oldLine !== undefined ? String(d.oldLine) : '';
    const newNo = d.newLine !== undefined ? String(d.newLine) : '';
    return `<div class="diff-row diff-${d.kind}" title="${LABEL[d.kind]}">` +
      `<span class="ln" aria-hidden="true">${oldNo}</span><span class="ln" aria-hidden="true">${newNo}</span>` +
      `<span class="diff-sign" aria-label="${LABEL[d.kind]}">${SIGN[d.kind]}</span>` +
      `<span class="diff-text">${code || ' '}</span></div>`;
  });
  return `<div class="diff" role="group" aria-label="Changes">${rows.join('')}</div>`;
}
