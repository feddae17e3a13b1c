#!/usr/bin/env bash
# Install what Bastion's commands and tests need, from the project's own files. Idempotent:
# every step checks first and skips what is already there.
#
# usage: scripts/setup.sh [--python] [--neovim] [--vscode] [--e2e] [--all]
#   --python   .venv (python3 -m venv) + pip install -e '.[test]'   (default when no option)
#   --neovim   Debian's neovim, for tests/realclient (apt-get; root or sudo)
#   --vscode   npm ci in client-vscode/ (when client-vscode/package.json exists)
#   --e2e      client-vscode/scripts/setup-e2e.sh (chromium, code-server) when it exists
#   --all      all of the above
# env: PYTHON (interpreter for the venv, default python3), BASTION_VENV (default <repo>/.venv),
#      BASTION_APT_LOCK_WAIT (seconds to wait for apt's lock, default 300).
# A Debian package that cannot be installed (no root and no password-less sudo, apt's lock held
# past the wait, no apt-get, a failed download) never stops the set-up: it is recorded with its
# reason in .tools/unavailable, and the tests that need it are skipped and say why
# (scripts/test-all.sh lists them in its summary).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${BASTION_VENV:-$repo/.venv}"
python="${PYTHON:-python3}"

do_python=0 do_neovim=0 do_vscode=0 do_e2e=0
[ $# -eq 0 ] && do_python=1
while [ $# -gt 0 ]; do
  case "$1" in
    --python) do_python=1 ;;
    --neovim) do_neovim=1 ;;
    --vscode) do_vscode=1 ;;
    --e2e) do_e2e=1 ;;
    --all) do_python=1 do_neovim=1 do_vscode=1 do_e2e=1 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "[setup] $*" >&2; }
hash_of() { sha256sum "$@" | sha256sum | cut -c1-16; }

. "$repo/scripts/apt.sh"   # apt_install, mark_unavailable, mark_available

# ---- Python: .venv + editable install with test extras ------------------------------------
if [ "$do_python" = 1 ]; then
  if [ ! -x "$venv/bin/python" ]; then
    command -v "$python" >/dev/null || { log "$python not found (Python 3.10+ is needed)"; exit 1; }
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
      || { log "$python is $("$python" -V 2>&1); Bastion needs Python 3.10+"; exit 1; }
    log "creating $venv with $("$python" -V 2>&1)"
    "$python" -m venv "$venv"
  fi
  stamp="$venv/.bastion-install"
  want="$(hash_of "$repo/pyproject.toml")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
     && "$venv/bin/python" -c 'import bastion, pytest, pytest_lsp, jsonschema, bandit' 2>/dev/null \
     && [ -x "$venv/bin/bastion" ]; then
    log "Python environment up to date ($venv)"
  else
    log "pip install -e '.[test]' into $venv (about a minute; pip lists each package)"
    "$venv/bin/python" -m pip install -q --upgrade pip
    (cd "$repo" && "$venv/bin/python" -m pip install --progress-bar off -e '.[test]' \
       | { grep -E '^(Collecting|Installing|Successfully)' >&2 || true; })
    echo "$want" > "$stamp"
  fi
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
