"""Benchmarks of the Driftline monitoring core against baselines.

Usage (from the repository root)::

    python benchmarks/core/run.py            # full run
    python benchmarks/core/run.py --quick    # fewer repeats, skips the slowest baselines
    python benchmarks/core/run.py --only mmd # cases whose name contains "mmd"

Every (case, implementation) pair runs in its own fresh subprocess, so the
peak RSS column is that process's ``ru_maxrss`` (interpreter + imports + input
data + the work; not a delta). Times are the median of the repeats (min in
brackets) after one untimed fit/setup call; "first" is the first timed call
in that process, after imports (for ours: numba cache load, or compilation
if the cache is cold). The machine's load average is printed: other
processes on the same cores inflate every figure.
Third-party baselines that pin old numpy (alibi-detect, NannyML) run under
``$DRIFTLINE_BASELINE_PYTHON`` if set; otherwise they are reported as not
installed. Ratios are baseline time / our time. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "services"))

import core_bench_cases as cases_mod  # noqa: E402


def _load_all_cases():
    # optional case modules register themselves into CASES
    for mod in ("core_bench_more",):
        try:
            __import__(mod)
        except ImportError as exc:
            if exc.name != mod:
                raise
    return cases_mod.CASES


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _worker(case_idx: int, impl: str, quick: bool) -> None:
    import numpy as np
    case = _load_all_cases()[case_idx]
    fn = case.impls[impl]
    if not impl.startswith("ext:"):
        # import outside the timed calls; import time is reported in the first-call table
        try:
            import driftline_server.monitoring.core  # noqa: F401
        except ImportError:
            pass
    data = case.setup(quick)
    t0 = time.perf_counter()
    r = fn(data)
    first = time.perf_counter() - t0
    if isinstance(r, str) and r == "fit":  # untimed fit/setup step, then the first real call
        t0 = time.perf_counter()
        fn(data)
        first = time.perf_counter() - t0
    reps = case.slow_repeats.get(impl, case.repeats)
    if quick:
        reps = max(1, min(reps, 3))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        last = fn(data)
        times.append(time.perf_counter() - t0)
    out = {"median_ms": float(np.median(times)) * 1e3, "min_ms": min(times) * 1e3,
           "first_ms": first * 1e3, "rss_mb": _rss_mb(), "repeats": reps}
    check = getattr(case, "check", None)
    if check is not None:
        out["check"] = check(data, last)
    print("RESULT " + json.dumps(out), flush=True)


def _first_call_worker(which: str) -> None:
    """Import + first call of each public kernel family, in this fresh process."""
    t0 = time.perf_counter()
    import numpy as np

    import driftline_server.monitoring.core as core
    t_import = time.perf_counter() - t0
    rng = np.random.default_rng(0)
    res = {"import_ms": t_import * 1e3}
    prof = core.fit_reference(rng.normal(size=(500, 3)),
                              rng.choice(["a", "b"], size=(500, 2)).astype(object))
    t0 = time.perf_counter()
    core.compare_numeric(prof, rng.normal(size=(100, 3)), tests=core.NUMERIC_TESTS)
    res["compare_numeric_ms"] = (time.perf_counter() - t0) * 1e3
    t0 = time.perf_counter()
    core.compare_categorical(prof, core.encode_categorical(prof, rng.choice(["a", "c"], size=(50, 2)).astype(object)))
    res["compare_categorical_ms"] = (time.perf_counter() - t0) * 1e3
    extra = getattr(core, "_benchmark_first_calls", None)
    if extra is not None:
        res.update(extra())
    res["rss_mb"] = _rss_mb()
    print("RESULT " + json.dumps(res), flush=True)


def _spawn(args, python=None, env=None, timeout=1800):
    cmd = [python or sys.executable, str(HERE / "run.py")] + args
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join([str(ROOT / "services"), str(HERE), e.get("PYTHONPATH", "")])
    if env:
        e.update(env)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=e)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout}s"
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:]), ""
    tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
    return None, tail[:160]


def _fmt_ms(v):
    if v is None:
        return "-"
    return f"{v:.3f}" if v < 1 else (f"{v:.2f}" if v < 100 else f"{v:.0f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repeats; skip the slowest baselines")
    ap.add_argument("--only", default="", help="run only cases whose name contains this text")
    ap.add_argument("--worker", nargs=2, metavar=("CASE", "IMPL"), help=argparse.SUPPRESS)
    ap.add_argument("--first-call", choices=["warm", "cold"], help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        _worker(int(a.worker[0]), a.worker[1], a.quick)
        return 0
    if a.first_call:
        _first_call_worker(a.first_call)
        return 0

    import numba
    print(f"# Driftline monitoring core benchmarks ({'quick' if a.quick else 'full'}); "
          f"python {sys.version.split()[0]}, numba {numba.__version__}, "
          f"threads {numba.config.NUMBA_NUM_THREADS}, cpus {os.cpu_count()}")
    print("# peak RSS = ru_maxrss of each fresh worker subprocess (interpreter+imports+data+work)")
    print("# times: median of repeats [min]; ratio = baseline median / ours median [baseline min / ours min]; "
          f"load average at start {os.getloadavg()[0]:.2f} (other processes share these 2 cores)")
    ext_python = os.environ.get("DRIFTLINE_BASELINE_PYTHON")
    rows = []
    hdr = (f"{'benchmark':46s} {'ours ms':>9s} {'[min]':>9s} {'first ms':>9s} {'RSS MB':>7s} | "
           f"{'baseline':40s} {'base ms':>9s} {'[min]':>9s} {'ratio':>8s} {'[min]':>9s} {'base RSS':>8s} | target")
    print(hdr)
    print("-" * len(hdr))
    all_cases = _load_all_cases()
    for idx, case in enumerate(all_cases):
        if a.only and a.only.lower() not in case.name.lower():
            continue
        ours, err = _spawn(["--worker", str(idx), case.ours] + (["--quick"] if a.quick else []))
        if ours is None:
            print(f"{case.name:46s} FAILED: {err}", flush=True)
            continue
        base_names = [k for k in case.impls if k != case.ours]
        if not base_names:
            base_names = [None]
        for bname in base_names:
            res, note = None, ""
            if bname is not None:
                if a.quick and bname in case.full_only:
                    note = "skipped in --quick"
                elif bname.startswith("ext:") and not ext_python:
                    note = "not installed here (set DRIFTLINE_BASELINE_PYTHON)"
                else:
                    py = ext_python if bname.startswith("ext:") else None
                    res, note = _spawn(["--worker", str(idx), bname] + (["--quick"] if a.quick else []), python=py)
                    if res is None:
                        note = "unavailable: " + note
            b_ms = res["median_ms"] if res else None
            ratio = f"{b_ms / ours['median_ms']:.1f}x" if res else "-"
            ratio_min = f"{res['min_ms'] / ours['min_ms']:.1f}x" if res else "-"
            line = (f"{case.name:46s} {_fmt_ms(ours['median_ms']):>9s} [{_fmt_ms(ours['min_ms']):>7s}] "
                    f"{_fmt_ms(ours['first_ms']):>9s} "
                    f"{ours['rss_mb']:7.0f} | {(bname or '(no baseline)').removeprefix('ext:'):40s} "
                    f"{_fmt_ms(b_ms):>9s} [{(_fmt_ms(res['min_ms']) if res else '-'):>7s}] {ratio:>8s} [{ratio_min:>7s}] "
                    f"{(format(res['rss_mb'], '.0f') if res else '-'):>8s} | "
                    f"{case.target}{('  [' + note + ']') if note else ''}")
            print(line, flush=True)
            rows.append(line)
            if ours.get("check") or (res or {}).get("check"):
                print(f"{'':46s}   check ours: {ours.get('check')} | baseline: {(res or {}).get('check')}", flush=True)
    print(f"# load average at end {os.getloadavg()[0]:.2f}")
    if not a.only or "first" in a.only:
        print()
        print("# first call in a fresh process (import, then first call of each kernel family)")
        warm, err = _spawn(["--first-call", "warm"])
        with tempfile.TemporaryDirectory() as tmp:
            cold, err2 = _spawn(["--first-call", "cold"], env={"NUMBA_CACHE_DIR": tmp})
        keys = list((warm or cold or {}).keys())
        print(f"{'measure':32s} {'cache on disk ms':>17s} {'cold cache ms':>14s}")
        for k in keys:
            w = warm.get(k) if warm else None
            c = cold.get(k) if cold else None
            unit_rss = k == "rss_mb"
            print(f"{k:32s} {('-' if w is None else (f'{w:.0f} MB' if unit_rss else _fmt_ms(w))):>17s} "
                  f"{('-' if c is None else (f'{c:.0f} MB' if unit_rss else _fmt_ms(c))):>14s}")
        if warm is None or cold is None:
            print(f"# first-call worker failed: {err or err2}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
