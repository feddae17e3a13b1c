/** Bastion's commands: explain a rule, scan the workspace, menu, output, restart. */
import * as vscode from 'vscode';
import { ErrorCodes, ExecuteCommandRequest, ResponseError } from 'vscode-languageclient/node';
import { LessonPanel, describeError } from './lessonPanel';
import { RuleItem, compareRuleIds, filterRuleItems, parseLearnMoreArgs, ruleQuickPickItem } from './common/args';
import type { RuleSummary } from './panel/types';
import type { ServerManager } from './server';

export const RULES_REQUEST = 'bastion/rules';
export const SCAN_WORKSPACE = 'bastion.scanWorkspace';

export function registerCommands(
  context: vscode.ExtensionContext,
  manager: ServerManager,
): vscode.Disposable[] {
  const extensionUri = context.extensionUri;

  const learnMore = async (...args: unknown[]) => {
    const parsed = parseLearnMoreArgs(args);
    if (!parsed) {
      return explainRule();
    }
    await LessonPanel.show(manager, extensionUri, parsed);
  };

  const explainRule = async () => {
    const client = await manager.readyClient();
    if (!client) {
      void vscode.window.showWarningMessage('Bastion: the server is not running, so rules cannot be listed.', 'Show Output')
        .then((c) => c && manager.output.show());
      return;
    }
    const picked = await new Promise<RuleItem | undefined>((resolve) => {
      const qp = vscode.window.createQuickPick<RuleItem & vscode.QuickPickItem>();
      qp.title = 'Bastion: Explain a rule';
      qp.placeholder = 'Search by rule id, title or CWE (for example B602, shell, CWE-78)';
      // VS Code highlights matches in all three fields; which items show is decided by
      // filterRuleItems (exact words) rather than VS Code's fuzzy filter: every item given is
      // `alwaysShow`
      qp.matchOnDescription = true;
      qp.matchOnDetail = true;
      qp.busy = true;
      let all: Array<RuleItem & vscode.QuickPickItem> = [];
      const refilter = () => {
        const active = qp.activeItems[0]?.ruleId;
        qp.items = filterRuleItems(all, qp.value);
        const keep = qp.items.find((i) => i.ruleId === active);
        if (keep) {
          qp.activeItems = [keep];
        }
      };
      qp.onDidChangeValue(refilter);
      qp.onDidAccept(() => {
        resolve(qp.selectedItems[0]);
        qp.hide();
      });
      qp.onDidHide(() => {
        resolve(undefined);
        qp.dispose();
      });
      qp.show();
      client.sendRequest<{ rules?: RuleSummary[] }>(RULES_REQUEST, {}).then((res) => {
        const rules = Array.isArray(res?.rules) ? res.rules.filter((r) => r && typeof r.id === 'string') : [];
        all = rules.sort((a, b) => compareRuleIds(a.id, b.id)).map((r) => ({ ...ruleQuickPickItem(r), alwaysShow: true }));
        refilter();
        qp.busy = false;
      }, (e) => {
        qp.busy = false;
        qp.hide();
        manager.output.warn(`${RULES_REQUEST} failed: ${describeError(e)}`);
        void vscode.window.showErrorMessage(`Bastion: could not list the rules: ${describeError(e)}`);
      });
    });
    if (picked) {
      await LessonPanel.show(manager, extensionUri, { ruleId: picked.ruleId });
    }
  };

  const scanWorkspace = async () => {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Bastion: scanning the workspace' },
      async () => {
        const client = await manager.readyClient();
        if (!client) {
          void vscode.window.showWarningMessage('Bastion: the server is not running, so the workspace cannot be scanned.', 'Show Output')
            .then((c) => c && manager.output.show());
          return;
        }
        try {
          const result = await client.sendRequest(ExecuteCommandRequest.type, { command: SCAN_WORKSPACE, arguments: [] });
          const r = (result ?? {}) as { files?: number; findings?: number };
          if (typeof r.files === 'number' && typeof r.findings === 'number') {
            void vscode.window.showInformationMessage(
              `Bastion scanned ${r.files} file${r.files === 1 ? '' : 's'}: ${r.findings} finding${r.findings === 1 ? '' : 's'}. See the Problems panel.`);
          }
        } catch (e) {
          manager.output.warn(`${SCAN_WORKSPACE} failed: ${describeError(e)}`);
          const unsupported = e instanceof ResponseError &&
            (e.code === ErrorCodes.MethodNotFound || /not (found|registered|supported|defined)|unknown command/i.test(e.message));
          void vscode.window.showErrorMessage(unsupported
            ? 'Bastion: this version of the server cannot scan the workspace yet. Upgrade bastion-lsp.'
            : `Bastion: the workspace scan failed: ${describeError(e)}`, 'Show Output')
            .then((c) => c && manager.output.show());
        }
      },
    );
  };

  const showMenu = async () => {
    const items: Array<vscode.QuickPickItem & { command: string }> = [
      { label: '$(book) Explain a rule…', command: 'bastion.explainRule' },
      { label: '$(search) Scan workspace', command: SCAN_WORKSPACE },
      { label: '$(output) Show output', command: 'bastion.showOutput' },
      { label: '$(debug-restart) Restart server', command: 'bastion.restart' },
    ];
    const status = manager.current;
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Bastion',
      placeHolder: status.state === 'running' ? `Server running${status.detail ? ` (${status.detail})` : ''}` : `Server ${status.state}`,
    });
    if (picked) {
      await vscode.commands.executeCommand(picked.command);
    }
  };

  return [
    vscode.commands.registerCommand('bastion.learnMore', learnMore),
    vscode.commands.registerCommand('bastion.explainRule', explainRule),
    vscode.commands.registerCommand(SCAN_WORKSPACE, scanWorkspace),
    vscode.commands.registerCommand('bastion.showOutput', () => manager.output.show()),
    vscode.commands.registerCommand('bastion.restart', () => manager.restart('requested by the user')),
    vscode.commands.registerCommand('bastion.showMenu', showMenu),
  ];
}
