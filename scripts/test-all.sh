#!/usr/bin/env bash
# Install (idempotently) and run every test of the project:
#   1. Python: pytest over tests/ in .venv: tests/unit with one worker per core (pytest-xdist),
#      then tests/lsp and tests/realclient in one process
#   1b. other Pythons: the fast unit tests (tests/unit, not marked slow) in each .venv-3.X made by
#      `scripts/setup.sh --pyversions`; a version without an interpreter is a row saying so
#   2. VS Code extension (when client-vscode/package.json exists): npm test, npm run test:e2e
#      (each only if package.json defines that script)
# Every section runs even if an earlier one failed; the exit status is non-zero if any failed.
# pytest's exit status 5 ("no tests collected") counts as a failure. A tool the set-up could not
# install (recorded in .tools/unavailable, see scripts/apt.sh) skips only the tests that need
# it; the closing table lists each section's passed / failed / skipped counts and those reasons.
#
# usage: scripts/test-all.sh [extra pytest arguments, given to both pytest runs in .venv]
# env:   BASTION_SKIP_SETUP=1 skips the install step (it is idempotent and fast when done)
#        BASTION_TEST_WORKERS (default auto: one per core): pytest-xdist workers for the unit tests
#        BASTION_PYVERSIONS (default 3.10 3.11 3.12 3.13): versions for 1b (.venv's own is skipped)
#        CI=1 makes missing real-editor tools (nvim) a test failure instead of a skip
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
ext="$repo/client-vscode"

section() { printf '\n==================== %s ====================\n' "$*"; }
failed=()
rows=()        # "section|passed|failed|skipped|note" for the closing table
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
unavailable="$repo/.tools/unavailable"
why_unavailable() { [ -f "$unavailable" ] && grep "^$1	" "$unavailable" | cut -f2- | head -n 1; }
row() { rows+=("$1|${2:-0}|${3:-0}|${4:-0}|${5:-}"); }

pytest_section() {  # pytest_section NAME EXIT JUNIT NOTE: record a pytest run's exit and counts
  case "$2" in
    0) ;;
    5) failed+=("$1 (exit 5: no tests were collected)") ;;
    *) failed+=("$1 (exit $2)") ;;
  esac
  # shellcheck disable=SC2046  # three numbers: passed failed skipped
  row "$1" $("$py" "$repo/scripts/junit_counts.py" "$3") "$4"
}

has_npm_script() {  # has_npm_script NAME: client-vscode/package.json defines scripts.NAME
  node -e 'const s = require(process.argv[1]).scripts || {}; process.exit(s[process.argv[2]] ? 0 : 1)' \
    "$ext/package.json" "$1" 2>/dev/null
}

in_ext() { (cd "$ext" && "$@"); }

run_step() {  # run_step NAME LOG CMD...: run (output also in LOG), record, never abort the script
  local name="$1" out="$2"; shift 2
  local rc=0
  "$@" 2>&1 | tee "$out" || rc=${PIPESTATUS[0]}
  if [ "$rc" -ne 0 ]; then
    failed+=("$name (exit $rc)")
    echo "---- $name FAILED with exit status $rc" >&2
  fi
  return 0
}

count() {  # count LOG REGEX: the number in the last line matching REGEX (one group), else 0
  local n
  n="$(sed -nE "s/$2/\1/p" "$1" | tail -n 1)"
  echo "${n:-0}"
}

# ---- install ---------------------------------------------------------------------------------
if [ "${BASTION_SKIP_SETUP:-0}" != 1 ]; then
  section "setup (skips what is present)"
  set_args=(--python --pyversions --neovim)
  if [ -f "$ext/package.json" ]; then
    set_args+=(--vscode)
    has_npm_script test:e2e && set_args+=(--e2e)
  fi
  bash "$repo/scripts/setup.sh" "${set_args[@]}"
fi
py="$repo/.venv/bin/python"
[ -x "$py" ] || { echo "no $py: run scripts/setup.sh first" >&2; exit 1; }

# ---- Python ----------------------------------------------------------------------------------
section "pytest: tests/unit (one worker per core)"
"$py" -c 'import sys, bastion, bandit; print(f"python {sys.version.split()[0]}, bastion {bastion.__version__}, bandit {bandit.__version__}")'
command -v nvim >/dev/null && echo "neovim: $(nvim --version | head -1)" || echo "neovim: not installed (real-editor tests will skip, or fail when CI is set)"
# tests/unit in one worker per core (pytest-xdist); tests/lsp and tests/realclient in one process,
# since they time servers and editors, which other tests' load would make late
workers=(-n "${BASTION_TEST_WORKERS:-auto}" --dist worksteal)
pytest_rc=0 started=$SECONDS
BASTION_UNAVAILABLE_FILE="$unavailable" "$py" -m pytest tests/unit -ra "${workers[@]}" \
  --junitxml "$results/pytest-unit.xml" "$@" || pytest_rc=$?
