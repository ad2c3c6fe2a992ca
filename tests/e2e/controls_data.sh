#!/usr/bin/env bash
# The control-list data: the builder's unit tests pass, and re-running the builder on the
# texts in data/controls/src reproduces the committed data/controls files byte for byte.
# Run by ctest as: bash controls_data.sh CORDON_BINARY REPO_DIR
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
repo="${2:?usage: controls_data.sh CORDON_BINARY REPO_DIR}"
cd "$repo"
command -v python3 >/dev/null || { echo "controls_data: python3 not found" >&2; exit 1; }
python3 -m unittest discover -s tools/controls -p 'test_*.py'
python3 tools/controls/build_controls.py --check
