import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, renderCodeBlock, renderLessonPage, renderMessagePage } from '../../src/panel/render';
import type { Lesson } from '../../src/panel/types';
import { ALLOWED_ATTRS, ALLOWED_TAGS, scanTags } from './htmlcheck';

const NONCE = 'abcdefghijklmnopqrstuv';
const OPTS = { nonce: NONCE, cspSource: 'https://file+.vscode-resource.vscode-cdn.net' };

const EVIL = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '</textarea><script>window.__pwned=3</script>',
  '"><svg onload=alert(4)>',
  "'><iframe src=javascript:alert(5)>",
  '</pre></code><style>body{display:none}</style>',
  '<!-- comment --><a href="javascript:alert(6)">x</a>',
].join(' ');

export const evilLesson: Lesson = {
  id: 'B602<script>',
  name: 'name"><script>alert(1)</script>',
  title: `Title ${EVIL}`,
  severity: 'high" onmouseover="alert(1)',
  confidence: 'medium',
  cwe: { id: '78"><script>alert(1)</script>', name: `CWE name ${EVIL}`, url: 'javascript:alert(1)' },
  owasp: { id: 'A03:2021<script>', name: `Injection ${EVIL}`, url: 'javascript:alert(2)' },
  tags: ['subprocess', EVIL],
  summary: `Summary ${EVIL}`,
  why: [
    `Why ${EVIL}`,
    '',
    '[click me](javascript:alert(7)) and [data](data:text/html;base64,PHNjcmlwdD4=) and [vb](vbscript:msgbox(1))',
    '[case](JaVaScRiPt:alert(8)) [entity](&#106;avascript:alert(9)) [spaced]( javascript:alert(10))',
    '[quoted](https://example.com/"onmouseover="alert(11)) <javascript:alert(12)>',
    '[ok](https://owasp.org/Top10/ "t\\" onmouseover=\\"x")',
    '- item <script>alert(13)</script>',
    '- `code </textarea><script>alert(14)</script>`',
    '',
    '```python',
    `x = "${EVIL}"`,
    '```',
  ].join('\n'),
  howToFix: `1. Fix **bold <img src=x onerror=alert(15)>**\n2. Step \`</textarea>\``,
  vulnerable: `import subprocess\n# ${EVIL}\nsubprocess.run("ls </textarea>", shell=True)\n`,
  fixed: `import subprocess\ns = '''${EVIL}'''\nsubprocess.run(["ls"])\n`,
  references: ['javascript:alert(16)', 'https://cwe.mitre.org/data/definitions/78.html', `https://example.com/${EVIL}`],
  markdown: EVIL,
  flagged: { code: `subprocess.run(cmd, shell=True)  # ${EVIL}\n</textarea>`, startLine: 12 },
  path: [
    { line: 3, code: `cmd = request.args["c"]  # ${EVIL}`, notes: [`Request data: \`${EVIL}\``, `odd \` ${EVIL}`] },
    { line: 12, code: '</pre></code><script>alert(17)</script>', notes: ['reaches `subprocess.run`'] },
  ],
  fixes: [
    {
      title: `Remove shell=True ${EVIL}`,
      safety: 'review',
      diff: `--- a/app.py\n+++ b/app.py\n@@ -12,1 +12,1 @@\n-subprocess.run(cmd, shell=True)  # ${EVIL}\n+subprocess.run(shlex.split(cmd))  # </textarea><script>alert(1)</script>\n`,
      edit: { changes: {} },
    },
  ],
};

