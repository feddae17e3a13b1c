/**
 * Test helper: a strict scan of the HTML the renderer produces. Because every piece of text is
 * escaped, every `<` in the output starts a tag the renderer wrote itself; this lists them so the
 * tests can assert that only expected elements and attributes exist.
 */
export interface Tag {
  name: string;
  closing: boolean;
  attrs: Record<string, string>;
  raw: string;
}

export function scanTags(html: string): Tag[] {
  const tags: Tag[] = [];
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*|!DOCTYPE)([^>]*)>/g;
  let m: RegExpExecArray | null;
  // the bodies of <style> and <script> are ours and contain `<`/`>`-free CSS/JS by construction
  const stripped = html.replace(/(<style[^>]*>)[\s\S]*?(<\/style>)/g, '$1$2').replace(/(<script[^>]*>)[\s\S]*?(<\/script>)/g, '$1$2');
  while ((m = re.exec(stripped))) {
    const attrs: Record<string, string> = {};
    const attrRe = /([^\s=/]+)(?:\s*=\s*"([^"]*)")?/g;
    let a: RegExpExecArray | null;
    while ((a = attrRe.exec(m[3]))) {
      attrs[a[1].toLowerCase()] = a[2] ?? '';
    }
    tags.push({ name: m[2].toLowerCase(), closing: m[1] === '/', attrs, raw: m[0] });
  }
  // no stray `<` may remain outside tags (it would be a tag we failed to scan)
  const leftovers = stripped.replace(re, '').match(/</g);
  if (leftovers) {
    throw new Error(`unexpected '<' outside tags: ${leftovers.length}`);
  }
  return tags;
}

export const ALLOWED_TAGS = new Set([
  '!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'script', 'main', 'header', 'section',
  'article', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'span',
  'strong', 'em', 'div', 'figure', 'figcaption', 'button', 'blockquote', 'hr',
]);

export const ALLOWED_ATTRS = new Set([
  'lang', 'charset', 'http-equiv', 'content', 'name', 'nonce', 'class', 'id', 'href', 'rel', 'title',
  'start', 'tabindex', 'role', 'aria-label', 'aria-labelledby', 'aria-hidden', 'aria-live',
  'aria-busy', 'aria-describedby', 'type', 'data-action', 'data-index', 'data-rule', 'disabled',
]);
