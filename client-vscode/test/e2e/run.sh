#!/usr/bin/env bash
# End-to-end test of the packaged extension in real VS Code (code-server 4.100.3 = VS Code
# 1.100.3, the web build) driven in headless Debian Chromium by playwright-core, like a user.
# Adapted from the realclient harness (vscode_check.sh / .mjs).
#
# usage: test/e2e/run.sh [--vsix FILE] [--no-package] [--timeout S] [--keep-profile DIR]
#                        [--theme dark|light|hc] [--scenario NAME]...
#   scenarios (default: all three):
#     main     diagnostics, severities, status bar, hover + "Learn more" link, Quick Fix menu,
#              lesson panel, the server's quick fix, rule search, status bar menu, scan workspace
#     missing  an interpreter without Bastion: one notification, its button opens the setting
#     bundled  importStrategy useBundled with a python3 that has no Bastion (the server copy in
#              the .vsix runs), and fixOnSave applying source.fixAll.bastion on save
# Needs scripts/setup-e2e.sh once (Debian chromium + code-server in <repo>/.tools/code-server).
# The server runs from <repo>/.venv/bin/python (bastion.interpreter).
# Output: JSON lines on stdout; screenshots and logs in test-results/e2e/<scenario>[-<theme>]/.
# exit: 0 ok, 1 harness error or failed assertion, 3 code-server/extension install failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
client="$(cd "$here/../.." && pwd)"
repo="$(cd "$client/.." && pwd)"
tools="${BASTION_E2E_TOOLS:-$repo/.tools}/code-server"
results="$client/test-results/e2e"
vsix="" package=1 timeout=240 keep="" theme="" scenarios=()
while [ $# -gt 0 ]; do
  case "$1" in
    --vsix) vsix="$2"; package=0; shift 2 ;;
    --no-package) package=0; shift ;;
    --timeout) timeout="$2"; shift 2 ;;
    --keep-profile) keep="$2"; shift 2 ;;
    --scenario) scenarios+=("$2"); shift 2 ;;
    --theme) theme="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 1 ;;
  esac
done
[ "${#scenarios[@]}" -gt 0 ] || scenarios=(main missing bundled)

cs="$tools/node_modules/.bin/code-server"
if [ ! -x "$cs" ] || [ ! -x /usr/bin/chromium ]; then
  echo "[e2e] tools missing: running scripts/setup-e2e.sh" >&2
  bash "$client/scripts/setup-e2e.sh"
fi
python="$repo/.venv/bin/python"
[ -x "$python" ] || { echo "[e2e] $python not found: create the repo venv with bastion installed" >&2; exit 1; }
[ -d "$client/node_modules/playwright-core" ] || { echo "[e2e] run npm ci in client-vscode first" >&2; exit 1; }

cd "$client"
if [ "$package" = 1 ]; then
  echo "[e2e] packaging the extension" >&2
  npm run --silent package >&2
fi
[ -n "$vsix" ] || vsix="$client/bastion-$(node -p 'require("./package.json").version').vsix"
vsix="$(realpath "$vsix")"
[ -f "$vsix" ] || { echo "[e2e] no such vsix: $vsix" >&2; exit 1; }
mkdir -p "$results"

# a system python without Bastion, for the "missing" scenario
no_bastion_python="$(command -v python3 || true)"
if [ -n "$no_bastion_python" ] && "$no_bastion_python" -I -c 'import bastion' 2>/dev/null; then
  no_bastion_python=""   # this python3 has bastion: fall back to a path that does not exist
fi
[ -n "$no_bastion_python" ] || no_bastion_python="/nonexistent/python3"

