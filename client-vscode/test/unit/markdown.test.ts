import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { renderInline, renderMarkdown } from '../../src/panel/markdown';
import { safeHttpUrl } from '../../src/panel/escape';

describe('renderMarkdown', () => {
  it('renders paragraphs, lists, code, bold, italic and links', () => {
    const html = renderMarkdown([
      'First **bold** and *em* and `code <x>`.',
      'Same paragraph with [a link](https://example.com/a?b=1&c=2).',
      '',
      '- one',
      '- two with `shell=True`',
      '  continued',
      '',
      '1. first',
      '2. second',
      '   - nested',
    ].join('\n'));
    assert.equal(html, [
      '<p>First <strong>bold</strong> and <em>em</em> and <code>code &lt;x&gt;</code>. Same paragraph with <a href="https://example.com/a?b=1&amp;c=2" rel="noreferrer noopener">a link</a>.</p>',
      '<ul>\n<li>one</li>\n<li>two with <code>shell=True</code> continued</li>\n</ul>',
      '<ol>\n<li>first</li>\n<li>second\n<ul>\n<li>nested</li>\n</ul></li>\n</ol>',
    ].join('\n'));
  });

  it('does not italicize snake_case names', () => {
    assert.equal(renderInline('use yaml.safe_load or safe_dump_all'), 'use yaml.safe_load or safe_dump_all');
    assert.equal(renderInline('a _real_ em'), 'a <em>real</em> em');
  });

  it('honours backslash escapes', () => {
    assert.equal(renderInline('\\*not em\\* \\`x\\`'), '*not em* &#96;x&#96;');
  });

  it('starts numbered lists at their first number', () => {
    assert.match(renderMarkdown('3. three\n4. four'), /^<ol start="3">/);
  });

  it('highlights fenced python and escapes other fences', () => {
    const py = renderMarkdown('```python\nimport os  # <b>\n```');
    assert.equal(py, '<pre class="code lang-python"><code><span class="tok-kw">import</span> os  <span class="tok-com"># &lt;b&gt;</span></code></pre>');
    const sh = renderMarkdown('```sh\necho "<script>"\n```');
    assert.equal(sh, '<pre class="code"><code>echo &quot;&lt;script&gt;&quot;</code></pre>');
  });

  it('renders headings below the section level and block quotes', () => {
    assert.equal(renderMarkdown('## Sub'), '<h4>Sub</h4>');
    assert.equal(renderMarkdown('> quoted *x*'), '<blockquote><p>quoted <em>x</em></p></blockquote>');
  });

  it('shows raw HTML as text', () => {
    assert.equal(renderMarkdown('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    assert.equal(renderMarkdown('<img src=x onerror=alert(1)>'), '<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    assert.equal(renderMarkdown('</textarea>'), '<p>&lt;/textarea&gt;</p>');
  });

  it('renders only http(s) links as links', () => {
    for (const url of [
      'javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd', 'command:workbench.action.quit',
      '//evil.example/x', '/relative', '#frag', 'https://user:pw@evil.example/', 'http:/x',
    ]) {
      const html = renderInline(`[t](${url})`);
      assert.doesNotMatch(html, /<a /, `${url} became a link: ${html}`);
    }
    assert.match(renderInline('[t](https://owasp.org/)'), /^<a href="https:\/\/owasp\.org\/" rel="noreferrer noopener">t<\/a>$/);
    assert.match(renderInline('<https://owasp.org/x>'), /^<a href="https:\/\/owasp\.org\/x"/);
    assert.equal(renderInline('<javascript:alert(1)>'), '&lt;javascript:alert(1)&gt;');
  });

  it('escapes link titles and never nests links', () => {
    const html = renderInline('[x](https://a.example/ "a\\" onmouseover=\\"b")');
    assert.doesNotMatch(html, /" onmouseover/);
    const nested = renderInline('[[in](https://b.example/)](https://a.example/)');
    assert.equal((nested.match(/<a /g) ?? []).length, 1);
  });

  it('survives pathological input', () => {
    const deep = '> '.repeat(200) + 'x';
    assert.ok(renderMarkdown(deep).length > 0);
    for (const stars of ['*'.repeat(5000), '**a*'.repeat(1500), '_`'.repeat(2000), '[`'.repeat(2000)]) {
      const started = Date.now();
      const html = renderMarkdown(stars);
      assert.ok(!/<(?!\/?(p|em|strong|code|hr)>)/.test(html), html.slice(0, 200));
      assert.ok(Date.now() - started < 2000, 'too slow');
    }
    const brackets = '['.repeat(3000) + '](https://x)';
    assert.ok(renderMarkdown(brackets).length > 0);
    assert.equal(renderMarkdown(undefined), '');
    assert.equal(renderMarkdown(42 as unknown as string), '');
  });
});

describe('safeHttpUrl', () => {
  it('accepts http(s) only and normalizes', () => {
    assert.equal(safeHttpUrl('https://cwe.mitre.org/data/definitions/78.html'), 'https://cwe.mitre.org/data/definitions/78.html');
    assert.equal(safeHttpUrl('HTTP://EXAMPLE.com/a b'), undefined);
    assert.equal(safeHttpUrl('https://example.com/"x"'), 'https://example.com/%22x%22');
    assert.equal(safeHttpUrl('javascript:alert(1)'), undefined);
    assert.equal(safeHttpUrl('https://example.com/\n'), 'https://example.com/');
    assert.equal(safeHttpUrl('https://exa\nmple.com/'), undefined);
    assert.equal(safeHttpUrl(undefined), undefined);
  });
});
