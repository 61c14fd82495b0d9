#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need on a Debian 12 machine, then
# runs ruff, the import contract, pytest (real Kivy windows under Xvfb, real X key events, the
# headless demo, systemd-analyze) and prints the benchmarks, which also write their figures
# under bench-out/ (docs/performance.md). Fails on any failure.
#
#   bash tests/run.sh            everything (CI runs this)
#   bash tests/run.sh --fast     the fast loop: ruff, the import contract, tests/unit and
#                                tests/integration (real daemons and HTTP, no Kivy window)
set -euo pipefail
cd "$(dirname "$0")/.."

fast=0
if [ "${1:-}" = "--fast" ]; then
  fast=1
  shift
fi

bash provisioning/setup-dev.sh --test
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff"
ruff check .
echo "== import contract"
lint-imports
echo "== pytest"
status=0
if [ "$fast" = 1 ]; then
  python -m pytest tests/unit tests/integration "$@" || status=$?
else
  python -m pytest "$@" || status=$?
fi
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
[ "$fast" = 1 ] && exit 0
echo "== benchmarks (figures, not assertions)"
python tests/benchmarks/startup.py --runs 5
python tests/benchmarks/session_memory.py
python tests/benchmarks/outbox_roundtrip.py
python tests/benchmarks/print_confirm.py --prints 20
