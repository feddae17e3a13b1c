/** Status bar item: Bastion's findings in the active file, and the Bastion menu on click. */
import * as vscode from 'vscode';
import type { ServerManager, ServerStatus } from './server';
import { DOCUMENT_SELECTOR } from './common/documents';

export const DIAGNOSTIC_SOURCE = 'bastion';

export interface FindingCounts {
  total: number;
  error: number;
  warning: number;
  information: number;
  hint: number;
}

export function countFindings(diagnostics: readonly vscode.Diagnostic[]): FindingCounts {
  const c: FindingCounts = { total: 0, error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) {
      continue;
    }
    c.total++;
    if (d.severity === vscode.DiagnosticSeverity.Error) {
      c.error++;
    } else if (d.severity === vscode.DiagnosticSeverity.Warning) {
      c.warning++;
    } else if (d.severity === vscode.DiagnosticSeverity.Information) {
      c.information++;
    } else {
      c.hint++;
    }
  }
  return c;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly manager: ServerManager) {
    this.item = vscode.window.createStatusBarItem('bastion.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Bastion';
    this.item.command = 'bastion.showMenu';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) {
          this.update();
        }
      }),
      manager.onDidChangeStatus(() => this.update()),
    );
    this.update();
  }

  update(): void {
    const status: ServerStatus = this.manager.current;
    const editor = vscode.window.activeTextEditor;
    const analysed = editor !== undefined && vscode.languages.match(DOCUMENT_SELECTOR, editor.document) > 0;
    if (!analysed && status.state !== 'failed') {
      this.item.hide();
      return;
    }
    this.item.backgroundColor = undefined;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.isTrusted = false;
    if (status.state === 'starting') {
      this.item.text = '$(loading~spin) Bastion';
      tip.appendMarkdown('**Bastion** — starting the server…');
      this.item.accessibilityInformation = { label: 'Bastion: starting the server', role: 'button' };
    } else if (status.state === 'failed' || status.state === 'stopped') {
      this.item.text = '$(shield) Bastion $(warning)';
      this.item.backgroundColor = status.state === 'failed' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      tip.appendMarkdown('**Bastion** — the server is not running.\n\n');
      if (status.problem) {
        tip.appendText(status.problem);
      }
      this.item.accessibilityInformation = {
        label: `Bastion: the server is not running. ${status.problem ?? ''}`.trim(),
        role: 'button',
      };
    } else {
      const counts = countFindings(editor ? vscode.languages.getDiagnostics(editor.document.uri) : []);
      const file = editor ? vscode.workspace.asRelativePath(editor.document.uri, false) : '';
      this.item.text = counts.total ? `$(shield) ${counts.total}` : '$(shield) $(check)';
      tip.appendMarkdown(`**Bastion** — `);
      tip.appendText(counts.total
        ? `${plural(counts.total, 'finding')} in ${file}: ` + [
          counts.error && plural(counts.error, 'error'),
          counts.warning && plural(counts.warning, 'warning'),
          counts.information && `${counts.information} information`,
          counts.hint && plural(counts.hint, 'hint'),
        ].filter(Boolean).join(', ')
        : `no findings in ${file}`);
      if (status.detail) {
        tip.appendMarkdown('\n\n');
        tip.appendText(`Server: ${status.detail}`);
      }
      this.item.accessibilityInformation = {
        label: counts.total ? `Bastion: ${plural(counts.total, 'security finding')} in this file` : 'Bastion: no security findings in this file',
        role: 'button',
      };
    }
    tip.appendMarkdown('\n\nClick for the Bastion menu.');
    this.item.tooltip = tip;
    this.item.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
