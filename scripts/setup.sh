#!/usr/bin/env bash
# Install what Bastion's commands and tests need, from the project's own files. Idempotent:
# every step checks first and skips what is already there.
#
# usage: scripts/setup.sh [--python] [--pyversions] [--neovim] [--vscode] [--e2e] [--all]
#   --python   .venv (python3 -m venv) + pip install -e '.[test,lessons]'   (default when no option)
#   --pyversions  .venv-3.X for each other supported Python (BASTION_PYVERSIONS, default
#              3.10 3.11 3.12 3.13, minus .venv's own), from pyenv or python3.X on PATH; a version
#              without an interpreter is recorded in .tools/unavailable as python3.X
#   --neovim   Debian's neovim, for tests/realclient (apt-get; root or sudo)
#   --vscode   npm ci in client-vscode/ (when client-vscode/package.json exists)
#   --e2e      client-vscode/scripts/setup-e2e.sh (chromium, code-server) when it exists
#   --all      all of the above
# env: PYTHON (interpreter for the venv, default python3), BASTION_VENV (default <repo>/.venv),
#      BASTION_APT_LOCK_WAIT (seconds to wait for apt's lock, default 300),
#      BASTION_PYVERSIONS (the versions --pyversions considers).
# A Debian package that cannot be installed (no root and no password-less sudo, apt's lock held
# past the wait, no apt-get, a failed download) never stops the set-up: it is recorded with its
# reason in .tools/unavailable, and the tests that need it are skipped and say why
# (scripts/test-all.sh lists them in its summary).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${BASTION_VENV:-$repo/.venv}"
python="${PYTHON:-python3}"

do_python=0 do_pyversions=0 do_neovim=0 do_vscode=0 do_e2e=0
[ $# -eq 0 ] && do_python=1
while [ $# -gt 0 ]; do
  case "$1" in
    --python) do_python=1 ;;
    --pyversions) do_pyversions=1 ;;
    --neovim) do_neovim=1 ;;
    --vscode) do_vscode=1 ;;
    --e2e) do_e2e=1 ;;
    --all) do_python=1 do_pyversions=1 do_neovim=1 do_vscode=1 do_e2e=1 ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "[setup] $*" >&2; }
hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }

. "$repo/scripts/apt.sh"   # apt_install, mark_unavailable, mark_available

# ---- Python: .venv + editable install with test extras ------------------------------------
python_env() {  # python_env PYTHON VENV EXTRAS: VENV made by PYTHON, with pip install -e '.[EXTRAS]'
  local python="$1" venv="$2" extras="$3" stamp want
  local needed='import bastion, pytest, pytest_lsp, jsonschema, bandit'  # what the tests import
  if [ ! -x "$venv/bin/python" ]; then
    command -v "$python" >/dev/null || { log "$python not found (Python 3.10+ is needed)"; return 1; }
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
      || { log "$python is $("$python" -V 2>&1); Bastion needs Python 3.10+"; return 1; }
    log "creating $venv with $("$python" -V 2>&1)"
    "$python" -m venv "$venv"
  fi
  stamp="$venv/.bastion-install"
  want="$(hash_of "$repo/pyproject.toml") $extras"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
     && "$venv/bin/python" -c "$needed" 2>/dev/null \
     && [ -x "$venv/bin/bastion" ]; then
    log "Python environment up to date ($venv)"
  else
    if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
      # A venv whose own pip does not run (seen once: pip._internal half-written) is made again.
      log "$venv has no working pip: making it again"
      rm -rf "$venv" && "$python" -m venv "$venv" || return 1
    fi
    log "pip install -e '.[$extras]' into $venv (a minute or two; pip lists each package)"
    "$venv/bin/python" -m pip install -q --upgrade pip || { log "pip cannot upgrade itself in $venv"; return 1; }
    (set -o pipefail; cd "$repo" && "$venv/bin/python" -m pip install --progress-bar off -e ".[$extras]" \
       | { grep -E '^(Collecting|Installing|Successfully)' >&2 || true; }) \
      || { log "pip install -e '.[$extras]' failed in $venv"; return 1; }
    "$venv/bin/python" -c "$needed" \
      || { log "$venv lacks what the tests import after the install"; return 1; }
    echo "$want" > "$stamp"
  fi
}

find_python() {  # find_python X.Y: prints an interpreter of that version (pyenv's newest, else PATH)
  local v="$1" c root
  if command -v pyenv >/dev/null && root="$(pyenv root 2>/dev/null)"; then
    for c in $(ls -d "$root/versions/$v".* 2>/dev/null | sort -V -r); do
      [[ "$c" =~ /$v\.[0-9]+$ ]] && [ -x "$c/bin/python$v" ] && { echo "$c/bin/python$v"; return 0; }
    done
  fi
  # pyenv's shims are on PATH even for versions that are not active: run it to be sure
  c="$(command -v "python$v" 2>/dev/null)" && "$c" -c 'pass' 2>/dev/null && { echo "$c"; return 0; }
  return 1
}

if [ "$do_python" = 1 ]; then
  python_env "$python" "$venv" test,lessons || exit 1
fi

if [ "$do_pyversions" = 1 ]; then
  main_python="$venv/bin/python"
  [ -x "$main_python" ] || main_python="$python"
  main_version="$("$main_python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
  for v in ${BASTION_PYVERSIONS:-3.10 3.11 3.12 3.13}; do
    [ "$v" = "$main_version" ] && continue
    if ! interp="$(find_python "$v")"; then
      mark_unavailable "python$v" "no Python $v interpreter (neither pyenv nor python$v on PATH)"
      continue
    fi
    if python_env "$interp" "$repo/.venv-$v" test; then mark_available "python$v"; else
      mark_unavailable "python$v" "could not make .venv-$v with $interp (see the set-up log)"; fi
  done
fi

# ---- Neovim for the real-editor tests -----------------------------------------------------
if [ "$do_neovim" = 1 ]; then
  if command -v nvim >/dev/null; then
    log "neovim present ($(nvim --version | head -1))"
    mark_available neovim
  else
    apt_install neovim neovim || true
  fi
fi

# ---- VS Code extension: node modules ------------------------------------------------------
ext="$repo/client-vscode"
if [ "$do_vscode" = 1 ] && [ -f "$ext/package.json" ]; then
  command -v npm >/dev/null || { log "npm not found: Node.js 20 + npm are needed for client-vscode"; exit 1; }
  lock="$ext/package-lock.json"
  stamp="$ext/node_modules/.bastion-npm-ci"
  want="$(hash_of "$ext/package.json" "$lock" 2>/dev/null || echo none)"
  hidden="$ext/node_modules/.package-lock.json"  # npm's own record of what it installed
  if { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; } || \
     { [ -f "$hidden" ] && [ "$hidden" -nt "$ext/package.json" ] && { [ ! -f "$lock" ] || [ "$hidden" -nt "$lock" ]; }; }; then
    log "client-vscode node_modules up to date"
  else
    log "npm ci in client-vscode"
    if [ -f "$lock" ]; then (cd "$ext" && npm ci --no-audit --no-fund); else
      (cd "$ext" && npm install --no-audit --no-fund); fi
    echo "$want" > "$stamp"
  fi
fi

# ---- VS Code end-to-end tools (owned by client-vscode/scripts/setup-e2e.sh) ----------------
if [ "$do_e2e" = 1 ] && [ -f "$ext/scripts/setup-e2e.sh" ]; then
  log "client-vscode/scripts/setup-e2e.sh"
  bash "$ext/scripts/setup-e2e.sh"
fi
