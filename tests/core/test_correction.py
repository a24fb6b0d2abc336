"""Multiple-testing correction against SciPy and hand-computed values."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from driftline_server.monitoring.core import CoreInputError, adjust_p_values, decide_drift

_p = st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(_p)
def test_bh_by_match_scipy(ps):
    p = np.array(ps)
    np.testing.assert_allclose(adjust_p_values(p, "bh"), stats.false_discovery_control(p, method="bh"),
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(adjust_p_values(p, "by"), stats.false_discovery_control(p, method="by"),
                               rtol=1e-12, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(_p)
def test_holm_bonferroni_reference(ps):
    p = np.array(ps)
    m = p.size
    np.testing.assert_allclose(adjust_p_values(p, "bonferroni"), np.minimum(p * m, 1))
    # Holm by definition: adj_(i) = max_{j<=i} min(1, (m-j+1) p_(j))
    order = np.argsort(p, kind="stable")
    expect = np.empty(m)
    run = 0.0
    for rank, idx in enumerate(order):
        run = max(run, min(1.0, (m - rank) * p[idx]))
        expect[idx] = run
    np.testing.assert_allclose(adjust_p_values(p, "holm"), expect, rtol=1e-12)
    holm = adjust_p_values(p, "holm")
    assert np.all(holm <= adjust_p_values(p, "bonferroni") + 1e-15)
    assert np.all(holm >= p - 1e-15)


def test_nan_pvalues_are_not_counted():
    adj = adjust_p_values([0.01, np.nan, 0.02], "bonferroni")
    assert np.isnan(adj[1]) and adj[0] == pytest.approx(0.02)


def test_share_rule():
    p = np.array([1e-6, 1e-5, 0.5, 0.9])
    dec = decide_drift(p, ["a", "b", "c", "d"], alpha=0.05, method="holm", drift_share=0.5)
    assert dec.drifted.tolist() == [True, True, False, False]
    assert dec.share_drifted == 0.5 and dec.dataset_drift
    assert not decide_drift(p, drift_share=0.75).dataset_drift


def test_errors():
    with pytest.raises(CoreInputError):
        adjust_p_values([0.1], "nope")
    with pytest.raises(CoreInputError):
        adjust_p_values([1.5], "bh")
