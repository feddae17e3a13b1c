/** Shapes of Bastion's custom requests (bastion/explain, bastion/rules). Pure module. */

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface Cwe {
  id?: number | string;
  name?: string;
  url?: string;
  /** The broader CWEs this one is a kind of (eval injection, 95, is code injection, 94). */
  broader?: number[];
}

export interface Owasp {
  id?: string;
  name?: string;
  url?: string;
}

export interface LessonFix {
  title: string;
  safety?: 'safe' | 'review' | string;
  diff?: string;
  /** an LSP WorkspaceEdit; the extension converts and applies it */
  edit?: unknown;
}

/** One line of a data-flow finding's path on the user's code: what happens there, in order. */
export interface PathRow {
  /** 1-based */
  line: number;
  code: string;
  /** the engine's notes; names are quoted in backticks */
  notes: string[];
  /** a step in another file: its name (and no code) */
  file?: string;
}

export interface Lesson {
  id: string;
  name?: string;
  title?: string;
  severity?: string;
  confidence?: string;
  cwe?: Cwe | null;
  owasp?: Owasp | string | null;
  tags?: string[];
  summary?: string;
  why?: string;
  howToFix?: string;
  vulnerable?: string;
  fixed?: string;
  references?: string[];
  whenFine?: string;
  howToTest?: string;
  variants?: { framework?: string; name?: string; text?: string }[];
  affectedVersions?: string[];
  markdown?: string;
  flagged?: { code: string; startLine: number } | null;
  /** a data-flow finding's path, source first (only when opened from the finding) */
  path?: PathRow[] | null;
  fixes?: LessonFix[] | null;
}

export interface ExplainParams {
  ruleId: string;
  uri?: string;
  range?: LspRange;
}

export interface RuleSummary {
  id: string;
  name?: string;
  title?: string;
  severity?: string;
  confidence?: string;
  cwe?: Cwe | null;
  owasp?: Owasp | string | null;
  tags?: string[];
}
