#!/usr/bin/env bash
# Refresh the README screenshots in images/ from a real VS Code run (test/e2e/run.sh):
# the main scenario in the Dark Modern theme and the "Bastion missing" scenario.
# usage: scripts/update-screenshots.sh [--no-package]
set -euo pipefail
client="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$client"
# a failed check still leaves its screenshots; copy whatever was produced
bash test/e2e/run.sh "$@" --scenario main --theme dark || true
bash test/e2e/run.sh --no-package --scenario missing || true
r="test-results/e2e"
cp "$r/main-dark/problems.png"      images/problems.png
cp "$r/main-dark/hover.png"         images/hover.png
cp "$r/main-dark/quickfix.png"      images/quick-fix.png
cp "$r/main-dark/lesson-panel.png"  images/lesson-panel.png
cp "$r/main-dark/explain-rule.png"  images/explain-rule.png
cp "$r/main-dark/status-menu.png"   images/status-menu.png
cp "$r/missing/notification.png"    images/missing-bastion.png
ls -la images/*.png
