/** Sends `bastion/visibleRanges` for the Python editors on screen (the logic is in common/visibleRanges.ts). */
import * as vscode from 'vscode';
import { DidOpenTextDocumentNotification, LanguageClient, State } from 'vscode-languageclient/node';
import type { DocumentSelector, FeatureState, StaticFeature } from 'vscode-languageclient/node';
import { DocumentView, VISIBLE_RANGES_METHOD, VisibleRangesTracker } from './common/visibleRanges';

/**
 * A client feature, so that it follows the client's runs: initialize() is called on every start
 * (also the automatic restarts after a crash) once the server is initialized and the client has
 * queued the didOpen of each open document; clear() on every stop. Register it before start().
 */
export class VisibleRangesFeature implements StaticFeature, vscode.Disposable {
  private run: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient, private readonly output: vscode.LogOutputChannel) {}

  fillClientCapabilities(): void {}

  getState(): FeatureState {
    return { kind: 'static' };
  }

  initialize(_capabilities: unknown, documentSelector: DocumentSelector | undefined): void {
    this.clear();
    const client = this.client;
    const c2p = client.code2ProtocolConverter;
    const didOpen = client.getFeature(DidOpenTextDocumentNotification.method);
    const tracker = new VisibleRangesTracker({
      selector: documentSelector ?? [],
      isRunning: () => client.state === State.Running,
      isOpen: (uri) => [...didOpen.openDocuments].some((d) => c2p.asUri(d.uri) === uri),
      send: (params) => {
        client.sendNotification(VISIBLE_RANGES_METHOD, params)
          .catch((e) => this.output.debug(`${VISIBLE_RANGES_METHOD} not sent: ${String(e)}`));
      },
    });
    // a document shown in several editors (split): the server gets the ranges of all of them
    const viewOf = (doc: vscode.TextDocument, editors: readonly vscode.TextEditor[]): DocumentView => ({
      uri: c2p.asUri(doc.uri),
      scheme: doc.uri.scheme,
      languageId: doc.languageId,
      ranges: editors.filter((e) => e.document === doc).flatMap((e) => e.visibleRanges.map((r) => c2p.asRange(r))),
    });
    const views = (editors: readonly vscode.TextEditor[]): DocumentView[] =>
      [...new Set(editors.map((e) => e.document))].map((doc) => viewOf(doc, editors));

    this.run = [
      vscode.window.onDidChangeTextEditorVisibleRanges((e) =>
        tracker.scrolled(viewOf(e.textEditor.document, vscode.window.visibleTextEditors))),
      vscode.window.onDidChangeVisibleTextEditors((editors) => tracker.shown(views(editors))),
      // didOpen is sent on workspace.onDidOpenTextDocument, before the editor shows, but it reaches
      // openDocuments only once written: the tracker holds a document's ranges until then
      didOpen.onNotificationSent((e) => tracker.opened(e.params.textDocument.uri)),
      tracker,
    ];
    tracker.showAll(views(vscode.window.visibleTextEditors));
  }

  clear(): void {
    this.run.splice(0).forEach((d) => d.dispose());
  }

  dispose(): void {
    this.clear();
  }
}
