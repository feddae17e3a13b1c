/** Arguments of bastion.learnMore and rule quick-pick items. Pure module. */
import type { LspRange, RuleSummary } from '../panel/types';

export interface LearnMoreArgs {
  ruleId: string;
  uri?: string;
  range?: LspRange;
}

/**
 * What the code action (`[{"ruleId","uri","range"}]`), the hover's command: link (the same,
 * URL-encoded) and the palette pass; a bare rule id string works too.
 */
export function parseLearnMoreArgs(args: unknown[]): LearnMoreArgs | undefined {
  let a: unknown = args[0];
  if (Array.isArray(a)) {
    a = a[0];
  }
  if (typeof a === 'string' && /^[A-Za-z]{1,4}\d{1,4}$/.test(a.trim())) {
    return { ruleId: a.trim().toUpperCase() };
  }
  if (a && typeof a === 'object' && typeof (a as LearnMoreArgs).ruleId === 'string' && (a as LearnMoreArgs).ruleId.trim()) {
    const o = a as LearnMoreArgs;
    const range = isRange(o.range) ? o.range : undefined;
    return { ruleId: o.ruleId.trim().toUpperCase(), uri: typeof o.uri === 'string' ? o.uri : undefined, range };
  }
  return undefined;
}

export function isRange(r: unknown): r is LspRange {
  const x = r as LspRange;
  return !!x && typeof x === 'object' && !!x.start && !!x.end &&
    Number.isInteger(x.start.line) && Number.isInteger(x.start.character) &&
    Number.isInteger(x.end.line) && Number.isInteger(x.end.character);
}

export interface RuleItem {
  label: string;
  description: string;
  detail: string;
  ruleId: string;
}

/** A quick-pick item searchable by id (label), title (description) and CWE/OWASP/tags (detail). */
export function ruleQuickPickItem(r: RuleSummary): RuleItem {
  const cwe = r.cwe && r.cwe.id !== undefined && r.cwe.id !== null && r.cwe.id !== ''
    ? `CWE-${r.cwe.id}${r.cwe.name ? ` ${r.cwe.name}` : ''}${broaderCwes(r.cwe.broader)}` : '';
  const owasp = typeof r.owasp === 'string' ? r.owasp : r.owasp?.id ?? '';
  const detail = [
    cwe,
    owasp && `OWASP ${owasp}`,
    r.severity && `severity ${r.severity}`,
    r.tags && r.tags.length ? r.tags.join(', ') : '',
  ].filter(Boolean).join(' · ');
  return { label: r.id, description: r.title ?? r.name ?? '', detail, ruleId: r.id };
}

/** ` (a kind of CWE-94)`: so that searching the broader CWE finds the rule too. */
function broaderCwes(broader: unknown): string {
  const ids = Array.isArray(broader) ? broader.filter((b) => Number.isInteger(b)) : [];
  return ids.length ? ` (a kind of ${ids.map((b) => `CWE-${b}`).join(', ')})` : '';
}

/** B101 < B602 < BST101: bandit ids first, then Bastion's own, numerically. */
export function compareRuleIds(a: string, b: string): number {
  const key = (id: string) => [id.startsWith('BST') ? 1 : 0, parseInt(id.replace(/^\D+/, ''), 10) || 0] as const;
  const [ga, na] = key(a);
  const [gb, nb] = key(b);
  return ga - gb || na - nb || a.localeCompare(b);
}

/**
 * Rules whose id, title, CWE, OWASP category or tags contain every word of the query
 * (case-insensitive; "cwe 78", "CWE-78", "78", "shell" and "b6" all work). Ids that start
 * with the query come first. VS Code's own quick-pick filter is fuzzy, which for "CWE-502"
 * also lists rules that merely contain the letters in order; this one is exact.
 */
export function filterRuleItems<T extends RuleItem>(items: readonly T[], query: string): T[] {
  const words = query.toLowerCase().replace(/\bcwe\s*-?\s*(\d+)/g, 'cwe-$1').split(/\s+/).filter(Boolean);
  if (!words.length) {
    return [...items];
  }
  const hay = (i: RuleItem) => `${i.label} ${i.description} ${i.detail}`.toLowerCase();
  const matches = items.filter((i) => {
    const h = hay(i);
    return words.every((w) => (/^cwe-\d+$/.test(w) ? new RegExp(`\\b${w}\\b`).test(h) : h.includes(w)));
  });
  const q = words[0];
  return matches.sort((a, b) => Number(!a.label.toLowerCase().startsWith(q)) - Number(!b.label.toLowerCase().startsWith(q)));
}
