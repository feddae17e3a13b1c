// npm run bundle-server: install the Bastion server and its Python dependencies into
// bundled/libs (shipped in the .vsix, used when bastion.importStrategy is "useBundled"):
//   <python> -m pip install --target bundled/libs <repo root>
// Python: $BASTION_BUNDLE_PYTHON, else <repo>/.venv/bin/python, else python3.
// libcst and PyYAML contain compiled code: the bundle fits the Python version and platform it
// was built with (written to bundled/bundle.json); the extension checks at start that it loads.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const client = path.resolve(here, '..');
const repo = path.resolve(client, '..');
const bundled = path.join(client, 'bundled');
const libs = path.join(bundled, 'libs');
const venvPython = path.join(repo, '.venv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
const python = process.env.BASTION_BUNDLE_PYTHON || (existsSync(venvPython) ? venvPython : 'python3');

if (!existsSync(path.join(repo, 'pyproject.toml'))) {
  console.error(`no pyproject.toml in ${repo}`);
  process.exit(1);
}
rmSync(bundled, { recursive: true, force: true });
mkdirSync(libs, { recursive: true });
console.log(`bundling the server with ${python} into ${path.relative(client, libs)}`);
execFileSync(python, [
  '-m', 'pip', 'install', '--target', libs, '--no-compile', '--no-cache-dir', '--disable-pip-version-check',
  '--no-warn-script-location', '--quiet', repo,
], { stdio: 'inherit', env: { ...process.env, PIP_REQUIRE_VIRTUALENV: '0' } });
// console scripts carry the build machine's interpreter path in their shebang: not usable
rmSync(path.join(libs, 'bin'), { recursive: true, force: true });
rmSync(path.join(libs, 'share'), { recursive: true, force: true }); // man pages
const info = JSON.parse(execFileSync(python, ['-c',
  'import json, platform, sys, sysconfig; print(json.dumps({"python": "%d.%d" % sys.version_info[:2], "platform": sysconfig.get_platform(), "implementation": platform.python_implementation()}))'],
{ encoding: 'utf8' }));
const version = execFileSync(python, ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); import bastion; print(bastion.__version__)', libs], { encoding: 'utf8', env: { ...process.env, PYTHONNOUSERSITE: '1' } }).trim();
writeFileSync(path.join(bundled, 'bundle.json'), JSON.stringify({ bastion: version, ...info }, null, 1) + '\n');
console.log(`bundled Bastion ${version} for ${info.implementation} ${info.python} (${info.platform})`);
