#!/usr/bin/env bash
# Create the benchmark-only venv for the Evidently / NannyML baselines from requirements.txt.
#
# Idempotent: a stamp inside the venv holds the sha256 of requirements.txt plus the Python
# version; when it matches, nothing is done. Quiet on success; on failure prints the tail of
# pip's log and exits non-zero.
#
# Environment:
#   BENCH_BASELINES_VENV  venv path (default: <repo>/.bench-baselines-venv)
#   BENCH_PYTHON          interpreter to build it with (default: python3; 3.11 expected)
#   BENCH_REQUIREMENTS    pinned requirements to install (default: requirements.txt here)
#   BENCH_IMPORTS         modules the finished venv must import (default: the two libraries')
# setup_alibi.sh sets the last three for alibi-detect's own venv.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
requirements="${BENCH_REQUIREMENTS:-$here/requirements.txt}"
imports="${BENCH_IMPORTS:-evidently, nannyml, pandas, pyarrow, numpy}"
venv="${BENCH_BASELINES_VENV:-$repo_root/.bench-baselines-venv}"
python="${BENCH_PYTHON:-python3}"
stamp="$venv/.requirements.sha256"

fail() {
    echo "bench-baselines setup: $*" >&2
    exit 1
}

command -v "$python" >/dev/null 2>&1 || fail "interpreter '$python' not found (set BENCH_PYTHON)"
[ -f "$requirements" ] || fail "missing $requirements"
py_version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$py_version" != "3.11" ]; then
    # The pins were resolved on 3.11; other versions may lack wheels, so say so up front.
    echo "bench-baselines setup: warning: $python is $py_version, requirements pinned for 3.11" >&2
fi
wanted="$( { sha256sum "$requirements" | cut -d' ' -f1; echo "python $py_version"; } \
    | sha256sum | cut -d' ' -f1)"

up_to_date() {
    [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]
}

up_to_date && exit 0

# Two benchmark processes may call this at once; serialise them so the second just waits
# for the first and then finds the stamp.
lock="${TMPDIR:-/tmp}/bench-baselines-$(printf '%s' "$venv" | sha256sum | cut -c1-16).lock"
exec 9>"$lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
    up_to_date && exit 0
fi

if [ -e "$venv" ]; then
    # Only ever delete something that is recognisably a venv.
    [ -f "$venv/pyvenv.cfg" ] || fail "$venv exists and is not a venv; refusing to replace it"
    rm -rf "$venv"
fi

log="$(mktemp "${TMPDIR:-/tmp}/bench-baselines-setup.XXXXXX.log")"
started=$SECONDS
echo "bench-baselines setup: building $venv (takes a few minutes; log: $log)" >&2

run_logged() {
    if ! "$@" >>"$log" 2>&1; then
        echo "bench-baselines setup: command failed: $*" >&2
        echo "---- last lines of $log ----" >&2
        grep -v "is ignored: it is neither a file nor a directory" "$log" | tail -n 30 >&2
        fail "installation failed; fix the cause above and rerun $0"
    fi
}

run_logged "$python" -m venv "$venv"
# The venv lives at the repo root; keep it out of git without touching the repo's .gitignore.
printf '*\n' >"$venv/.gitignore"
run_logged "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --only-binary=:all: -r "$requirements"
run_logged "$venv/bin/python" -m pip check
run_logged env DO_NOT_TRACK=1 NML_DISABLE_USAGE_LOGGING=1 MPLBACKEND=Agg \
    "$venv/bin/python" -c "import $imports"

echo "$wanted" >"$stamp"
rm -f "$log"
echo "bench-baselines setup: ready in $((SECONDS - started)) s" >&2