version="$("$cs" --version 2>/dev/null | tail -1 || true)"
rc=0 failed=()
for scenario in "${scenarios[@]}"; do
  out="$results/$scenario${theme:+-$theme}"    # this scenario's screenshots, JSON lines and logs
  rm -rf "$out"; mkdir -p "$out"
  prof="$(mktemp -d)"
  ws="$prof/workspace"
  cp -r "$client/test/fixtures/workspace" "$ws"    # a copy: the test applies fixes to it
  mkdir -p "$prof/user-data/User" "$prof/extensions" "$prof/config"
  case "$scenario" in
    main) interp="$python" extra='{}' ;;
    missing) interp="$no_bastion_python" extra='{}' ;;
    bundled)   # the server copy inside the .vsix, run by a python3 that has no Bastion; fix on save
      if [ "$no_bastion_python" = /nonexistent/python3 ]; then
        echo '{"kind":"skip","scenario":"bundled","reason":"no python3 without Bastion on this machine"}'; continue
      fi
      interp="$no_bastion_python" extra='{"bastion.importStrategy":"useBundled","bastion.fixOnSave":true}' ;;
    *) echo "unknown scenario $scenario" >&2; exit 1 ;;
  esac
  node -e '
    const [file, interp, theme, extra] = process.argv.slice(1);
    const themes = { dark: "Default Dark Modern", light: "Default Light Modern", hc: "Default High Contrast" };
    require("fs").writeFileSync(file, JSON.stringify({
      ...(theme ? { "workbench.colorTheme": themes[theme] || theme } : {}),
      "workbench.startupEditor": "none", "security.workspace.trust.enabled": false,
      "workbench.tips.enabled": false, "telemetry.telemetryLevel": "off", "update.mode": "none",
      "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
      "extensions.ignoreRecommendations": true, "workbench.enableExperiments": false,
      "chat.disableAIFeatures": true, "workbench.secondarySideBar.defaultVisibility": "hidden",
      "editor.minimap.enabled": false, "window.commandCenter": false, "workbench.layoutControl.enabled": false,
      "bastion.interpreter": interp, "bastion.trace.server": "verbose",
      ...JSON.parse(extra),
    }, null, 1));' "$prof/user-data/User/settings.json" "$interp" "$theme" "$extra"
  export XDG_CONFIG_HOME="$prof/config" XDG_DATA_HOME="$prof/config"
  cs_args=(--config "$prof/config/config.yaml" --user-data-dir "$prof/user-data" --extensions-dir "$prof/extensions")
  if ! "$cs" "${cs_args[@]}" --install-extension "$vsix" >"$prof/install.log" 2>&1 || ! grep -q "successfully installed" "$prof/install.log"; then
    echo '{"kind":"error","stage":"install-extension"}'; cat "$prof/install.log" >&2; exit 3
  fi
  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  setsid "$cs" "${cs_args[@]}" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry \
    --disable-update-check --disable-workspace-trust "$ws" >"$prof/code-server.log" 2>&1 &
  cs_pid=$!
  cleanup() {
    kill -TERM -- "-$cs_pid" 2>/dev/null || true   # code-server runs as its own process group
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$cs_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$cs_pid" 2>/dev/null || true
  }
  trap cleanup EXIT
  for _ in $(seq 1 60); do
    curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
    kill -0 "$cs_pid" 2>/dev/null || { echo '{"kind":"error","stage":"code-server","message":"exited"}'; cat "$prof/code-server.log" >&2; exit 3; }
    sleep 0.5
  done
  src=0
  E2E_URL="http://127.0.0.1:$port" E2E_WORKSPACE="$ws" E2E_SCENARIO="$scenario" E2E_RESULTS="$out" \
  E2E_TIMEOUT_MS="$((timeout * 1000))" E2E_VERSION="$version" E2E_INTERPRETER="$interp" E2E_THEME="$theme" E2E_LOGS="$prof/user-data/logs" \
    timeout --kill-after=10 "$((timeout + 60))" node "$here/vscode_e2e.mjs" 2> >(tee "$out/harness.log" >&2) \
    | tee "$out/results.jsonl" || src=$?
  # keep the logs: the extension host log and the Bastion output channel
  find "$prof/user-data/logs" -type f \( -name 'remoteexthost.log' -o -path '*output_logging_*' -o -path '*bastion.bastion*' \) \
    -exec sh -c 'for f; do echo "== $f"; cat "$f"; done' _ {} + > "$out/logs.log" 2>/dev/null || true
  cp "$prof/code-server.log" "$out/code-server.log" 2>/dev/null || true
  cleanup; trap - EXIT
  if [ -n "$keep" ]; then mkdir -p "$keep"; cp -r "$prof" "$keep/$scenario"; fi
  rm -rf "$prof"
  if [ "$src" -ne 0 ]; then
    echo "[e2e] scenario $scenario failed (exit $src); logs in $out/logs.log" >&2
    failed+=("$scenario:$out")
    rc=1
  fi
done
# a recap last, where a CI log's tail shows it: what failed, and the step the harness was at
for f in "${failed[@]}"; do
  echo "[e2e] FAILED scenario ${f%%:*}:" >&2
  grep -E '"ok":false|"kind":"error"' "${f#*:}/results.jsonl" >&2 || echo "[e2e]   no failed check or error line (killed by the timeout?)" >&2
  grep 'step:' "${f#*:}/harness.log" | tail -2 >&2 || true
done
echo "[e2e] screenshots and logs: $results" >&2
exit "$rc"
