"""Secrets rules on hostile and large inputs: a 1 MB single line and a 5 MB file.

Usage: python bench/secrets_bench.py [--repeat N]

Each input is written as a `.env` (read by the text analyzers) and as a Python module holding
the same text in one string literal (what bandit and ruff can read). Printed side by side, in
the same run: the secrets analyzer alone in process (what an editor keystroke costs on that
text), `bastion check --no-cache` on the file, `bandit -t B105,B106,B107` and
`ruff check --select S105,S106,S107` on the Python twin. Best of --repeat runs, in seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from bastion.analyzers.secrets.analyzer import SecretsAnalyzer  # noqa: E402
from bastion.filekinds import FileKind  # noqa: E402

MB = 1024 * 1024


def hostile_line() -> str:
    """Near misses of every pattern, back to back, on one 1 MB line: prefixes without their
    bodies, unclosed key headers, URLs without an @, keywords without a value."""
    pieces = ["AKIA", "ghp_", "xoxb-1234567-", "eyJabcdefgh.", "://user:", "password=",
              "-----BEGIN PRIVATE KEY-----", "sk_live_", "AIza", "SG.", "api_key: ", "a" * 60]
    chunk = "".join(pieces)
    return (chunk * (MB // len(chunk) + 1))[:MB]


def large_file() -> str:
    """5 MB of realistic configuration lines, with a planted key every 1,000 lines."""
    lines = []
    size, n = 0, 0
    while size < 5 * MB:
        if n % 1000 == 0:
            line = f"AWS_ACCESS_KEY_ID=AKIA{'Z3MDTQ7WLX5RJ4' + chr(65 + n % 26) + 'B'}"
        else:
            line = f"SERVICE_{n}_URL=https://svc{n}.internal:8443/api/v2  # timeout={n % 60}"
        lines.append(line)
        size += len(line) + 1
        n += 1
    return "\n".join(lines) + "\n"


def tool(name: str) -> str | None:
    """The tool installed next to this interpreter (the venv's), else on PATH."""
    return shutil.which(name, path=os.pathsep.join([os.path.dirname(sys.executable),
                                                    os.environ.get("PATH", "")]))


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def command(args: list[str], cwd: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server"), "BASTION_NO_CACHE": "1"}
    subprocess.run(args, cwd=cwd, env=env, capture_output=True, check=False, timeout=600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    analyzer = SecretsAnalyzer()
    cases = [("1 MB single line", hostile_line()), ("5 MB file", large_file())]
    print(f"{'input':<18}{'analyzer':>10}{'findings':>10}{'bastion check':>15}{'bandit':>9}{'ruff':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name, text in cases:
            env_file, py_file = base / ".env", base / "twin.py"
            env_file.write_text(text, encoding="utf-8")
            py_file.write_text("DATA = " + repr(text) + "\n", encoding="utf-8")
            findings = len(analyzer.analyse_text(text, str(env_file), FileKind.DOTENV))
            alone = best(lambda t=text, p=str(env_file): analyzer.analyse_text(t, p, FileKind.DOTENV),
                         repeat)
            check = best(lambda: command([sys.executable, "-m", "bastion", "check", "--no-cache",
                                          ".env"], base), repeat)
            bandit_cmd = [tool("bandit"), "-q", "-t", "B105,B106,B107", "twin.py"]
            ruff_cmd = [tool("ruff"), "check", "--no-cache", "--select", "S105,S106,S107", "twin.py"]
            bandit = best(lambda c=bandit_cmd: command(c, base), repeat) if bandit_cmd[0] else float("nan")
            ruff = best(lambda c=ruff_cmd: command(c, base), repeat) if ruff_cmd[0] else float("nan")
            print(f"{name:<18}{alone:>10.3f}{findings:>10}{check:>15.2f}{bandit:>9.2f}{ruff:>8.2f}")
            env_file.unlink()
            py_file.unlink()


if __name__ == "__main__":
    main()
