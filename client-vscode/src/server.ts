/**
 * Starting, checking and restarting the Bastion language server.
 */
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import type { DynamicFeature, ExecuteCommandOptions } from 'vscode-languageclient/node';
import {
  PROBE_SCRIPT,
  ProcessOutcome,
  ProbeVerdict,
  describeProblem,
  evaluatePathProbe,
  evaluatePythonProbe,
} from './common/probe';
import { DOCUMENT_SELECTOR } from './common/documents';
import { ServerCommand, resolveServerCommand, serverLaunch, serverSettings, userLevelValue } from './common/settings';
import { selectedInterpreter } from './python';
import { VisibleRangesFeature } from './visibleRanges';

export const CLIENT_ID = 'bastion';
/** Commands the extension runs itself; the server must not register them (initializationOptions.clientCommands). */
export const CLIENT_COMMANDS = ['bastion.learnMore'];
/** Server commands that have an extension command of the same id (with progress and error handling). */
const WRAPPED_SERVER_COMMANDS = new Set([...CLIENT_COMMANDS, 'bastion.scanWorkspace']);

export type ServerState = 'stopped' | 'starting' | 'running' | 'failed';

export interface ServerStatus {
  state: ServerState;
  /** "python 3.11.7, bastion 0.1.0" when known */
  detail?: string;
  /** why it is not running */
  problem?: string;
}

const PROBE_TIMEOUT_MS = 30_000;

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string | undefined): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    execFile(command, args, { env, cwd, timeout: PROBE_TIMEOUT_MS, maxBuffer: 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (err && typeof err.code === 'string') {
          resolve({ spawnError: err.code, stdout: String(stdout ?? ''), stderr: String(stderr ?? '') });
          return;
        }
        resolve({ exitCode: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout ?? ''), stderr: String(stderr ?? '') });
      });
  });
}

export function bastionConfig(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('bastion', scope);
}

