#!/usr/bin/env bash
# Create the benchmark-only venv for the alibi-detect baseline from requirements-alibi.txt.
#
# alibi-detect gets a venv of its own: every release up to 0.13.0 caps numpy below 2 (and
# pandas below 3, Pillow below 11, numba below 0.60), while the Evidently / NannyML pins hold
# numpy 2.4. The building itself is setup.sh's (idempotent, stamped, locked), pointed here.
#
# Environment:
#   BENCH_ALIBI_VENV  venv path (default: <repo>/.bench-alibi-venv)
#   BENCH_PYTHON      interpreter to build it with (default: python3; 3.11 expected)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
BENCH_BASELINES_VENV="${BENCH_ALIBI_VENV:-$repo_root/.bench-alibi-venv}" \
BENCH_REQUIREMENTS="$here/requirements-alibi.txt" \
BENCH_IMPORTS="alibi_detect, pandas, pyarrow, numpy" \
    exec bash "$here/setup.sh"
