import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { resolveServerCommand, serverSettings, substituteVariables } from '../../src/common/settings';
import { compareRuleIds, filterRuleItems, parseLearnMoreArgs, ruleQuickPickItem } from '../../src/common/args';

describe('serverSettings', () => {
  it('gives the defaults for empty settings', () => {
    assert.deepEqual(serverSettings(() => undefined), {
      enable: true, severity: 'low', confidence: 'low', select: [], ignore: [],
      severityMap: { high: 'error', medium: 'warning', low: 'information' },
      perPathIgnores: {}, exclude: [],
    });
  });

  it('normalizes values and drops unusable entries', () => {
    const values: Record<string, unknown> = {
      enable: false, severity: 'HIGH', confidence: 'bogus', select: ['B6', ' B602 ', 3, ''], ignore: 'B101',
      severityMap: { 'high/low': 'Hint', medium: 'nope', low: 'warning' },
      perPathIgnores: { 'tests/**': ['B101'], 'empty/**': [], '': ['B1'] }, exclude: ['build/**'],
      interpreter: ['/x/python'], path: '/x/bastion',
    };
    const s = serverSettings((k) => values[k]);
    assert.deepEqual(s, {
      enable: false, severity: 'high', confidence: 'low', select: ['B6', 'B602'], ignore: ['B101'],
      severityMap: { 'high/low': 'hint', low: 'warning' }, perPathIgnores: { 'tests/**': ['B101'] }, exclude: ['build/**'],
    });
    // the start settings are never sent to the server
    assert.ok(!('interpreter' in s) && !('path' in s));
  });

  it('sends banditExact only when the user set it', () => {
    assert.ok(!('banditExact' in serverSettings(() => undefined)));
    assert.equal(serverSettings((k) => (k === 'banditExact' ? true : undefined)).banditExact, true);
    assert.equal(serverSettings((k) => (k === 'banditExact' ? false : undefined)).banditExact, false);
    assert.ok(!('banditExact' in serverSettings((k) => (k === 'banditExact' ? 'yes' : undefined))));
  });
});

describe('resolveServerCommand', () => {
  const base = { trusted: true, bundledLibs: '/ext/bundled/libs', vars: { workspaceFolder: '/ws', userHome: '/home/u', env: { VENV: '/v' } } };

  it('prefers bastion.path', () => {
    const c = resolveServerCommand({ ...base, path: '${workspaceFolder}/bin/bastion', interpreter: 'python9', importStrategy: 'useBundled' });
    assert.deepEqual([c.command, c.args, c.kind, c.setting], ['/ws/bin/bastion', ['lsp'], 'path', 'bastion.path']);
  });

  it('uses the interpreter setting (string or array) with python -m bastion lsp', () => {
    const s = resolveServerCommand({ ...base, path: '', interpreter: '~/venv/bin/python', importStrategy: 'fromEnvironment' });
    assert.deepEqual([s.command, s.args, s.interpreterSource], ['/home/u/venv/bin/python', ['-m', 'bastion', 'lsp'], 'setting']);
    const a = resolveServerCommand({ ...base, path: '', interpreter: ['${env:VENV}/bin/python', '-X', 'utf8'], importStrategy: undefined });
    assert.deepEqual([a.command, a.args, a.kind], ['/v/bin/python', ['-X', 'utf8', '-m', 'bastion', 'lsp'], 'fromEnvironment']);
    assert.deepEqual(a.env, {});
  });

  it('falls back to the Python extension, then python3', () => {
    const p = resolveServerCommand({ ...base, path: '', interpreter: [], importStrategy: 'fromEnvironment', pythonExtensionInterpreter: ['/sel/python'] });
    assert.deepEqual([p.command, p.interpreterSource], ['/sel/python', 'python-extension']);
    const d = resolveServerCommand({ ...base, path: undefined, interpreter: undefined, importStrategy: undefined });
    assert.deepEqual([d.command, d.interpreterSource], ['python3', 'default']);
  });

  it('puts the bundled libs first on PYTHONPATH for useBundled', () => {
    const b = resolveServerCommand({ ...base, path: '', interpreter: '', importStrategy: 'useBundled', pythonPath: '/old', pathSeparator: ':' });
    assert.equal(b.env.PYTHONPATH, '/ext/bundled/libs:/old');
    assert.equal(b.env.PYTHONNOUSERSITE, '1');
    assert.equal(b.setting, 'bastion.importStrategy');
  });

  it('substitutes variables', () => {
    assert.equal(substituteVariables('${userHome}/x ${unknown} ${env:NOPE}', { userHome: '/h', env: {} }), '/h/x ${unknown} ');
    assert.equal(substituteVariables('~', { userHome: '/h' }), '/h');
    assert.equal(substituteVariables('${workspaceFolder}', {}), '${workspaceFolder}');
  });
});

