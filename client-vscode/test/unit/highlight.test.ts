import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { highlight, highlightLines, tokenize } from '../../src/panel/highlight';
import { parseUnifiedDiff, renderDiff } from '../../src/panel/diff';

const SAMPLE = `import subprocess, yaml
from typing import Any

@app.route("/run")
def run(cmd: str, n=0x1F, f=1.5e-3) -> Any:
    """Doc with 'quotes' and <tags>
    over two lines"""
    data = yaml.load(open("c.yml"), Loader=yaml.Loader)  # B506
    s = rb'\\d+' + f"{cmd!r}" + 'it\\'s'
    match data:
        case {"k": v} if v is not None:
            return subprocess.run(cmd, shell=True)
    type = "x"
    return print(self.type, True, None)
`;

describe('tokenize', () => {
  it('round-trips the source exactly', () => {
    for (const src of [SAMPLE, '', '"unterminated\nx = 1', "'''open\n", '\\\n', 'é = "ü" # ✓ 🎉\r\nx', '1..2 .5 1_000 0b10j']) {
      assert.equal(tokenize(src).map((t) => t.text).join(''), src);
    }
  });

  it('round-trips random input', () => {
    const alphabet = 'ab_1 \n\t\'"#\\()[]{}:=<>&;.@rbf`$é🎉\r';
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 500; n++) {
      let s = '';
      const len = Math.floor(rand() * 60);
      for (let i = 0; i < len; i++) {
        s += [...alphabet][Math.floor(rand() * [...alphabet].length)];
      }
      assert.equal(tokenize(s).map((t) => t.text).join(''), s);
      // no raw < or & ever reaches the HTML
      assert.doesNotMatch(highlight(s).replace(/<\/?span( class="tok-[a-z]+")?>/g, ''), /[<>]|&(?!(amp|lt|gt|quot|#39|#96);)/);
    }
  });

  it('classifies keywords, strings, comments, numbers, decorators, names', () => {
    const kinds = (src: string) => tokenize(src).filter((t) => t.kind !== 'whitespace').map((t) => `${t.kind}:${t.text}`);
    assert.deepEqual(kinds('def f(x): return None  # c'), [
      'keyword:def', 'function:f', 'punctuation:(', 'name:x', 'punctuation:)', 'punctuation::', 'keyword:return', 'constant:None', 'comment:# c',
    ]);
    assert.deepEqual(kinds('@dec.x\nclass C: pass'), ['decorator:@dec.x', 'keyword:class', 'class:C', 'punctuation::', 'keyword:pass']);
    assert.deepEqual(kinds('obj.print(rb"x", 0x1f, 1e3)'), [
      'name:obj', 'punctuation:.', 'name:print', 'punctuation:(', 'string:rb"x"', 'punctuation:,', 'number:0x1f', 'punctuation:,', 'number:1e3', 'punctuation:)',
    ]);
    assert.deepEqual(kinds('match = 1'), ['name:match', 'operator:=', 'number:1']);
    assert.deepEqual(kinds('match x:'), ['keyword:match', 'name:x', 'punctuation::']);
    assert.deepEqual(kinds('a @ b'), ['name:a', 'operator:@', 'name:b']);
  });

  it('keeps spans within lines for multi-line strings', () => {
    const lines = highlightLines('x = """a\n<b>\nc"""\ny');
    assert.equal(lines.length, 4);
    assert.equal(lines[1], '<span class="tok-str">&lt;b&gt;</span>');
    assert.equal(lines[3], 'y');
  });
});

describe('diff', () => {
  const diff = '--- a/app.py\n+++ b/app.py\n@@ -10,3 +10,3 @@ def f():\n ctx = 1\n-bad("<x>", shell=True)\n+good(["<x>"])\n end\n';
  it('numbers old and new lines', () => {
    const rows = parseUnifiedDiff(diff);
    assert.deepEqual(rows.map((r) => [r.kind, r.oldLine, r.newLine]), [
      ['meta', undefined, undefined], ['meta', undefined, undefined], ['hunk', undefined, undefined],
      ['ctx', 10, 10], ['del', 11, undefined], ['add', undefined, 11], ['ctx', 12, 12],
    ]);
  });
  it('renders escaped, highlighted rows', () => {
    const html = renderDiff(diff);
    assert.match(html, /class="diff-row diff-del"/);
    assert.match(html, /class="diff-row diff-add"/);
    assert.ok(html.includes('<span class="tok-str">&quot;&lt;x&gt;&quot;</span>'));
    assert.doesNotMatch(html, /<x>/);
  });
});
