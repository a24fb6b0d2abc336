"""Private helper: run BLAS-heavy estimators with a single BLAS thread."""

from __future__ import annotations

import contextlib
import functools


def one_blas_thread(fn):
    """Run ``fn`` with BLAS limited to one thread (if threadpoolctl is installed).

    The products in these estimators are medium-sized. On 2 shared cores one
    BLAS thread was as fast or nearly as fast as two on an idle machine, and
    2-4x faster (median) when another process held a core, because
    multi-threaded BLAS then waits on descheduled threads.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            from threadpoolctl import threadpool_limits
            ctx = threadpool_limits(limits=1, user_api="blas")
        except ImportError:  # optional dependency
            ctx = contextlib.nullcontext()
        with ctx:
            return fn(*args, **kwargs)

    return wrapper
