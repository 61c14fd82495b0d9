#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need on a Debian 12 machine, then
# runs ruff, the import contract, pytest (real Kivy windows under Xvfb, real X key events, the
# headless demo, systemd-analyze) and prints the benchmarks. Fails on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash provisioning/setup-dev.sh --test
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff"
ruff check .
echo "== import contract"
lint-imports
echo "== pytest"
status=0
python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
echo "== benchmarks (figures, not assertions)"
python tests/benchmarks/startup.py --runs 5
python tests/benchmarks/session_memory.py
python tests/benchmarks/outbox_roundtrip.py
python tests/benchmarks/print_confirm.py --prints 20
