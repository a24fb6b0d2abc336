"""Driftline monitoring core: numba-accelerated drift statistics on NumPy arrays.

Pure functions and small frozen result types; no gRPC, no database.

Performance notes: every kernel is compiled with ``cache=True`` (the cache
lives in ``__pycache__`` next to these sources), so a fresh process only loads
machine code; ``benchmarks/core/run.py`` reports that first-call cost. Parallel
kernels use numba's threading layer (OpenMP by default, thread-safe). MMD,
the classifier test and the weighting estimators lean on BLAS and run it with
one thread when threadpoolctl is installed: on small shared machines
multi-threaded BLAS mostly waits on descheduled threads (see _blas.py).

Modules:
    profiles      fit_reference, ReferenceProfile (versioned, serialisable), encode_categorical
    univariate    compare_numeric, compare_categorical (KS, CvM, AD, W1, PSI, JS, ...)
    correction    adjust_p_values, decide_drift
    multivariate  mmd_test, mmd2, median_heuristic, classifier_test, PCAReconstruction
    batch_tests   the tests detection decides by (KS and z, chi-square) and their per-target
                  min-p calibration by splitting the reference (calibrate_target)
    sequential    PageHinkley, Cusum, Ewma, Adwin, Kswin, calibrate, detector_from_dict
    weighting     estimate_weights (logistic, ulsif, rulsif, kliep, kmm), weight_diagnostics,
                  postprocess_weights, weighted_retest, resample
"""

from ._errors import CoreInputError, ProfileFormatError
from .correction import CORRECTION_METHODS, DriftDecision, adjust_p_values, decide_drift
from .multivariate import (ClassifierTestResult, MMDResult, PCAReconstruction, ReconstructionResult,
                           classifier_test, median_heuristic, mmd2, mmd_test)
from .profiles import (FORMAT_VERSION, CategoricalColumnProfile, NumericColumnProfile,
                       ReferenceProfile, encode_categorical, fit_reference)
from .sequential import (DRIFT, STABLE, WARNING, Adwin, CalibrationResult, Cusum, DetectorOutput, Ewma,
                         Kswin, PageHinkley, calibrate, detector_from_dict)
from .weighting import (DENSRATIO_GRID, ImportanceWeights, RetestResult, WeightDiagnostics, estimate_weights,
                        kliep_weights, kmm_weights, logistic_weights, pareto_khat, postprocess_weights,
                        resample, rulsif_weights, ulsif_weights, weight_diagnostics, weighted_retest)
from .univariate import (CATEGORICAL_TESTS, DEFAULT_NUMERIC_TESTS, NUMERIC_TESTS, ColumnCounts,
                         TestResult, UnivariateReport, compare_categorical, compare_numeric)

__all__ = [
    "CoreInputError", "ProfileFormatError",
    "FORMAT_VERSION", "ReferenceProfile", "NumericColumnProfile", "CategoricalColumnProfile",
    "fit_reference", "encode_categorical",
    "NUMERIC_TESTS", "DEFAULT_NUMERIC_TESTS", "CATEGORICAL_TESTS", "TestResult", "ColumnCounts",
    "UnivariateReport", "compare_numeric", "compare_categorical",
    "CORRECTION_METHODS", "adjust_p_values", "DriftDecision", "decide_drift",
    "STABLE", "WARNING", "DRIFT", "DetectorOutput", "PageHinkley", "Cusum", "Ewma", "Adwin", "Kswin",
    "calibrate", "CalibrationResult", "detector_from_dict",
    "MMDResult", "mmd_test", "mmd2", "median_heuristic", "ClassifierTestResult", "classifier_test",
    "PCAReconstruction", "ReconstructionResult",
    "ImportanceWeights", "WeightDiagnostics", "RetestResult", "estimate_weights", "logistic_weights",
    "ulsif_weights", "rulsif_weights", "kliep_weights", "kmm_weights", "weight_diagnostics", "pareto_khat",
    "postprocess_weights", "weighted_retest", "resample", "DENSRATIO_GRID",
]


def _benchmark_first_calls():
    """First call of each remaining kernel family in this process (used by benchmarks/core/run.py)."""
    import time

    import numpy as np

    rng = np.random.default_rng(0)
    out = {}
    x, y = rng.normal(size=(200, 4)), rng.normal(size=(150, 4))
    for name, fn in (
        ("mmd_test_ms", lambda: mmd_test(x, y, n_permutations=10)),
        ("mmd2_matrix_free_ms", lambda: mmd2(x, y)),
        ("page_hinkley_ms", lambda: PageHinkley().update(rng.normal(size=100))),
        ("kswin_ms", lambda: Kswin().update(rng.normal(size=200))),
        ("adwin_ms", lambda: Adwin().update(rng.normal(size=100))),
        ("ulsif_ms", lambda: ulsif_weights(x, y, sigmas=[1.0], lambdas=[0.1])),
        ("weighted_retest_ms", lambda: weighted_retest(x, y, np.ones(200))),
    ):
        t0 = time.perf_counter()
        fn()
        out[name] = (time.perf_counter() - t0) * 1e3
    return out
