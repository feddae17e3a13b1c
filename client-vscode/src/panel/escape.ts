/** HTML escaping. Every piece of text that reaches the webview goes through one of these. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escape text for use in element content and in double- or single-quoted attribute values. */
export function escapeHtml(text: unknown): string {
  const s = text === null || text === undefined ? '' : String(text);
  // U+0000 and lone surrogates are dropped: they have no business in a lesson and some
  // parsers treat them specially.
  return s.replace(/[&<>"'`]/g, (c) => ENTITIES[c]).replace(/\u0000/g, '\uFFFD');
}

/** Escape for an attribute value; also strips newlines so the value stays on one line. */
export function escapeAttr(text: unknown): string {
  return escapeHtml(text).replace(/[\r\n\t]/g, ' ');
}

/**
 * A URL safe to put in an href: only absolute http(s) URLs, re-serialized by the URL parser
 * (so no quotes or spaces survive), else undefined.
 */
export function safeHttpUrl(raw: unknown): string | undefined {
  if (typeof raw !== 'string') {
    return undefined;
  }
  // Browsers ignore ASCII whitespace and control characters inside a scheme
  // ("java\nscript:"); refuse anything that has them rather than guessing.
  const trimmed = raw.trim();
  if (!trimmed || /[\u0000-\u001F\u007F\s]/.test(trimmed)) {
    return undefined;
  }
  if (!/^https?:\/\//i.test(trimmed)) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return undefined;
  }
  if (url.username || url.password) {
    return undefined;
  }
  return url.href;
}
