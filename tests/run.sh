#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need on a Debian 12 machine, then
# runs ruff, the import contract, pytest (real Kivy windows under Xvfb, real X key events, the
# headless demo on the standing totem and the seated assisted desk, systemd-analyze),
# `kiosk audit --quick` (the demo's walk-through in every profile and posture, each screen
# checked; its report in audit-out/, docs/accessibility.md "The audit") and prints the
# benchmarks, which also write their figures under bench-out/ (docs/performance.md). Fails on
# any failure.
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
# Run pytest on some test folders. With no arguments of the caller's, "no tests collected" is
# a failure too; with a selection (`-k printing`) one of the two runs may rightly find none.
selection=$#
run_pytest() {
  local status=0
  python -m pytest "$@" || status=$?
  if [ "$status" -eq 5 ]; then
    [ "$selection" -gt 0 ] && return 0
    echo "pytest collected no tests: that is a failure" >&2
    return 1
  fi
  return "$status"
}
# The unit and integration tests spend most of their time waiting on sockets, daemons and
# sleeps: four workers (pytest-xdist, one file per worker at a time, so that a file's daemons
# stay in one process) take a third of the time on two cores. The real-window tests run one
# at a time: each forks a Kivy app that draws with the CPU.
echo "== pytest: unit and integration"
run_pytest tests/unit tests/integration -n 4 --dist loadfile "$@"
[ "$fast" = 1 ] && exit 0
echo "== pytest: real windows"
run_pytest tests/ui "$@"
# The audit's quick subset: every profile and posture, each screen of every flow (its report
# stays in audit-out/ to be looked at). Not with a selection of tests: it is not a test file.
if [ "$selection" -eq 0 ]; then
  echo "== kiosk audit --quick (every profile and posture; the full matrix: kiosk audit)"
  kiosk audit --quick --out audit-out
fi
echo "== benchmarks (figures, not assertions)"
python tests/benchmarks/startup.py --runs 5
python tests/benchmarks/session_memory.py
python tests/benchmarks/outbox_roundtrip.py
python tests/benchmarks/print_confirm.py --prints 20
python tests/benchmarks/config_reload.py
python tests/benchmarks/assist_latency.py --clicks 30
