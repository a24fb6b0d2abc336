"""The calibrated batch tests of detection (monitoring.core.batch_tests) and the status rules
built on them (detection.next_status, change_start): p-values that agree with SciPy, a
calibration that accounts for the columns' dependence, and, on stationary streams drawn from
the population (not from the reference), false drift alarms at the rate the setting promises.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from driftline_server.monitoring.core.batch_tests import (
    CATEGORICAL,
    NUMERIC,
    QuantitySample,
    TargetCalibration,
    alarm_probability,
    calibrate_target,
    categorical_batch_test,
    categorical_summary,
    chi2_p_value,
    ks_p_value,
    numeric_batch_test,
    numeric_summary,
    pooled_p_value,
    z_p_value,
)
from driftline_server.monitoring.detection import Thresholds, change_start, next_status
from driftline_server.monitoring.references import (
    CALM_PROBABILITY,
    RELEASE_BATCHES,
    RELEASE_P,
    alarm_levels,
)


# -- p-values ------------------------------------------------------------------------------------

@pytest.mark.parametrize("statistic,df", [(0.5, 1), (3.0, 2), (30.0, 10), (150.0, 80), (1e-3, 3)])
def test_chi_square_tail_agrees_with_scipy(statistic, df):
    assert chi2_p_value(statistic, df) == pytest.approx(stats.chi2.sf(statistic, df), rel=1e-9,
                                                        abs=1e-300)


@pytest.mark.parametrize("z", [0.0, 1.0, 1.96, 4.0, -6.5])
def test_normal_tail_agrees_with_scipy(z):
    assert z_p_value(z) == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)


@pytest.mark.parametrize("d,n,m", [(0.05, 3000, 500), (0.1, 300, 300), (0.02, 20000, 1000)])
def test_ks_tail_is_the_kolmogorov_law_with_stephens_correction(d, n, m):
    en = np.sqrt(n * m / (n + m))
    expected = stats.kstwobign.sf((en + 0.12 + 0.11 / en) * d)
    assert ks_p_value(d, n, m) == pytest.approx(expected, rel=1e-9)
    # ... which is close to SciPy's asymptotic two-sample p-value.
    assert ks_p_value(d, n, m) == pytest.approx(stats.kstwo.sf(d, round(en ** 2)), abs=0.01)


def test_a_batch_test_is_scipys_mann_whitney_for_a_shift_and_its_ks_for_a_spread():
    rng = np.random.default_rng(3)
    reference = np.sort(rng.normal(size=3000))
    batch = rng.normal(0.3, 1.0, 500)
    test = numeric_batch_test(reference, reference.size, batch)
    expected = stats.mannwhitneyu(batch, reference, method="asymptotic", use_continuity=False)
    assert test.test == "mann_whitney" and test.p_value == pytest.approx(expected.pvalue,
                                                                         rel=1e-6)
    # Ties (a discrete column) are counted as SciPy counts them.
    coarse = np.sort(np.round(reference))
    rounded = np.round(batch)
    test = numeric_batch_test(coarse, coarse.size, rounded)
    expected = stats.mannwhitneyu(rounded, coarse, method="asymptotic", use_continuity=False)
    assert test.p_value == pytest.approx(expected.pvalue, rel=1e-3)
    # A change of spread, not of location: KS decides, with SciPy's statistic.
    wide = rng.normal(0.0, 2.0, 500)
    test = numeric_batch_test(reference, reference.size, wide)
    assert test.test == "ks"
    assert test.statistic == pytest.approx(stats.ks_2samp(reference, wide).statistic)


def test_heavy_tails_do_not_make_the_shift_test_alarm():
    """Squared Student-t values (a reconstruction error's tail): the mean's z-test would go
    under 1% far more often than 1% of stationary batches; the rank test does not."""
    rng = np.random.default_rng(11)
    reference = np.sort(rng.standard_t(3, 3000) ** 2)
    p_values = np.array([numeric_batch_test(reference, reference.size,
                                            rng.standard_t(3, 500) ** 2).p_value
                         for _ in range(2000)])
    assert (p_values < 0.01).mean() <= 0.02


def test_a_categorical_batch_test_is_the_two_sample_chi_square_with_unseen_categories():
    reference_counts = np.array([300.0, 900.0, 1800.0, 0.0])  # the last: the unseen bucket
    codes = np.array([0] * 5 + [1] * 150 + [2] * 330 + [3] * 15)  # 15 values never seen
    test = categorical_batch_test(reference_counts, codes)
    table = np.array([[5, 150, 330, 15], [300, 900, 1800, 0]])
    expected = stats.chi2_contingency(table, correction=False)
    assert test.statistic == pytest.approx(expected.statistic)
    assert test.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert int(test.where) == 0 and test.direction == -1  # the share that moved most: fell


# -- calibration ---------------------------------------------------------------------------------

def _independent(rng, count: int, rows: int = 3000) -> list[QuantitySample]:
    return [QuantitySample(NUMERIC, rng.normal(size=rows)) for _ in range(count)]


def test_the_calibration_is_reproducible_and_tabulates_a_monotone_threshold():
    samples = _independent(np.random.default_rng(0), 3)
    first = calibrate_target(samples, permutations=4000, seed=7)
    again = calibrate_target(samples, permutations=4000, seed=7)
    assert np.array_equal(first.thresholds, again.thresholds)
    assert np.all(np.diff(first.thresholds) >= 0)
    restored = TargetCalibration.from_dict(first.to_dict())
    assert restored.threshold(0.01) == first.threshold(0.01)
    # The adjusted p-value inverts the threshold.
    assert restored.adjusted(restored.threshold(0.05)) == pytest.approx(0.05, rel=0.02)


def test_correlated_columns_count_as_fewer_tests_than_bonferroni_assumes():
    rng = np.random.default_rng(1)
    independent = calibrate_target(_independent(rng, 6), permutations=10_000, seed=1)
    base = rng.normal(size=3000)
    copies = calibrate_target([QuantitySample(NUMERIC, base + 0.05 * rng.normal(size=3000))
                               for _ in range(6)], permutations=10_000, seed=1)
    bonferroni = 0.01 / 12  # six columns, two tests each
    # Nearly the same column six times is nearly one column: a far looser threshold.
    assert copies.threshold(0.01) > 3 * independent.threshold(0.01)
    # Independent columns: KS and z of one column agree often, so a little looser than
    # Bonferroni, never tighter.
    assert bonferroni <= independent.threshold(0.01) <= 2.5 * bonferroni


def test_a_single_categorical_column_keeps_its_own_level():
    codes = np.random.default_rng(2).integers(0, 4, size=3000)
    calibration = calibrate_target([QuantitySample(CATEGORICAL, codes)], permutations=10_000)
    assert calibration.threshold(0.05) == pytest.approx(0.05, rel=0.2)


def test_bad_calibration_inputs_say_what_is_wrong():
    from driftline_server.monitoring.core import CoreInputError

    with pytest.raises(CoreInputError, match="row-aligned"):
        calibrate_target([QuantitySample(NUMERIC, np.zeros(100)),
                          QuantitySample(NUMERIC, np.zeros(90))])
    with pytest.raises(CoreInputError, match="too few"):
        alarm_probability(2, 2)


# -- statuses ------------------------------------------------------------------------------------

def test_a_drift_ends_only_after_two_calm_batches_in_a_row():
    limits = Thresholds(drift=0.001, warning=0.01)
    status, calm = next_status("OK", 0, 1e-5, limits)
    assert status == "DRIFT"
    for p, expected in ((0.2, ("DRIFT", 1)), (0.03, ("DRIFT", 0)), (0.2, ("DRIFT", 1)),
                        (0.5, ("OK", 0))):
        status, calm = next_status(status, calm, p, limits)
        assert (status, calm) == expected
    # A warning level p-value while drifting keeps the drift; a new alarm restarts the count.
    assert next_status("DRIFT", 1, 0.005, limits) == ("DRIFT", 0)
    assert next_status("WARNING", 1, 0.0005, limits) == ("DRIFT", 0)
    assert next_status("OK", 0, 0.005, limits) == ("WARNING", 0)


def test_a_batch_pooled_with_the_previous_one_is_tested_as_one_batch():
    rng = np.random.default_rng(6)
    reference = np.sort(rng.normal(size=3000))
    first, second = rng.normal(0.1, 1.0, 500), rng.normal(0.1, 1.0, 500)
    summaries = [numeric_summary(reference, reference.size, batch) for batch in (first, second)]
    both = numeric_batch_test(reference, reference.size, np.concatenate([first, second]))
    expected = stats.mannwhitneyu(np.concatenate([first, second]), reference,
                                  method="asymptotic", use_continuity=False).pvalue
    assert pooled_p_value(summaries) == pytest.approx(expected, rel=1e-6)
    assert both.test == "mann_whitney" and both.p_value == pytest.approx(expected, rel=1e-6)
    # Counts pool too: two batches of a category at 12% instead of 10%.
    reference_counts = np.array([300.0, 2700.0, 0.0])
    batches = [np.array([0] * 60 + [1] * 440), np.array([0] * 60 + [1] * 440)]
    pooled = pooled_p_value([categorical_summary(b, reference_counts) for b in batches])
    expected = stats.chi2_contingency(np.array([[120, 880], [300, 2700]]),
                                      correction=False).pvalue
    assert pooled == pytest.approx(expected, rel=1e-9)
    # Mismatched summaries (a reference changed in between) are not pooled.
    assert pooled_p_value([summaries[0], categorical_summary(batches[0], reference_counts)]) == 1


def test_a_small_shift_that_persists_keeps_its_drift():
    """A 0.15 sd shift of one column over 30 batches: each batch shows it weakly (p about
    0.01-0.1), two batches together clearly; once on, its drift never ends while it lasts."""
    rng = np.random.default_rng(8)
    reference = np.sort(rng.normal(size=3000))
    limits = Thresholds(drift=0.002, warning=0.01)
    status, calm, previous, ended = "DRIFT", 0, None, 0
    for _ in range(30):
        batch = rng.normal(0.15, 1.0, 500)
        test = numeric_batch_test(reference, 3000, batch)
        summary = numeric_summary(reference, 3000, batch)
        pooled = pooled_p_value([previous, summary]) if previous else 1.0
        new, calm = next_status(status, calm, test.p_value, limits, pooled)
        ended += status == "DRIFT" and new != "DRIFT"
        status, previous = new, summary
    assert ended == 0


def test_the_change_starts_where_a_two_valued_column_moved():
    """A binary column whose share of ones goes from 20% to 50% at sample 300 of 500: the
    scores (ones minus the reference share) place the change within a few dozen samples."""
    rng = np.random.default_rng(4)
    values = np.concatenate([rng.random(300) < 0.2, rng.random(200) < 0.5]).astype(float)
    assert abs(change_start(values - 0.2) - 300) <= 30
    # No change in the batch: the start is the batch's first sample or near its end, never a
    # sample in the middle that nothing marks.
    assert change_start(np.full(500, 0.3)) == 0


# -- the promise ---------------------------------------------------------------------------------

def _population(rng, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Correlated Gaussian columns, a heavy-tailed one, and a categorical one."""
    x0 = rng.normal(size=rows)
    numeric = np.column_stack([x0, 0.9 * x0 + 0.44 * rng.normal(size=rows),
                               rng.standard_t(3, size=rows), rng.normal(size=rows)])
    codes = rng.choice(4, size=rows, p=[0.1, 0.2, 0.3, 0.4])
    return numeric, codes


def _false_drifts(batches_between_false_alarms: float, references: int, batches: int) -> float:
    """Target-level DRIFT_ON events per stationary batch, over fresh references each with its
    own calibration, every batch drawn from the population."""
    rng = np.random.default_rng(int(batches_between_false_alarms))
    events = 0
    for _ in range(references):
        numeric, codes = _population(rng, 3000)
        samples = [QuantitySample(NUMERIC, column) for column in numeric.T]
        samples.append(QuantitySample(CATEGORICAL, codes))
        calibration = calibrate_target(samples, permutations=10_000,
                                       seed=int(rng.integers(1 << 30)))
        levels = alarm_levels(batches_between_false_alarms)
        limits = Thresholds(calibration.threshold(levels.drift),
                            calibration.threshold(levels.warning))
        sorted_columns = [np.sort(column) for column in numeric.T]
        counts = np.bincount(codes, minlength=5).astype(float)
        states = [("OK", 0)] * 5
        for _ in range(batches):
            batch, batch_codes = _population(rng, 500)
            p_values = [numeric_batch_test(ref, ref.size, values).p_value
                        for ref, values in zip(sorted_columns, batch.T)]
            p_values.append(categorical_batch_test(counts, batch_codes).p_value)
            before = any(status == "DRIFT" for status, _ in states)
            states = [next_status(status, calm, p, limits)
                      for (status, calm), p in zip(states, p_values)]
            events += (not before) and any(status == "DRIFT" for status, _ in states)
    return events / (references * batches)


@pytest.mark.parametrize("batches_between", [10, 100])
def test_stationary_streams_raise_false_drifts_at_the_promised_rate(batches_between):
    """The setting is the number of stationary batches per target between two false DRIFT_ON
    events. Measured on 12 references of a population with correlated, heavy-tailed and
    categorical columns, 12,000 stationary batches (about 1,200 and 120 expected events, so
    the counting noise is about 3% and 9%): within 30% of the promise (the benchmark measures
    it more tightly, over many more batches)."""
    rate = _false_drifts(batches_between, references=12, batches=1000)
    assert rate * batches_between == pytest.approx(1.0, rel=0.3)


def test_the_alarm_level_accounts_for_the_batches_a_drift_blocks():
    """Simulated: a batch alarms with probability a, is calm with CALM_PROBABILITY (else it
    holds a drift without alarming), a drift ends after RELEASE_BATCHES calm batches in a row;
    DRIFT_ON events then come at the promised rate."""
    rng = np.random.default_rng(5)
    limits = Thresholds(drift=1e-6, warning=1e-6, release=RELEASE_P)
    for batches_between in (20, 50):
        a = alarm_probability(batches_between, RELEASE_BATCHES, CALM_PROBABILITY)
        draws = rng.random(400_000)
        p_values = np.where(draws < a, 1e-7, np.where(draws < 1 - CALM_PROBABILITY, 0.01, 0.5))
        status, calm, events = "OK", 0, 0
        for p in p_values:
            new, calm = next_status(status, calm, p, limits)
            events += status != "DRIFT" and new == "DRIFT"
            status = new
        assert events / p_values.size * batches_between == pytest.approx(1.0, rel=0.05)
