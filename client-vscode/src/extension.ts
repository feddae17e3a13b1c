/** Bastion for VS Code: starts the Bastion language server and adds the lesson panel. */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { LessonPanel } from './lessonPanel';
import { onDidChangeInterpreter } from './python';
import { RESTART_KEYS } from './common/settings';
import { ServerManager, bastionConfig } from './server';
import { StatusBar } from './statusBar';

const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append('bastion');
let manager: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ manager: ServerManager }> {
  const output = vscode.window.createOutputChannel('Bastion', { log: true });
  context.subscriptions.push(output);
  manager = new ServerManager(context, output);
  const m = manager;
  context.subscriptions.push(
    { dispose: () => void m.dispose() },
    ...registerCommands(context, m),
    new StatusBar(m),
    { dispose: () => LessonPanel.disposeCurrent() },
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (RESTART_KEYS.some((k) => e.affectsConfiguration(`bastion.${k}`))) {
        m.scheduleRestart('a start setting changed (bastion.interpreter, bastion.path or bastion.importStrategy)');
      } else if (['enable', 'severity', 'confidence', 'select', 'ignore', 'severityMap', 'perPathIgnores', 'exclude',
        'banditExact']
        .some((k) => e.affectsConfiguration(`bastion.${k}`))) {
        void m.notifyConfigurationChanged();
      }
    }),
    // the start settings and the Python extension's interpreter count once the workspace is trusted
    vscode.workspace.onDidGrantWorkspaceTrust(() => m.scheduleRestart('the workspace is now trusted')),
    vscode.workspace.onWillSaveTextDocument((e) => {
      if (e.document.languageId !== 'python' || !bastionConfig(e.document.uri).get<boolean>('fixOnSave')) {
        return;
      }
      if (!m.languageClient) {
        return;
      }
      e.waitUntil(fixAllEdits(e.document, output));
    }),
  );
  // the Python extension's interpreter is the default: follow it when no setting overrides it
  void onDidChangeInterpreter(() => {
    const cfg = bastionConfig(undefined);
    const interp = cfg.get<unknown>('interpreter');
    const unset = Array.isArray(interp) ? interp.length === 0 : !interp;
    if (unset && !cfg.get<string>('path')) {
      m.scheduleRestart('the Python extension selected another interpreter');
    }
  }).then((d) => d && context.subscriptions.push(d));

  void m.start();
  return { manager: m };
}

/** The edits of Bastion's `source.fixAll.bastion` action for a document being saved. */
async function fixAllEdits(doc: vscode.TextDocument, output: vscode.LogOutputChannel): Promise<vscode.TextEdit[]> {
  try {
    const full = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider', doc.uri, full, FIX_ALL.value, 10);
    for (const action of actions ?? []) {
      const a = action as vscode.CodeAction;
      if (!a.kind || !FIX_ALL.contains(a.kind) || !a.edit) {
        continue;
      }
      // one fix-all action covers the whole file; only edits to this document can be applied on save
      return a.edit.entries().filter(([uri]) => uri.toString() === doc.uri.toString()).flatMap(([, edits]) => edits);
    }
  } catch (e) {
    output.warn(`fix on save: ${String(e)}`);
  }
  return [];
}

export async function deactivate(): Promise<void> {
  const m = manager;
  manager = undefined;
  await m?.dispose();
}
