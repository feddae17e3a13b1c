/**
 * The `bastion/visibleRanges` notification: which lines of a Python file the user is looking at,
 * so that the server's first analysis of a large file publishes findings there first.
 * Pure (no vscode import): src/visibleRanges.ts feeds it the editors and sends what it asks for.
 */

export const VISIBLE_RANGES_METHOD = 'bastion/visibleRanges';

/** LSP positions and ranges (0-based), as code2ProtocolConverter.asRange makes them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface VisibleRangesParams {
  textDocument: { uri: string };
  ranges: Range[];
}

/** One entry of the client's documentSelector: a language id, or a filter (a missing field matches anything). */
export type DocumentFilter = string | { scheme?: string; language?: string };

/** A document shown in one or more editors: its protocol URI and the ranges visible in them. */
export interface DocumentView {
  uri: string;
  scheme: string;
  languageId: string;
  ranges: Range[];
}

export interface VisibleRangesHost {
  /** The client's documentSelector: the documents it syncs; others are never reported. */
  selector: readonly DocumentFilter[];
  isRunning(): boolean;
  /** Whether the client has sent didOpen for this URI. */
  isOpen(uri: string): boolean;
  send(params: VisibleRangesParams): void;
}

export const DEBOUNCE_MS = 50;

export function visibleRangesParams(uri: string, ranges: readonly Range[]): VisibleRangesParams {
  return {
    textDocument: { uri },
    ranges: ranges.map((r) => ({
      start: { line: r.start.line, character: r.start.character },
      end: { line: r.end.line, character: r.end.character },
    })),
  };
}

export function isReported(view: DocumentView, selector: readonly DocumentFilter[]): boolean {
  return selector.some((f) => typeof f === 'string'
    ? f === view.languageId
    : (f.scheme ?? view.scheme) === view.scheme && (f.language ?? view.languageId) === view.languageId);
}

/**
 * Decides when to send: scrolling is debounced per document (only the latest ranges go out);
 * a newly shown document is sent at once. Ranges of a document the client has not opened yet are
 * held until opened() is called for it, so the server always sees didOpen first.
 */
export class VisibleRangesTracker {
  /** Ranges not sent yet, by URI: waiting for a debounce timer or for didOpen. */
  private readonly pending = new Map<string, Range[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private visible = new Set<string>();

  constructor(private readonly host: VisibleRangesHost, private readonly debounceMs = DEBOUNCE_MS) {}

  /** The visible ranges of a document changed (scrolling, resizing). */
  scrolled(view: DocumentView): void {
    if (!isReported(view, this.host.selector) || !this.host.isRunning()) {
      return;
    }
    this.pending.set(view.uri, view.ranges);
    clearTimeout(this.timers.get(view.uri));
    this.timers.set(view.uri, setTimeout(() => this.flush(view.uri), this.debounceMs));
  }

  /** The visible editors changed: `views` are all documents now visible; new ones are sent at once. */
  shown(views: readonly DocumentView[]): void {
    const now = new Set<string>();
    for (const view of views) {
      if (!isReported(view, this.host.selector)) {
        continue;
      }
      now.add(view.uri);
      if (!this.visible.has(view.uri) && this.host.isRunning()) {
        this.pending.set(view.uri, view.ranges);
        this.flush(view.uri);
      }
    }
    // a hidden document's ranges no longer matter (and may never get a didOpen)
    for (const uri of [...this.pending.keys(), ...this.timers.keys()]) {
      if (!now.has(uri)) {
        this.forget(uri);
      }
    }
    this.visible = now;
  }

  /** Send every visible document again: after the client started or restarted (a new server knows nothing). */
  showAll(views: readonly DocumentView[]): void {
    this.visible.clear();
    this.shown(views);
  }

  /** The client sent didOpen for `uri`: ranges held back for it can go now. */
  opened(uri: string): void {
    if (this.pending.has(uri) && !this.timers.has(uri)) {
      this.flush(uri);
    }
  }

  dispose(): void {
    for (const uri of [...this.timers.keys()]) {
      this.forget(uri);
    }
    this.pending.clear();
  }

  private flush(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    const ranges = this.pending.get(uri);
    if (!ranges || !this.host.isRunning()) {
      this.pending.delete(uri);
      return;
    }
    if (!this.host.isOpen(uri)) {
      return; // kept in pending for opened()
    }
    this.pending.delete(uri);
    this.host.send(visibleRangesParams(uri, ranges));
  }

  private forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.pending.delete(uri);
  }
}
