// npm run package: the .vsix, after a secrets check that allows exactly one thing.
//
// vsce refuses a package that contains secret-shaped text. The lessons of Bastion's secret rules
// (rules/bastion/BST3xx.toml, bundled with the server) must show a secret-shaped example, or the
// rule they teach would not report it; vsce can only allow a kind of secret in the whole package.
// So this script runs the same secretlint rules as vsce over every file `vsce ls` would package,
// fails on anything found outside those lesson files, and only then lets vsce allow the kinds
// found in them.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@secretlint/node';

const client = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsce = path.join(client, 'node_modules', '.bin', 'vsce');
const LESSON = /^bundled\/libs\/bastion\/rules\/bastion\/BST3\d\d\.toml$/;

const files = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: client, encoding: 'utf8' })
  .split('\n').filter(Boolean);
const engine = await createEngine({
  configFileJSON: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] },
  formatter: '@secretlint/secretlint-formatter-sarif',
  color: false,
  maskSecrets: true,
});
const { output } = await engine.executeOnFiles({
  filePathList: files.filter(f => !/\.(png|jpe?g|gif|svg)$/i.test(f)).map(f => path.join(client, f)),
});
// SARIF names a file by URI or by path relative to the working directory
const where = uri => path.relative(client, uri.startsWith('file:') ? fileURLToPath(uri) : path.resolve(uri));
const found = (JSON.parse(output).runs?.[0]?.results ?? []).map(result => ({
  file: where(result.locations[0].physicalLocation.artifactLocation.uri),
  rule: result.ruleId.split('-rule-').at(-1),
  text: result.message.text,
}));
const elsewhere = found.filter(f => !LESSON.test(f.file));
if (elsewhere.length > 0) {
  for (const f of elsewhere) console.error(`secret-shaped text in ${f.file} [${f.rule}]: ${f.text}`);
  console.error('package: refused; only the secret rules\' lesson examples may contain such text');
  process.exit(1);
}
const allowed = [...new Set(found.map(f => f.rule))].sort();
if (allowed.length > 0) {
  console.log(`package: allowing ${allowed.join(', ')}: found only in the secret rules' lessons`);
}
execFileSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository',
  '--no-rewrite-relative-links',
  ...allowed.flatMap(rule => ['--allow-package-secrets', rule])], { cwd: client, stdio: 'inherit' });
