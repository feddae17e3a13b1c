import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PROBE_SCRIPT } from '../../src/common/probe';
import { RESTART_KEYS, resolveServerCommand, serverLaunch, userLevelValue } from '../../src/common/settings';

const extensionRoot = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(path.join(extensionRoot, 'package.json'), 'utf8'));

describe('untrusted workspaces', () => {
  it('are declared as limited, restricting every setting that chooses what runs', () => {
    const trust = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(trust?.supported, 'limited');
    assert.ok(typeof trust.description === 'string' && trust.description.length > 20);
    const properties: Record<string, { markdownDescription?: string; description?: string }> =
      manifest.contributes.configuration.properties;
    // a setting that names an executable, an interpreter or a path, or picks which code runs
    const choosesWhatRuns = Object.entries(properties)
      .filter(([, p]) => /interpreter|executable|\bpath\b|which bastion runs/i.test(p.markdownDescription ?? p.description ?? ''))
      .map(([key]) => key)
      .sort();
    assert.deepEqual(choosesWhatRuns, RESTART_KEYS.map((k) => `bastion.${k}`).sort());
    assert.deepEqual([...trust.restrictedConfigurations].sort(), choosesWhatRuns);
  });

  it("use neither the workspace's start settings nor the Python extension's interpreter", () => {
    const inspected = { defaultValue: [], globalValue: undefined, workspaceValue: ['./.venv/bin/python'], workspaceFolderValue: ['./evil'] };
    assert.deepEqual(userLevelValue(inspected), []);
    assert.equal(userLevelValue({ defaultValue: '', globalValue: '/usr/bin/bastion', workspaceValue: './bastion' }), '/usr/bin/bastion');
    const inputs = {
      bundledLibs: '/ext/bundled/libs', vars: { workspaceFolder: '/ws' },
      path: userLevelValue({ defaultValue: '', workspaceValue: '${workspaceFolder}/bastion' }),
      interpreter: userLevelValue(inspected),
      importStrategy: userLevelValue({ defaultValue: 'fromEnvironment', workspaceValue: 'useBundled' }),
      pythonExtensionInterpreter: ['/ws/.venv/bin/python'],
    };
    const untrusted = resolveServerCommand({ ...inputs, trusted: false });
    assert.deepEqual([untrusted.command, untrusted.kind, untrusted.interpreterSource], ['python3', 'fromEnvironment', 'default']);
    const trusted = resolveServerCommand({ ...inputs, trusted: true });
    assert.deepEqual([trusted.command, trusted.interpreterSource], ['/ws/.venv/bin/python', 'python-extension']);
  });
});

describe('server launch', () => {
  const cmd = resolveServerCommand({ trusted: true, bundledLibs: '/b', vars: {}, path: '', interpreter: ['py', '-X', 'utf8'], importStrategy: undefined });

  it('starts in the extension folder, with -P from Python 3.11', () => {
    assert.deepEqual(serverLaunch(cmd, '3.11.7', '/ext'), { command: 'py', args: ['-X', 'utf8', '-P', '-m', 'bastion', 'lsp'], cwd: '/ext' });
    assert.deepEqual(serverLaunch(cmd, '3.13.0', '/ext').args, ['-X', 'utf8', '-P', '-m', 'bastion', 'lsp']);
    // 3.10 has no -P: the working directory (the extension folder) and Bastion itself keep it safe
    assert.deepEqual(serverLaunch(cmd, '3.10.12', '/ext'), { command: 'py', args: ['-X', 'utf8', '-m', 'bastion', 'lsp'], cwd: '/ext' });
    assert.deepEqual(serverLaunch(cmd, undefined, '/ext').args, ['-X', 'utf8', '-m', 'bastion', 'lsp']);
    const exe = resolveServerCommand({ trusted: true, bundledLibs: '/b', vars: {}, path: '/bin/bastion', interpreter: [], importStrategy: undefined });
    assert.deepEqual(serverLaunch(exe, undefined, '/ext'), { command: '/bin/bastion', args: ['lsp'], cwd: '/ext' });
  });

  it('has no Python module at the top of the extension folder, its working directory', () => {
    const { readdirSync } = require('node:fs') as typeof import('node:fs');
    assert.deepEqual(readdirSync(extensionRoot).filter((f) => f.endsWith('.py') || f === '__init__.py'), []);
  });

  it('probes with the working directory dropped from sys.path before any import but sys', () => {
    const lines = PROBE_SCRIPT.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    assert.equal(lines[0], 'import sys');
    assert.match(lines[1], /del sys\.path\[0\]/);
  });
});
