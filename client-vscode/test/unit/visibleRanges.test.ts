import { strict as assert } from 'node:assert';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import {
  DEBOUNCE_MS, DocumentView, Range, VisibleRangesParams, VisibleRangesTracker, isReported, visibleRangesParams,
} from '../../src/common/visibleRanges';

// the client's documentSelector (src/server.ts)
const SELECTOR = [{ scheme: 'file', language: 'python' }, { scheme: 'untitled', language: 'python' }];

const range = (from: number, to: number): Range => ({ start: { line: from, character: 0 }, end: { line: to, character: 4 } });

function view(uri: string, ranges: Range[], languageId = 'python'): DocumentView {
  return { uri, scheme: uri.slice(0, uri.indexOf(':')), languageId, ranges };
}

function setup(opts: { running?: boolean; open?: (uri: string) => boolean } = {}) {
  const sent: VisibleRangesParams[] = [];
  const state = { running: opts.running ?? true };
  const tracker = new VisibleRangesTracker({
    selector: SELECTOR,
    isRunning: () => state.running,
    isOpen: opts.open ?? (() => true),
    send: (p) => sent.push(p),
  });
  return { tracker, sent, state };
}

describe('bastion/visibleRanges', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('builds LSP params with every range', () => {
    assert.deepEqual(visibleRangesParams('file:///w/big.py', [range(0, 40), range(120, 160), range(900, 910)]), {
      textDocument: { uri: 'file:///w/big.py' },
      ranges: [
        { start: { line: 0, character: 0 }, end: { line: 40, character: 4 } },
        { start: { line: 120, character: 0 }, end: { line: 160, character: 4 } },
        { start: { line: 900, character: 0 }, end: { line: 910, character: 4 } },
      ],
    });
  });

  it('debounces scrolling per document and sends only the latest ranges', () => {
    const { tracker, sent } = setup();
    tracker.shown([]);
    tracker.scrolled(view('file:///a.py', [range(0, 10)]));
    tracker.scrolled(view('file:///b.py', [range(5, 15)]));
    mock.timers.tick(DEBOUNCE_MS - 10);
    tracker.scrolled(view('file:///a.py', [range(10, 20)]));
    tracker.scrolled(view('file:///a.py', [range(20, 30), range(50, 60)]));
    assert.equal(sent.length, 0);
    mock.timers.tick(10);
    assert.deepEqual(sent, [visibleRangesParams('file:///b.py', [range(5, 15)])]);
    mock.timers.tick(DEBOUNCE_MS);
    assert.deepEqual(sent.slice(1), [visibleRangesParams('file:///a.py', [range(20, 30), range(50, 60)])]);
    mock.timers.tick(10 * DEBOUNCE_MS);
    assert.equal(sent.length, 2);
  });

  it('sends a newly visible document at once, and only once while it stays visible', () => {
    const { tracker, sent } = setup();
    const a = view('file:///a.py', [range(0, 30)]);
    tracker.shown([a]);
    assert.deepEqual(sent, [visibleRangesParams('file:///a.py', [range(0, 30)])]);
    tracker.shown([a, view('untitled:Untitled-1', [range(0, 5)])]);
    assert.deepEqual(sent.map((p) => p.textDocument.uri), ['file:///a.py', 'untitled:Untitled-1']);
    tracker.shown([]);
    tracker.shown([a]);
    tracker.showAll([a]);
    assert.deepEqual(sent.map((p) => p.textDocument.uri), ['file:///a.py', 'untitled:Untitled-1', 'file:///a.py', 'file:///a.py']);
  });

  it('ignores non-Python documents and schemes outside the document selector', () => {
    const { tracker, sent } = setup();
    const others = [
      view('file:///notes.txt', [range(0, 9)], 'plaintext'),
      view('git:/a.py', [range(0, 9)]),
      view('vscode-notebook-cell:/n.ipynb#c1', [range(0, 9)]),
      view('output:extension-output', [range(0, 9)], 'log'),
    ];
    tracker.showAll(others);
    others.forEach((v) => tracker.scrolled(v));
    mock.timers.tick(DEBOUNCE_MS);
    assert.deepEqual(sent, []);
    assert.equal(isReported(view('file:///a.py', []), SELECTOR), true);
    assert.equal(isReported(view('git:/a.py', []), ['python']), true);
    assert.equal(isReported(view('git:/a.py', []), [{ language: 'python' }]), true);
  });

  it('sends nothing while the client is not running', () => {
    const { tracker, sent, state } = setup({ running: false });
    tracker.showAll([view('file:///a.py', [range(0, 9)])]);
    tracker.scrolled(view('file:///a.py', [range(3, 9)]));
    mock.timers.tick(DEBOUNCE_MS);
    assert.deepEqual(sent, []);
    // stopped between the scroll and the end of the debounce
    state.running = true;
    tracker.scrolled(view('file:///b.py', [range(0, 9)]));
    state.running = false;
    mock.timers.tick(DEBOUNCE_MS);
    assert.deepEqual(sent, []);
  });

  it('holds the ranges of a document until the client has sent its didOpen', () => {
    const open = new Set<string>();
    const { tracker, sent } = setup({ open: (uri) => open.has(uri) });
    tracker.shown([view('file:///a.py', [range(0, 9)]), view('file:///b.py', [range(0, 9)])]);
    tracker.scrolled(view('file:///a.py', [range(40, 49)]));
    mock.timers.tick(DEBOUNCE_MS);
    assert.deepEqual(sent, []);
    open.add('file:///a.py');
    tracker.opened('file:///a.py');
    assert.deepEqual(sent, [visibleRangesParams('file:///a.py', [range(40, 49)])]);
    tracker.opened('file:///a.py');
    assert.equal(sent.length, 1);
    // hidden before its didOpen: forgotten
    tracker.shown([view('file:///a.py', [range(40, 49)])]);
    open.add('file:///b.py');
    tracker.opened('file:///b.py');
    assert.equal(sent.length, 1);
  });

  it('drops pending sends on dispose', () => {
    const { tracker, sent } = setup();
    tracker.scrolled(view('file:///a.py', [range(0, 9)]));
    tracker.dispose();
    mock.timers.tick(DEBOUNCE_MS);
    assert.deepEqual(sent, []);
  });
});