pytest_section "pytest tests/unit" "$pytest_rc" "$results/pytest-unit.xml" \
  "$(nproc) cores, $((SECONDS - started)) s"
section "pytest: tests/lsp, tests/realclient (one process)"
pytest_rc=0 started=$SECONDS
BASTION_UNAVAILABLE_FILE="$unavailable" "$py" -m pytest tests/lsp tests/realclient -ra \
  --junitxml "$results/pytest.xml" "$@" || pytest_rc=$?
pytest_section "pytest lsp, editors" "$pytest_rc" "$results/pytest.xml" \
  "$((SECONDS - started)) s$(why_unavailable neovim | sed 's/^/; neovim not installed: /')"

# ---- other Python versions: the fast unit tests ---------------------------------------------
# tests/lsp and tests/realclient start servers and editors: minutes each, and what differs
# between versions (parsing, the stdlib) is covered by the unit tests. Their property tests
# draw a quarter of their examples (tests/hypothesis_budget.py): half the unit tests' time.
main_version="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
for v in ${BASTION_PYVERSIONS:-3.10 3.11 3.12 3.13}; do
  [ "$v" = "$main_version" ] && continue
  vpy="$repo/.venv-$v/bin/python"
  reason="$(why_unavailable "python$v" || true)"
  if [ -n "$reason" ] || [ ! -x "$vpy" ]; then
    reason="${reason:-no .venv-$v: run scripts/setup.sh --pyversions}"
    section "pytest on Python $v: skipped ($reason)"
    row "unit python$v" 0 0 0 "not run: $reason"
    continue
  fi
  section "pytest on Python $v: tests/unit -m 'not slow'"
  vrc=0
  started=$SECONDS
  BASTION_HYPOTHESIS_SHARE=0.25 "$vpy" -m pytest tests/unit -m "not slow" -q -p no:cacheprovider \
    "${workers[@]}" --junitxml "$results/pytest-$v.xml" || vrc=$?
  [ "$vrc" -eq 0 ] || failed+=("pytest on Python $v (exit $vrc)")
  # shellcheck disable=SC2046  # three numbers: passed failed skipped
  row "unit python$v" $("$py" "$repo/scripts/junit_counts.py" "$results/pytest-$v.xml") \
    "$("$vpy" -V 2>&1), tests/unit not slow, a quarter of the examples, $((SECONDS - started)) s"
done

# ---- VS Code extension -----------------------------------------------------------------------
if [ -f "$ext/package.json" ] && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then
  section "client-vscode"
  echo "node/npm not found: the extension's tests cannot run (install Node.js 20 + npm)" >&2
  failed+=("client-vscode (node/npm missing)")
  row "npm test" 0 0 0 "node/npm missing"
elif [ -f "$ext/package.json" ]; then
  if has_npm_script test; then
    section "client-vscode: npm test"
    log="$results/npm-test.log"
    run_step "npm test" "$log" in_ext npm test
    # node's test runner prints "# pass N" (TAP, when piped) or "ℹ pass N" (spec)
    row "npm test" "$(count "$log" '^[#ℹ] pass ([0-9]+)$')" "$(count "$log" '^[#ℹ] fail ([0-9]+)$')" \
      "$(count "$log" '^[#ℹ] skipped ([0-9]+)$')"
  fi
  if has_npm_script test:e2e; then
    section "client-vscode: npm run test:e2e (real VS Code)"
    reason="$(why_unavailable vscode-e2e || true)"
    if [ -n "$reason" ]; then
      echo "skipped: $reason" >&2
      row "npm run test:e2e" 0 0 0 "not run, not installed: $reason"
    else
      log="$results/e2e.log"
      run_step "npm run test:e2e" "$log" in_ext npm run test:e2e
      row "npm run test:e2e" "$(grep -c '"kind":"check".*"ok":true' "$log" || true)" \
        "$(grep -c '"kind":"check".*"ok":false' "$log" || true)" 0 "checks in real VS Code"
    fi
  fi
else
  section "client-vscode/package.json not found: extension tests skipped"
fi

# ---- summary ---------------------------------------------------------------------------------
section "summary"
printf '%-18s %8s %8s %8s  %s\n' section passed failed skipped note
for r in ${rows[@]+"${rows[@]}"}; do
  IFS='|' read -r name p f k note <<< "$r"
  printf '%-18s %8s %8s %8s  %s\n' "$name" "$p" "$f" "$k" "$note"
done
for f in ${failed[@]+"${failed[@]}"}; do echo "FAILED  $f"; done
sum() { local t=0 r v; for r in ${rows[@]+"${rows[@]}"}; do v="$(cut -d'|' -f"$1" <<< "$r")"; t=$((t + ${v:-0})); done; echo "$t"; }
if [ "${#failed[@]}" -gt 0 ]; then echo "test-all: ${#failed[@]} section(s) failed"; else
  echo "test-all: all sections passed"; fi
echo "test-all: $(sum 2) passed, $(sum 3) failed, $(sum 4) skipped"
[ "${#failed[@]}" -eq 0 ]
