/**
 * Before starting the server: is there a Python >= 3.10 with Bastion >= 0.1.0? Pure module —
 * the extension runs the probe and passes the output here.
 */

export const MIN_PYTHON: [number, number] = [3, 10];
export const MIN_BASTION = '0.1.0';

/**
 * Run as `python -c PROBE_SCRIPT` (from the extension's folder). Prints one JSON line. Written to
 * run on any Python (2.7 included) so that a too-old interpreter is reported as such, not as a
 * crash.
 */
export const PROBE_SCRIPT = [
  'import sys',
  '# -c puts the working directory first on sys.path: keep its modules out',
  'if sys.path and sys.path[0] == "": del sys.path[0]',
  'import json',
  'out = {"python": "%d.%d.%d" % tuple(sys.version_info[:3]), "executable": sys.executable}',
  'try:',
  '    import bastion',
  '    out["bastion"] = str(getattr(bastion, "__version__", "0"))',
  '    out["location"] = getattr(bastion, "__file__", None)',
  'except Exception as e:',
  '    out["bastion"] = None',
  '    out["error"] = "%s: %s" % (type(e).__name__, e)',
  'if out.get("bastion") and "--deps" in sys.argv:',
  '    try:',
  '        import pygls.lsp.server, lsprotocol, libcst, bandit',
  '    except Exception as e:',
  '        out["depsError"] = "%s: %s" % (type(e).__name__, e)',
  'sys.stdout.write(json.dumps(out) + "\\n")',
].join('\n');

export interface ProbeResult {
  python?: string;
  executable?: string;
  bastion?: string | null;
  location?: string | null;
  error?: string;
  depsError?: string;
}

export type ProbeProblem =
  | 'pythonMissing'
  | 'pythonTooOld'
  | 'bastionMissing'
  | 'bastionTooOld'
  | 'bundledBroken'
  | 'pathMissing'
  | 'probeFailed';

export interface ProbeVerdict {
  ok: boolean;
  problem?: ProbeProblem;
  python?: string;
  bastion?: string;
  detail?: string;
}

/** Compare dotted versions numerically ("0.10.0" > "0.9.1"); pre-release suffixes are ignored. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => v.split(/[.+-]/).map((p) => parseInt(p, 10)).map((n) => (Number.isFinite(n) ? n : 0));
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.length, pb.length, 3); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) {
      return d < 0 ? -1 : 1;
    }
  }
  return 0;
}

/** The last JSON object line of the probe's stdout, or undefined. */
export function parseProbeOutput(stdout: string): ProbeResult | undefined {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const v = JSON.parse(lines[i]);
      if (v && typeof v === 'object') {
        return v as ProbeResult;
      }
    } catch {
      // not JSON: keep looking
    }
  }
  return undefined;
}

export interface ProcessOutcome {
  /** spawn error code (ENOENT, EACCES) when the process could not start */
  spawnError?: string;
  exitCode?: number | null;
  stdout: string;
  stderr: string;
}

/** Judge a `python -c PROBE_SCRIPT` run. */
export function evaluatePythonProbe(run: ProcessOutcome, bundled: boolean): ProbeVerdict {
  if (run.spawnError) {
    return { ok: false, problem: 'pythonMissing', detail: run.spawnError };
  }
  const res = parseProbeOutput(run.stdout);
  if (!res || !res.python) {
    const detail = (run.stderr || run.stdout).trim().split('\n').slice(-3).join(' ').slice(0, 400);
    // "python3: not found" from a wrapper, or a Python 2 SyntaxError in site, …
    return { ok: false, problem: run.exitCode === 127 ? 'pythonMissing' : 'probeFailed', detail };
  }
  const [maj, min] = res.python.split('.').map((n) => parseInt(n, 10));
  if (maj < MIN_PYTHON[0] || (maj === MIN_PYTHON[0] && min < MIN_PYTHON[1])) {
    return { ok: false, problem: 'pythonTooOld', python: res.python };
  }
  if (!res.bastion) {
    return { ok: false, problem: bundled ? 'bundledBroken' : 'bastionMissing', python: res.python, detail: res.error };
  }
  if (compareVersions(res.bastion, MIN_BASTION) < 0) {
    return { ok: false, problem: 'bastionTooOld', python: res.python, bastion: res.bastion };
  }
  if (res.depsError) {
    return { ok: false, problem: bundled ? 'bundledBroken' : 'bastionMissing', python: res.python, bastion: res.bastion, detail: res.depsError };
  }
  return { ok: true, python: res.python, bastion: res.bastion };
}

