# Debian packages for the set-up scripts, sourced by scripts/setup.sh and
# client-vscode/scripts/setup-e2e.sh (which define `repo` and `log` first).
# What cannot be installed never stops a set-up: it is recorded as "name<TAB>reason" in
# .tools/unavailable, and the tests that need it skip with that reason (test-all's summary lists
# them). BASTION_APT_LOCK_WAIT: seconds to wait for apt's lock (default 300).

unavailable="$repo/.tools/unavailable"

mark_unavailable() {  # mark_unavailable NAME REASON
  mkdir -p "$(dirname "$unavailable")"
  { grep -v "^$1	" "$unavailable" 2>/dev/null || true; printf '%s\t%s\n' "$1" "$2"; } > "$unavailable.new"
  mv "$unavailable.new" "$unavailable"
  log "$1 is not available: $2. The tests that need it will be skipped (see the summary)."
}

mark_available() {  # mark_available NAME
  [ -f "$unavailable" ] || return 0
  { grep -v "^$1	" "$unavailable" || true; } > "$unavailable.new"
  mv "$unavailable.new" "$unavailable"
}

apt_install() {  # apt_install NAME PACKAGE...: 0 when installed, else NAME is recorded unavailable
  local name="$1"; shift
  local sudo="" out="" reason wait="${BASTION_APT_LOCK_WAIT:-300}"
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else
      mark_unavailable "$name" "cannot install Debian packages $* (not root, and no password-less sudo)"
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null; then
    mark_unavailable "$name" "no apt-get here: install $* with your system's package manager"
    return 1
  fi
  log "apt-get install $* (waiting up to ${wait}s for apt's lock if another process holds it)"
  if out="$($sudo apt-get -o DPkg::Lock::Timeout="$wait" update -qq 2>&1)" \
     && out="$(DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout="$wait" \
                 install -y -qq --no-install-recommends "$@" 2>&1 >/dev/null)"; then
    mark_available "$name"
    return 0
  fi
  reason="$(printf '%s\n' "$out" | grep -E '^E:' | tail -n 1)"
  [ -n "$reason" ] || reason="$(printf '%s\n' "$out" | tail -n 1)"
  mark_unavailable "$name" "apt-get install $* failed: ${reason:0:200}"
  return 1
}
