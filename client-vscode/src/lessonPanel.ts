/**
 * The learn-more panel: a webview that renders `bastion/explain` for a rule (and, when opened
 * from a finding, the user's code and the fixes with "Apply fix" buttons).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ErrorCodes, LanguageClient, ResponseError } from 'vscode-languageclient/node';
import type { WorkspaceEdit as LspWorkspaceEdit } from 'vscode-languageclient/node';
import { renderLessonPage, renderMessagePage } from './panel/render';
import type { ExplainParams, Lesson } from './panel/types';
import type { LearnMoreArgs } from './common/args';
import type { ServerManager } from './server';

export const EXPLAIN_REQUEST = 'bastion/explain';

function nonce(): string {
  return randomBytes(18).toString('base64');
}

export class LessonPanel implements vscode.Disposable {
  private static current: LessonPanel | undefined;

  static async show(manager: ServerManager, extensionUri: vscode.Uri, args: LearnMoreArgs): Promise<void> {
    if (!LessonPanel.current) {
      LessonPanel.current = new LessonPanel(manager, extensionUri);
    } else {
      LessonPanel.current.panel.reveal(undefined, false); // stays in its column
    }
    await LessonPanel.current.load(args);
  }

  static disposeCurrent(): void {
    LessonPanel.current?.dispose();
  }

  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private args: LearnMoreArgs | undefined;
  private lesson: Lesson | undefined;
  /** version of the document when the lesson (and its fixes) were computed */
  private docVersion: number | undefined;
  private loadSeq = 0;

  private constructor(private readonly manager: ServerManager, extensionUri: vscode.Uri) {
    this.panel = vscode.window.createWebviewPanel(
      'bastion.lesson',
      'Bastion',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      {
        enableScripts: true,
        enableCommandUris: false,
        enableFindWidget: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'images')],
      },
    );
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'images', 'icon.png');
    this.panel.onDidDispose(() => this.dispose(), null, this.disposables);
    this.panel.webview.onDidReceiveMessage((m) => this.onMessage(m), null, this.disposables);
  }

  private html(build: (opts: { nonce: string; cspSource: string }) => string): void {
    this.panel.webview.html = build({ nonce: nonce(), cspSource: this.panel.webview.cspSource });
  }

  async load(args: LearnMoreArgs, notice?: string): Promise<void> {
    const seq = ++this.loadSeq;
    this.args = args;
    this.lesson = undefined;
    const ruleId = args.ruleId.toUpperCase();
    this.panel.title = `Bastion: ${ruleId}`;
    this.html((o) => renderMessagePage(`Bastion: ${ruleId}`, `Loading the lesson for ${ruleId}…`, { ...o, busy: true }));
    const client = await this.manager.readyClient();
    if (seq !== this.loadSeq) {
      return;
    }
    if (!client) {
      this.html((o) => renderMessagePage(`Bastion: ${ruleId}`,
        'The Bastion server is not running, so the lesson cannot be loaded. Use "Bastion: Show output" to see why, or "Bastion: Restart server".',
        { ...o, retry: true }));
      return;
    }
    const doc = args.uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === args.uri) : undefined;
    const version = doc?.version;
    const params: ExplainParams = { ruleId };
    if (args.uri && args.range) {
      params.uri = args.uri;
      params.range = args.range;
    }
    let lesson: Lesson;
    try {
      lesson = await client.sendRequest<Lesson>(EXPLAIN_REQUEST, params);
    } catch (e) {
      if (seq !== this.loadSeq) {
        return;
      }
      this.manager.output.warn(`${EXPLAIN_REQUEST} ${JSON.stringify(params)} failed: ${describeError(e)}`);
      const message = e instanceof ResponseError && e.code === ErrorCodes.MethodNotFound
        ? 'This version of the Bastion server has no lessons (bastion/explain). Upgrade bastion-lsp.'
        : `The lesson for ${ruleId} could not be loaded: ${describeError(e)}`;
      this.html((o) => renderMessagePage(`Bastion: ${ruleId}`, message, { ...o, retry: true }));
      return;
    }
    if (seq !== this.loadSeq) {
      return;
    }
    if (!lesson || typeof lesson !== 'object' || !lesson.id) {
      this.html((o) => renderMessagePage(`Bastion: ${ruleId}`, `The server returned no lesson for ${ruleId}.`, { ...o, retry: true }));
      return;
    }
    this.lesson = lesson;
    this.docVersion = version;
    this.panel.title = `Bastion: ${lesson.id}`;
    const location = args.uri ? `${displayPath(args.uri)}${args.range ? `:${args.range.start.line + 1}` : ''}` : undefined;
    const flaggedLines: [number, number] | undefined = args.range
      ? [args.range.start.line + 1, Math.max(args.range.start.line + 1,
        args.range.end.character === 0 && args.range.end.line > args.range.start.line ? args.range.end.line : args.range.end.line + 1)]
      : undefined;
    this.html((o) => renderLessonPage(lesson, { ...o, location, flaggedLines, notice }));
  }

  private async onMessage(message: unknown): Promise<void> {
    const m = message as { type?: string; index?: unknown };
    if (!m || typeof m.type !== 'string') {
      return;
    }
    if (m.type === 'retry' && this.args) {
      await this.load(this.args);
    } else if (m.type === 'reveal') {
      await this.reveal();
    } else if (m.type === 'applyFix' && typeof m.index === 'number') {
      await this.applyFix(m.index);
    }
  }

  private async reveal(): Promise<void> {
    const args = this.args;
    if (!args?.uri) {
      return;
    }
    const uri = vscode.Uri.parse(args.uri);
    const existing = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === args.uri);
    const selection = args.range
      ? new vscode.Range(args.range.start.line, args.range.start.character, args.range.end.line, args.range.end.character)
      : undefined;
    await vscode.window.showTextDocument(uri, {
      viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One,
      selection,
      preserveFocus: false,
    });
  }

  private post(message: unknown): void {
    void this.panel.webview.postMessage(message);
  }

  private async applyFix(index: number): Promise<void> {
    const fix = this.lesson?.fixes?.[index];
    const client: LanguageClient | undefined = this.manager.languageClient;
    if (!fix || !fix.edit || !client || !this.args) {
      this.post({ type: 'fixResult', index, ok: false, message: client ? 'this fix has no edit' : 'the server is not running' });
      return;
    }
    const doc = this.args.uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.args!.uri) : undefined;
    if (doc && this.docVersion !== undefined && doc.version !== this.docVersion) {
      // the fix was computed for an older text: recompute rather than apply a stale edit
      this.post({ type: 'fixResult', index, ok: false, message: 'the file changed; refreshing the fixes' });
      await this.load(this.args, 'The file changed since this lesson was opened, so the fixes were computed again. Review them and apply again.');
      return;
    }
    try {
      const edit = await client.protocol2CodeConverter.asWorkspaceEdit(fix.edit as LspWorkspaceEdit);
      const ok = await vscode.workspace.applyEdit(edit);
      if (ok) {
        // docVersion stays: another fix from this lesson now needs a refresh before it applies
        this.post({ type: 'fixResult', index, ok: true });
        void vscode.window.setStatusBarMessage(`Bastion: applied “${fix.title}”`, 4000);
      } else {
        this.post({ type: 'fixResult', index, ok: false, message: 'VS Code refused the edit (the file may have changed)' });
      }
    } catch (e) {
      this.manager.output.warn(`Applying fix ${index} failed: ${describeError(e)}`);
      this.post({ type: 'fixResult', index, ok: false, message: describeError(e) });
    }
  }

  dispose(): void {
    if (LessonPanel.current === this) {
      LessonPanel.current = undefined;
    }
    this.panel.dispose();
    while (this.disposables.length) {
      this.disposables.pop()?.dispose();
    }
  }
}

function displayPath(uri: string): string {
  try {
    const u = vscode.Uri.parse(uri);
    return u.scheme === 'file' ? vscode.workspace.asRelativePath(u, false) : u.path || uri;
  } catch {
    return uri;
  }
}

export function describeError(e: unknown): string {
  if (e instanceof ResponseError) {
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
