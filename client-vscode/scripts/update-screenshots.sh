#!/usr/bin/env bash
# Refresh the README screenshots in images/ from a real VS Code run (test/e2e/run.sh):
# the main scenario in the Dark Modern theme and the "Bastion missing" scenario.
# usage: scripts/update-screenshots.sh [--no-package]
set -euo pipefail
client="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$client"
# Only a passing run refreshes them: a failed check leaves screenshots of what went wrong (a
# clipped hover, a panel without the user's code), which must not become the README's pictures.
if ! bash test/e2e/run.sh "$@" --scenario main --theme dark ||
   ! bash test/e2e/run.sh --no-package --scenario missing; then
  echo "update-screenshots: the e2e run failed, images/ left as it was" >&2
  exit 1
fi
r="test-results/e2e"
cp "$r/main-dark/problems.png"      images/problems.png
cp "$r/main-dark/hover.png"         images/hover.png
cp "$r/main-dark/quickfix.png"      images/quick-fix.png
cp "$r/main-dark/lesson-panel.png"  images/lesson-panel.png
cp "$r/main-dark/explain-rule.png"  images/explain-rule.png
cp "$r/main-dark/status-menu.png"   images/status-menu.png
cp "$r/missing/notification.png"    images/missing-bastion.png
ls -la images/*.png
