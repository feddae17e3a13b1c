/**
 * Settings → what the server gets, and how to start it. Pure module (no vscode import): the
 * extension passes a getter over `workspace.getConfiguration('bastion', scope)`.
 */

export type Level = 'low' | 'medium' | 'high';
export type LspSeverityName = 'error' | 'warning' | 'information' | 'hint';
export type ImportStrategy = 'fromEnvironment' | 'useBundled';

/** The keys the server reads (initializationOptions.settings and workspace/configuration "bastion"). */
export interface ServerSettings {
  enable: boolean;
  severity: Level;
  confidence: Level;
  select: string[];
  ignore: string[];
  severityMap: Record<string, LspSeverityName>;
  perPathIgnores: Record<string, string[]>;
  exclude: string[];
  banditExact?: boolean; // only when set: pyproject.toml's bandit_exact decides otherwise
}

/** The keys that only the extension uses; changing the first three restarts the server. */
export const RESTART_KEYS = ['interpreter', 'path', 'importStrategy'] as const;
export const CLIENT_ONLY_KEYS = [...RESTART_KEYS, 'trace', 'fixOnSave'] as const;

export const DEFAULT_SEVERITY_MAP: Record<string, LspSeverityName> = {
  high: 'error',
  medium: 'warning',
  low: 'information',
};

const LEVELS: readonly string[] = ['low', 'medium', 'high'];
const LSP_SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint'];
const MAP_KEY = /^(low|medium|high)(\/(low|medium|high))?$/;

export type Getter = (key: string) => unknown;

function stringList(value: unknown): string[] {
  if (typeof value === 'string') {
    return value.trim() ? [value.trim()] : [];
  }
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && !!v.trim()).map((v) => v.trim()) : [];
}

function levelOf(value: unknown): Level {
  const v = typeof value === 'string' ? value.toLowerCase() : '';
  return (LEVELS.includes(v) ? v : 'low') as Level;
}

/**
 * The settings object sent to the server. Values are normalized but not filtered: invalid
 * rule ids are passed through so the server can report them (it owns validation).
 */
export function serverSettings(get: Getter): ServerSettings {
  const map: Record<string, LspSeverityName> = {};
  const rawMap = get('severityMap');
  const source = rawMap && typeof rawMap === 'object' && !Array.isArray(rawMap) ? (rawMap as Record<string, unknown>) : DEFAULT_SEVERITY_MAP;
  for (const [key, value] of Object.entries(source)) {
    const k = key.toLowerCase().trim();
    const v = typeof value === 'string' ? value.toLowerCase().trim() : '';
    if (MAP_KEY.test(k) && LSP_SEVERITIES.includes(v)) {
      map[k] = v as LspSeverityName;
    }
  }
  const ppi: Record<string, string[]> = {};
  const rawPpi = get('perPathIgnores');
  if (rawPpi && typeof rawPpi === 'object' && !Array.isArray(rawPpi)) {
    for (const [glob, ids] of Object.entries(rawPpi as Record<string, unknown>)) {
      const list = stringList(ids);
      if (glob.trim() && list.length) {
        ppi[glob] = list;
      }
    }
  }
  return {
    enable: get('enable') !== false,
    severity: levelOf(get('severity')),
    confidence: levelOf(get('confidence')),
    select: stringList(get('select')),
    ignore: stringList(get('ignore')),
    severityMap: Object.keys(map).length ? map : { ...DEFAULT_SEVERITY_MAP },
    perPathIgnores: ppi,
    exclude: stringList(get('exclude')),
    ...(typeof get('banditExact') === 'boolean' ? { banditExact: get('banditExact') as boolean } : {}),
  };
}

export interface VariableContext {
  workspaceFolder?: string;
  userHome?: string;
  env?: Record<string, string | undefined>;
}

/** `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~/`, as VS Code users expect. */
export function substituteVariables(value: string, ctx: VariableContext): string {
  let out = value.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (whole, name: string, envName?: string) => {
    if (envName) {
      return ctx.env?.[envName] ?? '';
    }
    const v = name === 'workspaceFolder' ? ctx.workspaceFolder : ctx.userHome;
    return v ?? whole;
  });
  if (ctx.userHome && (out === '~' || out.startsWith('~/'))) {
    out = ctx.userHome + out.slice(1);
  }
  return out;
}

/** `bastion.interpreter` (string or array) → argv prefix; [] when unset. */
export function interpreterCommand(value: unknown, ctx: VariableContext): string[] {
  const parts = stringList(value);
  return parts.map((p) => substituteVariables(p, ctx));
}