/** The settings object the server reads, for a scope (a resource or the window). */
export function serverSettingsFor(scope?: vscode.ConfigurationScope) {
  const cfg = bastionConfig(scope);
  return serverSettings((key) => cfg.get(key));
}

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private status: ServerStatus = { state: 'stopped' };
  private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();
  readonly onDidChangeStatus = this.statusEmitter.event;
  private readonly readyWaiters: Array<(c: LanguageClient | undefined) => void> = [];
  private disposed = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private visibleRanges: VisibleRangesFeature | undefined;
  /** The last problem notified, so an unchanged problem is not shown again on every retry. */
  private lastNotified: string | undefined;

  constructor(private readonly context: vscode.ExtensionContext, readonly output: vscode.LogOutputChannel) {}

  get current(): ServerStatus {
    return this.status;
  }

  get languageClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  /** The running client; waits while it is starting; undefined if it failed or is stopped. */
  async readyClient(timeoutMs = 60_000): Promise<LanguageClient | undefined> {
    if (this.status.state === 'running' && this.languageClient) {
      return this.languageClient;
    }
    if (this.status.state !== 'starting') {
      return undefined;
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.readyWaiters.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  }

  private setStatus(status: ServerStatus): void {
    this.status = status;
    this.statusEmitter.fire(status);
    if (status.state !== 'starting') {
      const client = status.state === 'running' ? this.languageClient : undefined;
      this.readyWaiters.splice(0).forEach((w) => w(client));
    }
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  restart(reason: string): Promise<void> {
    this.output.info(`Restarting the server: ${reason}`);
    this.lastNotified = undefined;
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  /** Debounced restart, for bursts of settings changes. */
  scheduleRestart(reason: string): void {
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
    }
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart(reason);
    }, 500);
  }

  /** Live settings: tell the server (it answers with a workspace/configuration pull). */
  async notifyConfigurationChanged(): Promise<void> {
    const client = this.languageClient;
    if (!client) {
      return;
    }
    try {
      await client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { bastion: serverSettingsFor(undefined) },
      });
    } catch (e) {
      this.output.warn(`didChangeConfiguration failed: ${String(e)}`);
    }
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async resolveCommand(): Promise<ServerCommand> {
    const cfg = bastionConfig(undefined);
    const folder = vscode.workspace.workspaceFolders?.[0];
    const trusted = vscode.workspace.isTrusted;
    const setting = (key: string): unknown => (trusted ? cfg.get<unknown>(key) : userLevelValue(cfg.inspect(key)));
    const interpreterSetting = setting('interpreter');
    const hasSetting = Array.isArray(interpreterSetting) ? interpreterSetting.length > 0 : !!interpreterSetting;
    const pathSetting = setting('path');
    const fromPythonExt = trusted && !pathSetting && !hasSetting ? await selectedInterpreter(folder?.uri) : undefined;
    return resolveServerCommand({
      trusted,
      path: pathSetting,
      interpreter: interpreterSetting,
      importStrategy: setting('importStrategy'),
      pythonExtensionInterpreter: fromPythonExt,
      bundledLibs: path.join(this.context.extensionPath, 'bundled', 'libs'),
      pythonPath: process.env.PYTHONPATH,
      pathSeparator: path.delimiter,
      vars: { workspaceFolder: folder?.uri.fsPath, userHome: os.homedir(), env: process.env },
    });
  }

  /** The working directory of the probe and the server: the extension's own folder, never the
   * workspace (Python would import the workspace's json.py, attrs.py … from it). */
  private safeFolder(): string {
    return this.context.extensionPath;
  }

  private async probe(cmd: ServerCommand): Promise<ProbeVerdict> {
    const env = { ...process.env, ...cmd.env };
    if (cmd.kind === 'path') {
      return evaluatePathProbe(await run(cmd.command, ['--version'], env, this.safeFolder()));
    }
    const interp = cmd.interpreter ?? [cmd.command];
    const args = [...interp.slice(1), '-c', PROBE_SCRIPT];
    if (cmd.kind === 'useBundled') {
      args.push('--deps');
    }
    const outcome = await run(interp[0], args, env, this.safeFolder());
    const verdict = evaluatePythonProbe(outcome, cmd.kind === 'useBundled');
    if (outcome.stderr.trim()) {
      this.output.debug(`probe stderr: ${outcome.stderr.trim()}`);
    }
    return verdict;
  }

  private async doStart(): Promise<void> {
    if (this.disposed || this.client) {
      return;
    }
    this.setStatus({ state: 'starting' });
    let cmd: ServerCommand;
    try {
      cmd = await this.resolveCommand();
    } catch (e) {
      this.setStatus({ state: 'failed', problem: String(e) });
      return;
    }
    const where = cmd.kind === 'path' ? 'bastion.path'
      : `${cmd.kind}, interpreter from ${cmd.interpreterSource === 'setting' ? 'bastion.interpreter' : cmd.interpreterSource === 'python-extension' ? 'the Python extension' : 'the default'}`;
    this.output.info(`Server command: ${[cmd.command, ...cmd.args].join(' ')} (${where})`);
    const verdict = await this.probe(cmd);
    if (!verdict.ok) {
      const problem = describeProblem(verdict, cmd);
      this.output.error(problem.message + (verdict.detail ? ` [${verdict.detail}]` : ''));
      this.setStatus({ state: 'failed', problem: problem.message });
      this.notifyProblem(problem.message, problem.setting, problem.button);
      return;
    }
    const detail = [verdict.python ? `Python ${verdict.python}` : '', verdict.bastion ? `Bastion ${verdict.bastion}` : '']
      .filter(Boolean).join(', ');
    this.output.info(`Found ${detail}`);

    const launch = serverLaunch(cmd, verdict.python, this.safeFolder());
    const serverOptions: ServerOptions = {
      command: launch.command,
      args: launch.args,
      // no `transport`: stdio without the `--stdio` argument vscode-languageclient would add
      options: { cwd: launch.cwd, env: { ...process.env, ...cmd.env, PYTHONUNBUFFERED: '1' } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: {
        settings: serverSettingsFor(undefined),
        clientCommands: CLIENT_COMMANDS,
      },
      diagnosticPullOptions: { onChange: true, onSave: true },
      // the hover's "Learn more" is a command: link; trust exactly that command
      markdown: { isTrusted: { enabledCommands: CLIENT_COMMANDS }, supportHtml: false },
      middleware: {
        workspace: {
          // answer the "bastion" section with the server's keys only (not the start settings)
          configuration: async (params, token, next) => {
            const fallback = await next(params, token);
            return params.items.map((item, i) => {
              if (item.section !== 'bastion') {
                return Array.isArray(fallback) ? fallback[i] : null;
              }
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              return serverSettingsFor(scope);
            });
          },
        },
      },
    };
    const client = new LanguageClient(CLIENT_ID, 'Bastion', serverOptions, clientOptions);
    this.keepOwnCommands(client);
    this.visibleRanges = new VisibleRangesFeature(client, this.output);
    client.registerFeature(this.visibleRanges);
    this.client = client;
    try {
      await client.start();
    } catch (e) {
      // vscode-languageclient has already shown "Starting client failed" with a link to the output
      this.output.error(`The server did not start: ${e instanceof Error ? e.message : String(e)}`);
      this.client = undefined;
      this.disposeVisibleRanges();
      await client.dispose().catch(() => undefined);
      this.setStatus({ state: 'failed', problem: 'The Bastion server did not start; see the output.' });
      return;
    }
    this.lastNotified = undefined;
    client.onDidChangeState((e) => {
      if (this.client !== client) {
        return;
      }
      if (e.newState === State.Stopped) {
        this.setStatus({ state: 'failed', problem: 'The Bastion server stopped; see the output.' });
      } else if (e.newState === State.Running) {
        this.setStatus({ state: 'running', detail });
      } else {
        this.setStatus({ state: 'starting' });
      }
    });
    this.setStatus({ state: 'running', detail });
  }

  /**
   * vscode-languageclient registers a VS Code command for each command the server lists in
   * executeCommandProvider; for the ones this extension registers itself, that would fail with
   * "command already exists". Drop those from the registration (the extension's own command
   * then sends workspace/executeCommand itself).
   */
  private keepOwnCommands(client: LanguageClient): void {
    const feature = client.getFeature(ExecuteCommandRequest.method) as DynamicFeature<ExecuteCommandOptions> | undefined;
    if (!feature) {
      return;
    }
    const register = feature.register.bind(feature);
    feature.register = (data) => {
      const commands = (data.registerOptions.commands ?? []).filter((c) => !WRAPPED_SERVER_COMMANDS.has(c));
      register({ ...data, registerOptions: { ...data.registerOptions, commands } });
    };
  }

  private notifyProblem(message: string, setting: string, button: string): void {
    if (this.lastNotified === message) {
      return;
    }
    this.lastNotified = message;
    void vscode.window.showErrorMessage(message, button, 'Show Output').then((choice) => {
      if (choice === button) {
        void vscode.commands.executeCommand('workbench.action.openSettings', setting);
      } else if (choice === 'Show Output') {
        this.output.show();
      }
    });
  }

  /** The client clears its features when it stops, but not when stopping fails (e.g. while it is restarting). */
  private disposeVisibleRanges(): void {
    this.visibleRanges?.dispose();
    this.visibleRanges = undefined;
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.disposeVisibleRanges();
    if (client) {
      try {
        await client.stop(5000);
      } catch (e) {
        this.output.warn(`Stopping the server: ${String(e)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setStatus({ state: 'stopped' });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
    }
    await this.enqueue(() => this.doStop());
    this.statusEmitter.dispose();
  }
}
