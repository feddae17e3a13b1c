// The real server, started the way the extension starts it, next to a hostile workspace: a module
// named after each one Python and Bastion import at start-up, each creating a marker when run.
import { strict as assert } from 'node:assert';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { PROBE_SCRIPT, evaluatePythonProbe } from '../../src/common/probe';
import { resolveServerCommand, serverLaunch } from '../../src/common/settings';

const extensionRoot = path.resolve(__dirname, '..', '..', '..');
const repo = path.resolve(extensionRoot, '..');
// BASTION_TEST_PYTHON: an interpreter with Bastion's dependencies (PYTHONPATH may point at the code)
const python = process.env.BASTION_TEST_PYTHON ?? path.join(repo, '.venv', 'bin', 'python');
const SHADOWED = ['json', 'attrs', 'pygls', 'bandit', 'platformdirs', 'sqlite3', 'lsprotocol', 'cattrs',
  'libcst', 'asyncio', 'logging', 'argparse', 'warnings', 'contextlib', 'enum', 'typing', 'bastion'];

function frame(message: object): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function session(command: string, args: string[], cwd: string, workspace: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.on('error', reject);
    child.on('exit', () => resolve(out));
    const uri = pathToFileURL(workspace).href;
    child.stdin.end([
      frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, capabilities: {}, rootUri: uri, workspaceFolders: [{ uri, name: 'ws' }] } }),
      frame({ jsonrpc: '2.0', method: 'initialized', params: {} }),
      frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }),
      frame({ jsonrpc: '2.0', method: 'exit' }),
    ].join(''));
    setTimeout(() => { child.kill(); reject(new Error(`no exit; output so far: ${out}`)); }, 60_000).unref();
  });
}

describe('server start-up next to a hostile workspace', () => {
  it('imports nothing from the workspace', { skip: !existsSync(python) && 'no interpreter (set BASTION_TEST_PYTHON)', timeout: 120_000 }, async () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'bastion-hostile-'));
    const markers = path.join(workspace, 'markers');
    mkdirSync(markers);
    try {
      const code = `open(${JSON.stringify(markers)} + '/' + __name__, 'w').close()\n`;
      for (const name of SHADOWED) {
        if (name === 'bastion') {
          mkdirSync(path.join(workspace, name));
          writeFileSync(path.join(workspace, name, '__init__.py'), code);
        } else {
          writeFileSync(path.join(workspace, `${name}.py`), code);
        }
      }
      const cmd = resolveServerCommand({ trusted: false, bundledLibs: '/none', vars: { workspaceFolder: workspace }, path: '', interpreter: [python], importStrategy: 'fromEnvironment' });
      const probe = execFileSync(cmd.interpreter![0], ['-c', PROBE_SCRIPT], { cwd: extensionRoot, encoding: 'utf8' });
      const verdict = evaluatePythonProbe({ exitCode: 0, stdout: probe, stderr: '' }, false);
      assert.equal(verdict.ok, true, probe);
      const launch = serverLaunch(cmd, verdict.python, extensionRoot);
      const out = await session(launch.command, launch.args, launch.cwd, workspace);
      assert.match(out, /"id":\s*1,.*"capabilities"|"capabilities".*"id":\s*1/s);
      assert.match(out, /"id":\s*2/);
      assert.deepEqual(readdirSync(markers), []);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
