/**
 * A small Python tokenizer and highlighter for the lesson panel. It never evaluates anything:
 * it splits source text into tokens and emits escaped `<span class="tok-…">` elements.
 * Pure module (no vscode import) so it is unit-testable.
 */
import { escapeHtml } from './escape';

export type TokenKind =
  | 'keyword'
  | 'constant'
  | 'builtin'
  | 'string'
  | 'number'
  | 'comment'
  | 'decorator'
  | 'function'
  | 'class'
  | 'operator'
  | 'punctuation'
  | 'name'
  | 'whitespace';

export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set([
  'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda',
  'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
  'match', 'case', 'type',
]);
// soft keywords are only keywords at the start of a statement
const SOFT_KEYWORDS = new Set(['match', 'case', 'type']);
const CONSTANTS = new Set(['True', 'False', 'None', 'NotImplemented', 'Ellipsis', '__debug__']);
const BUILTINS = new Set([
  'abs', 'all', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable',
  'chr', 'classmethod', 'compile', 'complex', 'delattr', 'dict', 'dir', 'divmod', 'enumerate',
  'eval', 'exec', 'filter', 'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr',
  'hash', 'help', 'hex', 'id', 'input', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'list',
  'locals', 'map', 'max', 'memoryview', 'min', 'next', 'object', 'oct', 'open', 'ord', 'pow',
  'print', 'property', 'range', 'repr', 'reversed', 'round', 'set', 'setattr', 'slice', 'sorted',
  'staticmethod', 'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip', '__import__', 'self',
  'cls', 'Exception', 'ValueError', 'TypeError', 'KeyError', 'OSError', 'RuntimeError',
]);

const STRING_START = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?('''|"""|'|")/;
const NUMBER = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?)/;
const NAME = /^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\u00C0-\uFFFF]*/;
const OPERATOR = /^(?:\*\*=?|\/\/=?|<<=?|>>=?|->|:=|[-+*/%@&|^~<>!=]=?|\.{3})/;
const PUNCT = /^[()[\]{},:;.\\]/;

/** Split Python source into tokens; concatenating the token texts gives back the input. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let lineStart = true; // only whitespace so far on this logical line
  let prevSignificant: Token | undefined;
  const push = (kind: TokenKind, text: string) => {
    tokens.push({ kind, text });
    if (kind !== 'whitespace' && kind !== 'comment') {
      prevSignificant = tokens[tokens.length - 1];
    }
  };
  while (i < src.length) {
    const rest = src.slice(i);
    const ch = src[i];
    if (ch === '\n' || ch === '\r' || ch === ' ' || ch === '\t' || ch === '\f') {
      const m = /^[ \t\f\r\n]+/.exec(rest)!;
      push('whitespace', m[0]);
      if (m[0].includes('\n')) {
        lineStart = true;
      }
      i += m[0].length;
      continue;
    }
    if (ch === '#') {
      const end = src.indexOf('\n', i);
      const text = end < 0 ? rest : src.slice(i, end);
      push('comment', text);
      i += text.length;
      continue;
    }
    const str = STRING_START.exec(rest);
    if (str) {
      const len = scanString(src, i, str[0].length, str[1], /[rR]/.test(str[0].slice(0, -str[1].length)));
      push('string', src.slice(i, i + len));
      i += len;
      lineStart = false;
      continue;
    }
    if (ch === '@' && lineStart) {
      const m = /^@[ \t]*[A-Za-z_][\w.]*/.exec(rest);
      if (m) {
        push('decorator', m[0]);
        i += m[0].length;
        lineStart = false;
        continue;
      }
    }
    const num = /[0-9.]/.test(ch) ? NUMBER.exec(rest) : null;
    if (num && num[0] !== '.' && num[0].length > 0) {
      push('number', num[0]);
      i += num[0].length;
      lineStart = false;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      const word = name[0];
      let kind: TokenKind = 'name';
      const prevText = prevSignificant?.text;
      if (prevText === 'def' && prevSignificant?.kind === 'keyword') {
        kind = 'function';
      } else if (prevText === 'class' && prevSignificant?.kind === 'keyword') {
        kind = 'class';
      } else if (prevText === '.') {
        kind = 'name'; // attribute: never a keyword or builtin
      } else if (KEYWORDS.has(word) && (!SOFT_KEYWORDS.has(word) || (lineStart && softKeywordFollows(src, i + word.length)))) {
        kind = 'keyword';
      } else if (CONSTANTS.has(word)) {
        kind = 'constant';
      } else if (BUILTINS.has(word)) {
        kind = 'builtin';
      }
      push(kind, word);
      i += word.length;
      lineStart = false;
      continue;
    }
    const op = OPERATOR.exec(rest);
    if (op) {
      push('operator', op[0]);
      i += op[0].length;
      lineStart = false;
      continue;
    }
    const punct = PUNCT.exec(rest);
    if (punct) {
      push('punctuation', punct[0]);
      i += punct[0].length;
      lineStart = punct[0] === '\\' ? lineStart : false;
      continue;
    }
    // anything else (stray characters, `$`, `?`, emoji): one code point as a name
    const cp = String.fromCodePoint(src.codePointAt(i)!);
    push('name', cp);
    i += cp.length;
    lineStart = false;
  }
  return tokens;
}

function softKeywordFollows(src: string, at: number): boolean {
  // `match x:` / `case 1:` / `type X = ...` — a keyword when followed by an expression, not by
  // an operator such as `=`, `.` or `(` at once (`match = 3`, `type(x)`).
  const m = /^[ \t]+([^\s=.(),:\]}])/.exec(src.slice(at));
  return !!m;
}

function scanString(src: string, start: number, openLen: number, quote: string, raw: boolean): number {
  let i = start + openLen;
  const triple = quote.length === 3;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      i += 2; // an escaped character, also in raw strings for tokenizing purposes
      continue;
    }
    if (!triple && (c === '\n' || c === '\r')) {
      return i - start; // unterminated single-line string stops at the end of the line
    }
    if (src.startsWith(quote, i)) {
      return i + quote.length - start;
    }
    i++;
  }
  void raw;
  return Math.min(i, src.length) - start;
}

const CLASS: Record<TokenKind, string> = {
  keyword: 'tok-kw',
  constant: 'tok-const',
  builtin: 'tok-bi',
  string: 'tok-str',
  number: 'tok-num',
  comment: 'tok-com',
  decorator: 'tok-dec',
  function: 'tok-fn',
  class: 'tok-cls',
  operator: 'tok-op',
  punctuation: 'tok-punct',
  name: '',
  whitespace: '',
};

/**
 * Highlight Python source; one HTML string per source line (split on \n, a trailing \r is
 * dropped). Every line is self-contained: spans never cross lines.
 */
export function highlightLines(src: string): string[] {
  const lines: string[] = [''];
  for (const tok of tokenize(src.replace(/\r\n?/g, '\n'))) {
    const cls = CLASS[tok.kind];
    const parts = tok.text.split('\n');
    parts.forEach((part, n) => {
      if (n > 0) {
        lines.push('');
      }
      if (part) {
        const esc = escapeHtml(part);
        lines[lines.length - 1] += cls ? `<span class="${cls}">${esc}</span>` : esc;
      }
    });
  }
  return lines;
}

/** Highlight Python source as one HTML string (lines joined by \n, for a <pre>). */
export function highlight(src: string): string {
  return highlightLines(src).join('\n');
}
