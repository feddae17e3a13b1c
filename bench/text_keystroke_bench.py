"""Per-keystroke CPU of a large text document in the engine, analyzer by analyzer.

Usage: python bench/text_keystroke_bench.py [--mb 1] [--edits 21] [--before SERVER_DIR]

Each input is analysed once, then a line in the middle is edited and analysed again, --edits
times, as the editor does: the analyzers the engine holds, one engine. Columns: the secrets
analyzer given the edited text (what it keeps of the last read helps it), the same text
scanned by a fresh secrets analyzer (the whole text, as every keystroke cost before
incremental scanning), the deps analyzer, and the engine's whole analysis of the text document
(both analyzers, the suppression comments, the memo key). Median CPU ms per keystroke.
`--before` runs the same on other code (a `server` folder, e.g. of a worktree of main) in the
same run, row by row. Inputs: a requirements.txt (bench/deps_bench.py's lines), a .env of
configuration lines with a key every 1,000 lines, that .env with a private key in it (lines
within a key header's reach of an edit are scanned again), a pyproject.toml
(bench/deps_bench.py's, the edit a blank after a value), and uv.lock, poetry.lock and
Pipfile.lock (bench/deps_bench.py's, the edit a digit typed at the start of a version near the
middle).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from deps_bench import pipfile_lock, poetry_lock, pyproject, requirements, uv_lock  # noqa: E402

KEY = ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq4fJ9xkR2mW5nP8sT3vY6zA1cD4eF7gH0iJ3kL6mN9o"
       "Q2rS5tU8vW1xY4zB7cE\n-----END RSA PRIVATE KEY-----\n")

MEASURE = """
import json, re, sys, time
sys.path.insert(0, {server!r})
from bastion.analyzers.secrets.analyzer import SecretsAnalyzer
from bastion.engine.registry import create_engine
from bastion.filekinds import kind_of
path = {path!r}
text, kind = open(path, encoding="utf-8").read(), kind_of(path)
engine = create_engine()
secrets = next(a for a in engine.text_analyzers if a.id == "secrets")
deps = next((a for a in engine.text_analyzers if a.id == "deps" and kind in a.kinds), None)

def cpu(run):
    start = time.process_time()
    run()
    return (time.process_time() - start) * 1000

def typed(at):  # a lock file: the first version at or below line `at` gets a digit typed in
    while not re.search(r'(==|")\\d', lines[at]):
        at += 1
    lines[at] = re.sub(r'(==|")(\\d)', r'\\g<1>1\\g<2>', lines[at], count=1)

lines = text.split("\\n")
engine.analyse_raw(text, path, use_disk=False)
figures = {{"secrets": [], "whole": [], "deps": [], "engine": [], "toml": [], "keys": []}}
for n in range({edits}):
    middle = len(lines) // 2
    if path.endswith(".env"):
        lines[middle] = f"EDITED_{{n}}=value{{n}}"
    elif path.endswith(".txt"):
        lines[middle] = f"flask=={{n}}.0"
    elif path.endswith(".lock"):
        typed(middle)
    else:  # a blank after a TOML value: the text changes, the values do not
        lines[middle] += " "
    edited = "\\n".join(lines)
    figures["engine"].append(cpu(lambda: engine.analyse_raw(edited, path, use_disk=False)))
    if path.endswith(".lock"):  # the next edit, for each analyzer alone
        typed(middle)
    else:
        lines[middle + 1] += " "
    edited = "\\n".join(lines)
    figures["secrets"].append(cpu(lambda: secrets.analyse_text(edited, path, kind)))
    figures["whole"].append(cpu(lambda: SecretsAnalyzer().analyse_text(edited, path, kind)))
    if deps is not None:
        figures["deps"].append(cpu(lambda: deps.analyse_text(edited, path, kind)))
    if path.endswith(".toml"):  # what the deps analyzer's edit spends parsing the TOML whole
        from bastion.deps.toml_keys import KeyIndex
        from bastion.deps.toml_text import loads
        figures["toml"].append(cpu(lambda: loads(edited)))
        figures["keys"].append(cpu(lambda: KeyIndex(edited)))
found = len(engine.analyse_raw(edited, path, use_disk=False).findings)
print(json.dumps({{k: sorted(v)[len(v) // 2] if v else None for k, v in figures.items()}}
                 | {{"findings": found}}))
"""


def env_file(size: int) -> str:
    lines, total, n = [], 0, 0
    while total < size:
        line = (f"AWS_ACCESS_KEY_ID=AKIAZ3MDTQ7WLX5RJ4{chr(65 + n % 26)}B" if n % 1000 == 0
                else f"SERVICE_{n}_URL=https://svc{n}.internal:8443/api/v2  # timeout={n % 60}")
        lines.append(line)
        total += len(line) + 1
        n += 1
    return "\n".join(lines) + "\n"


def measure(server: Path, path: Path, edits: int) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE.format(server=str(server), path=str(path),
                                                                  edits=edits)],
                          capture_output=True, text=True, timeout=900,
                          env={"PYTHONDONTWRITEBYTECODE": "", "BASTION_NO_CACHE": "1",
                               "PATH": "/usr/bin:/bin"})
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=1)
    parser.add_argument("--edits", type=int, default=21)
    parser.add_argument("--before", type=Path)
    args = parser.parse_args()
    size = int(args.mb * 1024 * 1024)
    env = env_file(size)
    inputs = [("requirements.txt", requirements(size)), (".env", env),
              ("key/.env", env[:len(env) // 3] + KEY + env[len(env) // 3:]),
              ("pyproject.toml", pyproject(size)), ("uv.lock", uv_lock(size)),
              ("poetry.lock", poetry_lock(size)), ("Pipfile.lock", pipfile_lock(size))]
    codes = [("after", ROOT / "server")] + ([("before", args.before)] if args.before else [])
    print(f"{'file':<18}{'code':<8}{'secrets':>9}{'(whole)':>9}{'deps':>7}{'engine':>8}{'findings':>10}"
          "   CPU ms per keystroke, median")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in inputs:
            path = Path(tmp) / name
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            for label, server in codes:
                row = measure(server, path, args.edits) | {"file": name, "code": label}
                rows.append(row)
                if "error" in row:
                    print(f"{name:<18}{label:<8}{row['error']}")
                    continue
                deps = f"{row['deps']:>7.1f}" if row["deps"] is not None else f"{'-':>7}"
                toml = (f"   (deps: tomllib {row['toml']:.1f}, key index {row['keys']:.1f})"
                        if row.get("toml") is not None else "")
                print(f"{name:<18}{label:<8}{row['secrets']:>9.1f}{row['whole']:>9.1f}{deps}"
                      f"{row['engine']:>8.1f}{row['findings']:>10}{toml}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