/** Judge a `<bastion.path> --version` run ("bastion 0.1.0"). */
export function evaluatePathProbe(run: ProcessOutcome): ProbeVerdict {
  if (run.spawnError) {
    return { ok: false, problem: 'pathMissing', detail: run.spawnError };
  }
  const m = /bastion\s+v?(\d+(?:\.\d+)*\S*)/i.exec(run.stdout + '\n' + run.stderr);
  if (!m) {
    const detail = (run.stderr || run.stdout).trim().split('\n').slice(-3).join(' ').slice(0, 400);
    return { ok: false, problem: 'probeFailed', detail };
  }
  if (compareVersions(m[1], MIN_BASTION) < 0) {
    return { ok: false, problem: 'bastionTooOld', bastion: m[1] };
  }
  return { ok: true, bastion: m[1] };
}

export interface ProblemMessage {
  message: string;
  /** the setting the button opens */
  setting: string;
  button: string;
}

/** One clear sentence (or three) saying what is wrong and what to do. */
export function describeProblem(v: ProbeVerdict, cmd: { kind: string; interpreter?: string[]; command: string }): ProblemMessage {
  const py = cmd.interpreter ? cmd.interpreter.join(' ') : cmd.command;
  // no public index serves bastion-lsp: it is installed from a clone or a wheel built from one
  const install = `${py} -m pip install <a clone of Bastion or its .whl>`;
  switch (v.problem) {
    case 'pathMissing':
      return {
        message: `Bastion: the server executable "${cmd.command}" (bastion.path) could not be started (${v.detail ?? 'not found'}). Fix or clear the bastion.path setting.`,
        setting: 'bastion.path', button: 'Open bastion.path setting',
      };
    case 'pythonMissing':
      return {
        message: `Bastion: Python interpreter "${py}" was not found. Install Python 3.10 or newer, select it in the Python extension, or set bastion.interpreter.`,
        setting: 'bastion.interpreter', button: 'Open bastion.interpreter setting',
      };
    case 'pythonTooOld':
      return {
        message: `Bastion needs Python 3.10 or newer, but "${py}" is Python ${v.python}. Choose a newer interpreter in bastion.interpreter.`,
        setting: 'bastion.interpreter', button: 'Open bastion.interpreter setting',
      };
    case 'bastionMissing':
      return {
        message: `Bastion is not installed for "${py}" (Python ${v.python}). Set bastion.importStrategy to "useBundled" to run the copy shipped with the extension, choose an interpreter that has Bastion, or install it with \`${install}\`.`,
        setting: 'bastion.interpreter', button: 'Open bastion.interpreter setting',
      };
    case 'bastionTooOld':
      return {
        message: `Bastion ${v.bastion} is too old for this extension (needs ${MIN_BASTION} or newer). Upgrade it with \`${cmd.kind === 'path' ? 'pipx install --force <a clone of Bastion or its .whl>' : install.replace('install', 'install -U')}\`${cmd.kind === 'path' ? ' or fix bastion.path' : ' or choose another interpreter'}.`,
        setting: cmd.kind === 'path' ? 'bastion.path' : 'bastion.interpreter',
        button: cmd.kind === 'path' ? 'Open bastion.path setting' : 'Open bastion.interpreter setting',
      };
    case 'bundledBroken':
      return {
        message: `Bastion: the copy bundled with the extension does not load in "${py}" (Python ${v.python ?? '?'}): ${v.detail ?? 'import failed'}. Use an interpreter matching the bundle, or set bastion.importStrategy to "fromEnvironment" and install Bastion into the interpreter (\`${install}\`).`,
        setting: 'bastion.importStrategy', button: 'Open bastion.importStrategy setting',
      };
    default:
      return {
        message: `Bastion: could not check "${cmd.kind === 'path' ? cmd.command : py}": ${v.detail || 'no output'}. See the Bastion output for details.`,
        setting: cmd.kind === 'path' ? 'bastion.path' : 'bastion.interpreter',
        button: `Open ${cmd.kind === 'path' ? 'bastion.path' : 'bastion.interpreter'} setting`,
      };
  }
}