function assertInert(html: string): void {
  const tags = scanTags(html);
  for (const t of tags) {
    assert.ok(ALLOWED_TAGS.has(t.name), `unexpected element <${t.name}>: ${t.raw}`);
    for (const [name, value] of Object.entries(t.name === '!doctype' ? {} : t.attrs)) {
      assert.ok(ALLOWED_ATTRS.has(name), `unexpected attribute ${name} in ${t.raw}`);
      assert.ok(!/^on/i.test(name), `event handler attribute in ${t.raw}`);
      if (name === 'href') {
        assert.match(value, /^https?:\/\//, `non-http href in ${t.raw}`);
        assert.doesNotMatch(value, /["'<>\s]/, `unsafe characters in href ${t.raw}`);
      }
    }
  }
  // exactly one script and one style element: ours, with the nonce
  const scripts = tags.filter((t) => t.name === 'script' && !t.closing);
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0].attrs.nonce, NONCE);
  const styles = tags.filter((t) => t.name === 'style' && !t.closing);
  assert.equal(styles.length, 1);
  assert.equal(styles[0].attrs.nonce, NONCE);
  assert.ok(!tags.some((t) => t.name === 'img' || t.name === 'iframe' || t.name === 'svg' || t.name === 'textarea'));
  // no inline style attributes (the CSP would block them anyway)
  assert.ok(!tags.some((t) => 'style' in t.attrs));
  assert.doesNotMatch(html, /<\/textarea/i);
  assert.doesNotMatch(html, /<!--/);
}

describe('renderLessonPage', () => {
  it('renders a normal lesson with every section', () => {
    const html = renderLessonPage({
      id: 'B602',
      name: 'subprocess_popen_with_shell_equals_true',
      title: 'subprocess call with shell=True',
      severity: 'high',
      confidence: 'high',
      cwe: { id: 78, name: 'OS Command Injection', url: 'https://cwe.mitre.org/data/definitions/78.html' },
      owasp: { id: 'A03:2021', name: 'Injection' },
      tags: ['subprocess', 'injection'],
      summary: 'A shell parses the command.',
      why: 'The **shell** interprets `;`.',
      howToFix: '1. Pass a list.\n2. Drop `shell=True`.',
      vulnerable: 'import subprocess\nsubprocess.run("ls", shell=True)\n',
      fixed: 'import subprocess\nsubprocess.run(["ls"])\n',
      references: ['https://cwe.mitre.org/data/definitions/78.html'],
      markdown: '# ignored when why/howToFix exist',
      flagged: { code: 'subprocess.run(cmd, shell=True)', startLine: 12 },
      fixes: [{ title: 'Use a list', safety: 'safe', diff: '@@ -12 +12 @@\n-a\n+b\n', edit: { changes: {} } }],
    }, { ...OPTS, location: 'app.py:12', flaggedLines: [12, 12] });
    assertInert(html);
    assert.match(html, /<h1>subprocess call with shell=True<\/h1>/);
    assert.match(html, /sev-high/);
    assert.match(html, /<a href="https:\/\/cwe\.mitre\.org\/data\/definitions\/78\.html"[^>]*><span class="badge-key">CWE<\/span> CWE-78/);
    assert.match(html, /OWASP<\/span> A03:2021 <span class="badge-name">Injection<\/span>/);
    assert.match(html, /<h2 id="h-why">Why it matters<\/h2>/);
    assert.match(html, /<ol>\n<li>Pass a list\.<\/li>/);
    assert.match(html, /class="example example-vulnerable"/);
    assert.match(html, /class="example example-fixed"/);
    assert.match(html, /<span class="ln" aria-hidden="true">12<\/span>/);
    assert.match(html, /class="line marked"/);
    assert.match(html, /<button type="button" class="primary" data-action="apply" data-index="0"/);
    assert.match(html, /data-action="reveal"/);
    assert.doesNotMatch(html, /ignored when why/);
    // the tab order follows the document: the reveal button comes before the apply buttons
    assert.ok(html.indexOf('data-action="reveal"') < html.indexOf('data-action="apply"'));
  });

  it('keeps injection attempts in every field inert', () => {
    const html = renderLessonPage(evilLesson, { ...OPTS, location: 'a<script>.py:1', notice: '<script>x</script>' });
    assertInert(html);
    // the text is there, escaped
    assert.ok(html.includes('&lt;script&gt;window.__pwned = 1&lt;/script&gt;'));
    assert.ok(html.includes('&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;'));
    assert.ok(html.includes('&lt;/textarea&gt;'));
    // javascript:/data:/vbscript: links are rendered as text, not as links
    assert.ok(html.includes('click me (javascript:alert(7))'));
    assert.doesNotMatch(html, /href="[^"]*(javascript|data|vbscript):/i);
    // the quote inside the http URL is percent-encoded by the URL parser
    assert.ok(html.includes('href="https://example.com/%22onmouseover=%22alert(11)"'));
    // the severity is whitelisted, not echoed
    assert.doesNotMatch(html, /onmouseover="alert/);
  });

  it('shows a data-flow path under "Your code", source to sink, before the fixes', () => {
    const html = renderLessonPage({
      id: 'BST202',
      flagged: { code: '    return ping(host)', startLine: 43 },
      path: [
        { line: 42, code: 'host = request.args.get("host")', notes: ['Request data: `request.args`', 'assigned to `host`'] },
        { line: 43, code: 'return ping(host)', notes: ['passed to `ping`'] },
        { line: 13, code: 'subprocess.run(f"ping {host}", shell=True)', notes: ['reaches `subprocess.run`'] },
        { line: 0, code: 'not a row', notes: [] },
      ],
      fixes: [{ title: 'Quote it', safety: 'review', diff: '', edit: {} }],
      why: 'Why.',
    }, OPTS);
    assertInert(html);
    const steps = html.match(/<p class="flow-note">.*?<\/p>/g) ?? [];
    assert.deepEqual(steps, [
      '<p class="flow-note"><span class="flow-role">Source</span> · line 42: Request data: <code>request.args</code>; assigned to <code>host</code></p>',
      '<p class="flow-note"><span class="flow-role">Step</span> · line 43: passed to <code>ping</code></p>',
      '<p class="flow-note"><span class="flow-role">Sink</span> · line 13: reaches <code>subprocess.run</code></p>',
    ]);
    assert.match(html, /<pre class="code lang-python numbered flow-code"[^>]*><code><span class="line"><span class="ln" aria-hidden="true">13<\/span>/);
    const at = (s: string) => html.indexOf(s);
    assert.ok(at('id="h-flagged"') < at('id="h-path"') && at('id="h-path"') < at('id="h-fixes"') && at('id="h-fixes"') < at('id="h-why"'));
    assert.doesNotMatch(renderLessonPage({ id: 'B602', flagged: { code: 'x', startLine: 1 } }, OPTS), /h-path/);
    // a step in another file: its name, no code from this document
    const other = renderLessonPage({ id: 'BST201', flagged: { code: 'x', startLine: 1 }, path: [{ line: 7, code: '', notes: ['reaches `open`'], file: 'helpers<b>.py' }] }, OPTS);
    assertInert(other);
    assert.ok(other.includes('<span class="flow-role">Source and sink</span> · <code>helpers&lt;b&gt;.py</code> line 7: reaches <code>open</code>'));
    assert.doesNotMatch(other, /flow-code/);
  });

  it('shows when it is fine, how to test, framework variants and affected versions after the fix', () => {
    const html = renderLessonPage({
      id: 'B602', why: 'Why.', howToFix: 'Fix.', vulnerable: 'x = 1\n',
      whenFine: 'The command is a **constant**.', howToTest: 'Call `run("; id")`.',
      variants: [{ framework: 'flask', name: 'Flask', text: 'Use `flask.safe_join`.' }, { framework: 'x', name: '<b>', text: '' }],
      affectedVersions: ['CVE-2099-0001 (2099-01) <script>'],
    }, OPTS);
    assertInert(html);
    const h2 = [...html.matchAll(/<h2 id="[^"]+">([^<]+)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(h2, ['Why it matters', 'How to fix', 'When this is fine', 'How to test', 'Framework variants', 'Affected versions', 'Example']);
    assert.ok(html.includes('<strong>Flask:</strong> Use <code>flask.safe_join</code>.'));
    assert.ok(html.includes('CVE-2099-0001 (2099-01) &lt;script&gt;'));
  });

  it('renders the markdown field when why/howToFix are missing', () => {
    const html = renderLessonPage({ id: 'B101', markdown: '# Heading\n\nText <b>bold</b>' }, OPTS);
    assertInert(html);
    assert.match(html, /<h3>Heading<\/h3>/);
    assert.ok(html.includes('Text &lt;b&gt;bold&lt;/b&gt;'));
  });

  it('disables Apply for a fix without an edit and tells when no fix exists', () => {
    const withoutEdit = renderLessonPage({ id: 'B1', flagged: { code: 'x', startLine: 1 }, fixes: [{ title: 't', safety: 'safe', diff: '' }] }, OPTS);
    assert.match(withoutEdit, /data-index="0" aria-describedby="fix-0-title" disabled>/);
    const noFix = renderLessonPage({ id: 'B1', flagged: { code: 'x', startLine: 1 } }, OPTS);
    assert.match(noFix, /no automatic fix/);
  });

  it('sets the strict CSP and refuses nonces or sources that could widen it', () => {
    const html = renderLessonPage({ id: 'B1' }, OPTS);
    const csp = contentSecurityPolicy(NONCE, OPTS.cspSource);
    assert.equal(csp, `default-src 'none'; style-src ${OPTS.cspSource} 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; img-src ${OPTS.cspSource};`);
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${csp.replace(/'/g, '&#39;')}">`));
    assert.throws(() => renderLessonPage({ id: 'B1' }, { ...OPTS, nonce: "x' 'unsafe-inline" }));
    assert.throws(() => renderLessonPage({ id: 'B1' }, { ...OPTS, nonce: 'short' }));
    assert.throws(() => renderLessonPage({ id: 'B1' }, { ...OPTS, cspSource: "https://x; script-src 'unsafe-inline'" }));
    assert.throws(() => renderLessonPage({ id: 'B1' }, { ...OPTS, cspSource: "https://x 'unsafe-inline'" }));
    assert.throws(() => renderLessonPage({ id: 'B1' }, { ...OPTS, cspSource: 'https://x" onload="y' }));
    // VS Code web's form: a keyword and a host source
    assert.match(renderLessonPage({ id: 'B1' }, { ...OPTS, cspSource: "'self' https://*.vscode-cdn.net" }),
      /style-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net &#39;nonce-/);
  });

  it('renders message pages inertly', () => {
    const html = renderMessagePage('<script>h</script>', EVIL, { ...OPTS, retry: true });
    assertInert(html);
    assert.match(html, /role="alert"/);
    assert.match(html, /data-action="retry"/);
  });

  it('numbers code lines from firstLine', () => {
    const html = renderCodeBlock('a\nb\n', { firstLine: 7, mark: [8, 8], label: 'x' });
    assert.match(html, /<span class="line"><span class="ln" aria-hidden="true">7<\/span>/);
    assert.match(html, /<span class="line marked"><span class="ln" aria-hidden="true">8<\/span>/);
    assert.doesNotMatch(html, />9</);
  });
});
