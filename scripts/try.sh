#!/usr/bin/env bash
# Quick start: install Bastion into .venv and run `bastion check` on the example project.
# The example is full of planted security issues, so `bastion check` exits 1 there; this script
# shows the report and then exits 0, unless something else went wrong (exit 2 and up).
#
# usage: scripts/try.sh [extra bastion check options, e.g. --format sarif]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo/scripts/setup.sh" --python

cd "$repo"
echo "\$ bastion check $* examples/vulnerable-app"
rc=0
"${BASTION_VENV:-$repo/.venv}/bin/bastion" check "$@" examples/vulnerable-app || rc=$?
echo
case "$rc" in
  0) echo "bastion check exited 0: no findings (unexpected for this example)." ;;
  1) echo "bastion check exited 1 because it found issues, as expected: the example is vulnerable" \
          "on purpose. Next: '.venv/bin/bastion explain B602' for a lesson, or connect your editor" \
          "(README.md, 'Connecting editors')." ;;
  *) echo "bastion check failed with exit status $rc (usage or configuration error)." >&2
     exit "$rc" ;;
esac
exit 0
