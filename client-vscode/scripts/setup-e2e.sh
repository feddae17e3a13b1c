#!/usr/bin/env bash
# One-time, idempotent setup for the extension's browser tests:
#   - Debian packages: chromium (headless browser for `npm run test:panel` / `test:e2e`),
#     ripgrep (VS Code's search), libkrb5-dev build-essential pkg-config (code-server's native modules)
#   - code-server 4.100.3 (VS Code 1.100.3 web build; the last release that runs on Node 20)
#     installed into <repo>/.tools/code-server (git-ignored)
# Only the npm registry and Debian's mirrors are used: code-server's post-install step, which
# downloads ripgrep from GitHub, is replaced by the equivalent steps done by hand.
#
# usage: scripts/setup-e2e.sh [--tools DIR]     (default: $BASTION_E2E_TOOLS or <repo>/.tools)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="${BASTION_E2E_TOOLS:-$repo/.tools}"
[ "${1:-}" = "--tools" ] && { tools="$2"; shift 2; }
CODE_SERVER_VERSION=4.100.3
cs_dir="$tools/code-server"

log() { echo "[setup-e2e] $*" >&2; }
. "$repo/scripts/apt.sh"   # apt_install, mark_unavailable, mark_available: never stops the set-up

# ---- Debian packages -------------------------------------------------------------------------
need=()
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
dpkg -s build-essential >/dev/null 2>&1 || need+=(build-essential)
command -v pkg-config >/dev/null || need+=(pkg-config)
if [ "${#need[@]}" -gt 0 ]; then
  apt_install vscode-e2e "${need[@]}" || exit 0   # recorded: test-all skips the e2e test, says why
else
  log "Debian packages present"
fi

# ---- code-server -----------------------------------------------------------------------------
node_dir() {  # a Node install prefix that has include/node (node-gyp then builds offline)
  local p; p="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -f "$p/include/node/node_api.h" ] && echo "$p"
}

stamp="$cs_dir/.bastion-setup-done-$CODE_SERVER_VERSION"
if [ -f "$stamp" ] && [ -x "$cs_dir/node_modules/.bin/code-server" ]; then
  log "code-server $CODE_SERVER_VERSION present in $cs_dir"
  mark_available vscode-e2e
  exit 0
fi
nd="$(node_dir)" || { mark_unavailable vscode-e2e "Node.js headers (include/node) not found next to $(command -v node): install Node.js 20 from nodejs.org or NodeSource, whose packages ship them"; exit 0; }
mkdir -p "$cs_dir"
cd "$cs_dir"
[ -f package.json ] || echo '{"name":"bastion-e2e-tools","private":true}' > package.json
log "installing code-server@$CODE_SERVER_VERSION into $cs_dir"
# --ignore-scripts: code-server's (and @vscode/ripgrep's) post-install downloads ripgrep from
# GitHub; do its steps by hand below.
npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION"
npm_config_nodedir="$nd" npm rebuild argon2
cd node_modules/code-server/lib/vscode
npm install --no-audit --no-fund --omit=dev --ignore-scripts
# native modules (node-pty's post-install runs "npx node-gyp": allow it to fetch from npm)
npm_config_nodedir="$nd" npm_config_yes=true npm rebuild \
  @vscode/spdlog @vscode/deviceid kerberos native-watchdog node-pty
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg    # Debian's ripgrep
# the rest of code-server's postinstall.sh
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --no-audit --no-fund --omit=dev)
t="$(mktemp -d)"   # code-server writes a default config (and logs) on every start
XDG_CONFIG_HOME="$t" XDG_DATA_HOME="$t" "$cs_dir/node_modules/.bin/code-server" --config "$t/config.yaml" --version
rm -rf "$t"
touch "$stamp"
mark_available vscode-e2e
log "done"