export interface ServerCommand {
  /** executable and arguments of the server process */
  command: string;
  args: string[];
  /** extra environment for the server process */
  env: Record<string, string>;
  /** how it was chosen, for messages */
  kind: 'path' | 'fromEnvironment' | 'useBundled';
  /** the interpreter argv (for `python -c` probes); undefined for kind "path" */
  interpreter?: string[];
  /** which setting a user should change when this command does not work */
  setting: 'bastion.path' | 'bastion.interpreter' | 'bastion.importStrategy';
  /** where the interpreter came from */
  interpreterSource?: 'setting' | 'python-extension' | 'default';
}

export interface StartInputs {
  /** whether the workspace is trusted: an untrusted one must not choose the interpreter */
  trusted: boolean;
  path: unknown;
  interpreter: unknown;
  importStrategy: unknown;
  /** the interpreter selected in the Python extension, if any */
  pythonExtensionInterpreter?: string[];
  /** absolute path of the extension's bundled/libs folder */
  bundledLibs: string;
  /** current PYTHONPATH, to keep it after the bundled libs */
  pythonPath?: string;
  pathSeparator?: string;
  vars: VariableContext;
}

export function resolveServerCommand(inp: StartInputs): ServerCommand {
  const path = typeof inp.path === 'string' ? substituteVariables(inp.path.trim(), inp.vars) : '';
  if (path) {
    return { command: path, args: ['lsp'], env: {}, kind: 'path', setting: 'bastion.path' };
  }
  const fromSetting = interpreterCommand(inp.interpreter, inp.vars);
  let interpreter: string[];
  let interpreterSource: ServerCommand['interpreterSource'];
  if (fromSetting.length) {
    interpreter = fromSetting;
    interpreterSource = 'setting';
  } else if (inp.trusted && inp.pythonExtensionInterpreter && inp.pythonExtensionInterpreter.length) {
    // untrusted: the Python extension may have picked the workspace's own .venv (workspace code)
    interpreter = inp.pythonExtensionInterpreter;
    interpreterSource = 'python-extension';
  } else {
    interpreter = ['python3'];
    interpreterSource = 'default';
  }
  const strategy: ImportStrategy = inp.importStrategy === 'useBundled' ? 'useBundled' : 'fromEnvironment';
  const env: Record<string, string> = {};
  if (strategy === 'useBundled') {
    const sep = inp.pathSeparator ?? ':';
    env.PYTHONPATH = inp.pythonPath ? `${inp.bundledLibs}${sep}${inp.pythonPath}` : inp.bundledLibs;
    // a user site-packages copy of bastion must not shadow the bundled one
    env.PYTHONNOUSERSITE = '1';
  }
  return {
    command: interpreter[0],
    args: [...interpreter.slice(1), '-m', 'bastion', 'lsp'],
    env,
    kind: strategy,
    interpreter,
    setting: strategy === 'useBundled' ? 'bastion.importStrategy' : 'bastion.interpreter',
    interpreterSource,
  };
}

/** What `workspace.getConfiguration().inspect(key)` returns (the parts used here). */
export interface InspectedSetting {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * A start setting (interpreter, path, importStrategy) in an untrusted workspace: the user's own
 * value only, never the workspace's. VS Code already drops workspace values of the manifest's
 * restrictedConfigurations in restricted mode; this keeps it so whatever the VS Code version.
 */
export function userLevelValue(inspected: InspectedSetting | undefined): unknown {
  return inspected?.globalValue ?? inspected?.defaultValue;
}

export interface Launch {
  command: string;
  args: string[];
  /** never the workspace folder: Python puts the working directory first on sys.path */
  cwd: string;
}

/**
 * How the server process is started. `safeFolder` is the extension's own folder (no Python
 * modules, not writable by a workspace). From Python 3.11 `-P` also keeps the working directory
 * off sys.path; `-I`/`-E` are not used because they would drop PYTHONPATH (useBundled needs it).
 */
export function serverLaunch(cmd: ServerCommand, pythonVersion: string | undefined, safeFolder: string): Launch {
  if (cmd.kind === 'path' || !supportsSafePath(pythonVersion)) {
    return { command: cmd.command, args: cmd.args, cwd: safeFolder };
  }
  const module = cmd.args.lastIndexOf('-m');
  return { command: cmd.command, args: [...cmd.args.slice(0, module), '-P', ...cmd.args.slice(module)], cwd: safeFolder };
}

function supportsSafePath(version: string | undefined): boolean {
  const [major, minor] = (version ?? '').split('.').map((n) => parseInt(n, 10));
  return major > 3 || (major === 3 && minor >= 11);
}
