#!/usr/bin/env bash
# Install (idempotently) and run every test of the project:
#   1. Python: pytest over tests/ (unit, lsp, realclient) in .venv
#   2. VS Code extension (when client-vscode/package.json exists): npm test, npm run test:e2e
#      (each only if package.json defines that script)
# Every section runs even if an earlier one failed; the exit status is non-zero if any failed.
# pytest's exit status 5 ("no tests collected") counts as a failure.
#
# usage: scripts/test-all.sh [extra pytest arguments]
# env:   BASTION_SKIP_SETUP=1 skips the install step (it is idempotent and fast when done)
#        CI=1 makes missing real-editor tools (nvim) a test failure instead of a skip
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
ext="$repo/client-vscode"

section() { printf '\n==================== %s ====================\n' "$*"; }
failed=()
passed=()

has_npm_script() {  # has_npm_script NAME: client-vscode/package.json defines scripts.NAME
  node -e 'const s = require(process.argv[1]).scripts || {}; process.exit(s[process.argv[2]] ? 0 : 1)' \
    "$ext/package.json" "$1" 2>/dev/null
}

in_ext() { (cd "$ext" && "$@"); }

run_step() {  # run_step NAME CMD...: run, record the outcome, never abort the script
  local name="$1"; shift
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -eq 0 ]; then passed+=("$name"); else
    failed+=("$name (exit $rc)")
    echo "---- $name FAILED with exit status $rc" >&2
  fi
  return 0
}

# ---- install ---------------------------------------------------------------------------------
if [ "${BASTION_SKIP_SETUP:-0}" != 1 ]; then
  section "setup (skips what is present)"
  set_args=(--python --neovim)
  if [ -f "$ext/package.json" ]; then
    set_args+=(--vscode)
    has_npm_script test:e2e && set_args+=(--e2e)
  fi
  bash "$repo/scripts/setup.sh" "${set_args[@]}"
fi
py="$repo/.venv/bin/python"
[ -x "$py" ] || { echo "no $py: run scripts/setup.sh first" >&2; exit 1; }

# ---- Python ----------------------------------------------------------------------------------
section "pytest: tests/ (unit, lsp, realclient)"
"$py" -c 'import sys, bastion, bandit; print(f"python {sys.version.split()[0]}, bastion {bastion.__version__}, bandit {bandit.__version__}")'
command -v nvim >/dev/null && echo "neovim: $(nvim --version | head -1)" || echo "neovim: not installed (real-editor tests will skip, or fail when CI is set)"
pytest_rc=0
"$py" -m pytest tests -ra "$@" || pytest_rc=$?
case "$pytest_rc" in
  0) passed+=("pytest") ;;
  5) failed+=("pytest (exit 5: no tests were collected)") ;;
  *) failed+=("pytest (exit $pytest_rc)") ;;
esac

# ---- VS Code extension -----------------------------------------------------------------------
if [ -f "$ext/package.json" ] && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then
  section "client-vscode"
  echo "node/npm not found: the extension's tests cannot run (install Node.js 20 + npm)" >&2
  failed+=("client-vscode (node/npm missing)")
elif [ -f "$ext/package.json" ]; then
  if has_npm_script test; then
    section "client-vscode: npm test"
    run_step "npm test" in_ext npm test
  else
    section "client-vscode: no 'test' script in package.json, skipped"
  fi
  if has_npm_script test:e2e; then
    section "client-vscode: npm run test:e2e"
    run_step "npm run test:e2e" in_ext npm run test:e2e
  else
    section "client-vscode: no 'test:e2e' script in package.json, skipped"
  fi
else
  section "client-vscode/package.json not found: extension tests skipped"
fi

# ---- summary ---------------------------------------------------------------------------------
section "summary"
for p in ${passed[@]+"${passed[@]}"}; do echo "PASSED  $p"; done
for f in ${failed[@]+"${failed[@]}"}; do echo "FAILED  $f"; done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "test-all: ${#failed[@]} section(s) failed"
  exit 1
fi
echo "test-all: all sections passed"
