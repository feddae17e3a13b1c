import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  PROBE_SCRIPT, compareVersions, describeProblem, evaluatePathProbe, evaluatePythonProbe, parseProbeOutput,
} from '../../src/common/probe';

const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
const py = { kind: 'fromEnvironment', interpreter: ['/usr/bin/python3'], command: '/usr/bin/python3' };

describe('probe evaluation', () => {
  it('compares versions numerically', () => {
    assert.equal(compareVersions('0.10.0', '0.9.9'), 1);
    assert.equal(compareVersions('0.1.0', '0.1'), 0);
    assert.equal(compareVersions('0.0.9', '0.1.0'), -1);
    assert.equal(compareVersions('1.0.0rc1', '1.0.0'), 0);
  });

  it('accepts Python >= 3.10 with Bastion >= 0.1.0', () => {
    assert.deepEqual(evaluatePythonProbe(ok('noise\n{"python": "3.11.7", "bastion": "0.1.0"}\n'), false), { ok: true, python: '3.11.7', bastion: '0.1.0' });
  });

  it('names each problem', () => {
    assert.equal(evaluatePythonProbe({ spawnError: 'ENOENT', stdout: '', stderr: '' }, false).problem, 'pythonMissing');
    assert.equal(evaluatePythonProbe(ok('{"python": "3.9.18", "bastion": "0.1.0"}'), false).problem, 'pythonTooOld');
    assert.equal(evaluatePythonProbe(ok('{"python": "2.7.18", "bastion": null}'), false).problem, 'pythonTooOld');
    assert.equal(evaluatePythonProbe(ok('{"python": "3.12.1", "bastion": null, "error": "ModuleNotFoundError"}'), false).problem, 'bastionMissing');
    assert.equal(evaluatePythonProbe(ok('{"python": "3.12.1", "bastion": null}'), true).problem, 'bundledBroken');
    assert.equal(evaluatePythonProbe(ok('{"python": "3.12.1", "bastion": "0.0.5"}'), false).problem, 'bastionTooOld');
    assert.equal(evaluatePythonProbe(ok('{"python": "3.12.1", "bastion": "0.1.0", "depsError": "ImportError: libcst"}'), true).problem, 'bundledBroken');
    assert.equal(evaluatePythonProbe({ exitCode: 1, stdout: '', stderr: 'boom' }, false).problem, 'probeFailed');
    assert.equal(evaluatePathProbe({ spawnError: 'ENOENT', stdout: '', stderr: '' }).problem, 'pathMissing');
    assert.deepEqual(evaluatePathProbe(ok('bastion 0.2.0\n')), { ok: true, bastion: '0.2.0' });
    assert.equal(evaluatePathProbe(ok('bastion 0.0.1\n')).problem, 'bastionTooOld');
    assert.equal(parseProbeOutput('nothing'), undefined);
  });

  it('says what to do and which setting to open', () => {
    const missing = describeProblem({ ok: false, problem: 'bastionMissing', python: '3.11.7' }, py);
    assert.match(missing.message, /not installed/);
    assert.match(missing.message, /useBundled/);
    // no public index serves bastion-lsp: the message must not send a newcomer to one
    assert.match(missing.message, /\/usr\/bin\/python3 -m pip install <a clone of Bastion or its \.whl>/);
    for (const problem of ['bastionMissing', 'bastionTooOld', 'bundledBroken'] as const) {
      for (const kind of ['fromEnvironment', 'path', 'useBundled']) {
        const text = describeProblem({ ok: false, problem, python: '3.11.7', bastion: '0.0.1' }, { ...py, kind }).message;
        assert.doesNotMatch(text, /install (-U )?bastion-lsp/, text);
      }
    }
    assert.equal(missing.setting, 'bastion.interpreter');
    const old = describeProblem({ ok: false, problem: 'pythonTooOld', python: '3.8.1' }, py);
    assert.match(old.message, /3\.10 or newer.*3\.8\.1/);
    const path = describeProblem({ ok: false, problem: 'pathMissing', detail: 'ENOENT' }, { kind: 'path', command: '/nope/bastion' });
    assert.equal(path.setting, 'bastion.path');
    const bundled = describeProblem({ ok: false, problem: 'bundledBroken', detail: 'x' }, { ...py, kind: 'useBundled' });
    assert.equal(bundled.setting, 'bastion.importStrategy');
  });
});

// The probe script itself, run by real interpreters: the repo's venv (has bastion) and python3.
const repo = path.resolve(__dirname, '..', '..', '..', '..');
const venvPython = path.join(repo, '.venv', 'bin', 'python');

describe('probe script on real interpreters', () => {
  it('finds bastion in the repo venv', { skip: !existsSync(venvPython) && 'no .venv' }, () => {
    const out = execFileSync(venvPython, ['-c', PROBE_SCRIPT], { encoding: 'utf8' });
    const v = evaluatePythonProbe(ok(out), false);
    assert.equal(v.ok, true, out);
    const deps = execFileSync(venvPython, ['-c', PROBE_SCRIPT, '--deps'], { encoding: 'utf8' });
    assert.equal(evaluatePythonProbe(ok(deps), true).ok, true, deps);
  });

  it('reports bastion missing for an interpreter without it', () => {
    let out: string;
    try {
      out = execFileSync('python3', ['-I', '-c', PROBE_SCRIPT], { encoding: 'utf8', cwd: '/' });
    } catch {
      return; // no python3 here
    }
    const res = parseProbeOutput(out);
    assert.ok(res?.python);
    if (!res?.bastion) {
      assert.equal(evaluatePythonProbe(ok(out), false).problem, 'bastionMissing');
    }
  });
});