describe('learnMore arguments and rule items', () => {
  const range = { start: { line: 3, character: 4 }, end: { line: 3, character: 30 } };
  it('accepts the code action, hover link and palette shapes', () => {
    assert.deepEqual(parseLearnMoreArgs([{ ruleId: 'b602', uri: 'file:///a.py', range }]), { ruleId: 'B602', uri: 'file:///a.py', range });
    assert.deepEqual(parseLearnMoreArgs([[{ ruleId: 'B602', uri: 'file:///a.py', range: null }]]), { ruleId: 'B602', uri: 'file:///a.py', range: undefined });
    assert.deepEqual(parseLearnMoreArgs(['BST101']), { ruleId: 'BST101' });
    assert.equal(parseLearnMoreArgs([]), undefined);
    assert.equal(parseLearnMoreArgs(['<script>']), undefined);
    assert.equal(parseLearnMoreArgs([{ ruleId: 7 }]), undefined);
  });

  it('makes rules searchable by id, title and CWE', () => {
    const item = ruleQuickPickItem({ id: 'B602', title: 'subprocess call with shell=True', severity: 'high', cwe: { id: 78, name: 'OS Command Injection' }, owasp: 'A03:2021', tags: ['subprocess'] });
    assert.deepEqual(item, {
      label: 'B602', description: 'subprocess call with shell=True',
      detail: 'CWE-78 OS Command Injection · OWASP A03:2021 · severity high · subprocess', ruleId: 'B602',
    });
    assert.deepEqual(['BST101', 'B602', 'B101', 'B1000'].sort(compareRuleIds), ['B101', 'B602', 'B1000', 'BST101']);
  });

  it('names the broader CWEs a rule is a kind of, so that searching one finds the rule', () => {
    const eval_ = ruleQuickPickItem({ id: 'BST206', title: 'Untrusted data evaluated', cwe: { id: 95, name: 'Eval Injection', broader: [94] } });
    assert.equal(eval_.detail, 'CWE-95 Eval Injection (a kind of CWE-94)');
    const odd = ruleQuickPickItem({ id: 'B1', cwe: { id: 1, broader: ['<b>' as unknown as number] } });
    assert.equal(odd.detail, 'CWE-1');
    assert.deepEqual(filterRuleItems([eval_, odd], 'cwe 94').map((i) => i.ruleId), ['BST206']);
  });

  it('filters rules by exact words: id, title, CWE, OWASP, tags', () => {
    const items = [
      ruleQuickPickItem({ id: 'B104', title: 'Binding to all network interfaces', cwe: { id: 605, name: 'Multiple Binds to the Same Port' }, owasp: 'A05:2021' }),
      ruleQuickPickItem({ id: 'B301', title: 'Deserialization with pickle', cwe: { id: 502, name: 'Deserialization of Untrusted Data' }, tags: ['pickle'] }),
      ruleQuickPickItem({ id: 'B602', title: 'subprocess call with shell=True', cwe: { id: 78, name: 'OS Command Injection' }, tags: ['shell'] }),
      ruleQuickPickItem({ id: 'B6078', title: 'made up', cwe: { id: 780 } }),
    ];
    const ids = (q: string) => filterRuleItems(items, q).map((i) => i.ruleId);
    assert.deepEqual(ids('CWE-502'), ['B301']);
    assert.deepEqual(ids('cwe 78'), ['B602']);
    assert.deepEqual(ids('cwe78'), ['B602']);
    assert.deepEqual(ids('shell'), ['B602']);
    assert.deepEqual(ids('b6'), ['B602', 'B6078']);
    assert.deepEqual(ids('pickle untrusted'), ['B301']);
    assert.deepEqual(ids('A05'), ['B104']);
    assert.deepEqual(ids(''), ['B104', 'B301', 'B602', 'B6078']);
  });
});
