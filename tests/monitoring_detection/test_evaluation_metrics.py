"""The evaluation metrics detection compares with thresholds, against scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics

from driftline_server.monitoring.detection import evaluation_metric

RNG = np.random.default_rng(5)
ACTUAL = RNG.choice(["no", "yes"], 400, p=[0.6, 0.4])
PROBABILITY = np.clip(np.where(ACTUAL == "yes", 0.65, 0.35) + RNG.normal(0, 0.2, 400), 0.01,
                      0.99)
PREDICTED = np.where(PROBABILITY >= 0.5, "yes", "no")
MULTI_ACTUAL = RNG.choice(["a", "b", "c"], 300)
MULTI_PREDICTED = np.where(RNG.random(300) < 0.7, MULTI_ACTUAL, RNG.choice(["a", "b", "c"], 300))
Y = RNG.normal(10, 3, 200)
Y_HAT = Y + RNG.normal(0, 1, 200)


@pytest.mark.parametrize("name, ours, theirs", [
    ("ACCURACY", lambda: evaluation_metric("ACCURACY", MULTI_ACTUAL, MULTI_PREDICTED),
     lambda: metrics.accuracy_score(MULTI_ACTUAL, MULTI_PREDICTED)),
    ("BALANCED_ACCURACY",
     lambda: evaluation_metric("BALANCED_ACCURACY", MULTI_ACTUAL, MULTI_PREDICTED),
     lambda: metrics.balanced_accuracy_score(MULTI_ACTUAL, MULTI_PREDICTED)),
    ("PRECISION", lambda: evaluation_metric("PRECISION", MULTI_ACTUAL, MULTI_PREDICTED),
     lambda: metrics.precision_score(MULTI_ACTUAL, MULTI_PREDICTED, average="macro")),
    ("RECALL", lambda: evaluation_metric("RECALL", MULTI_ACTUAL, MULTI_PREDICTED),
     lambda: metrics.recall_score(MULTI_ACTUAL, MULTI_PREDICTED, average="macro")),
    ("F1", lambda: evaluation_metric("F1", MULTI_ACTUAL, MULTI_PREDICTED),
     lambda: metrics.f1_score(MULTI_ACTUAL, MULTI_PREDICTED, average="macro")),
    ("ROC_AUC", lambda: evaluation_metric("ROC_AUC", ACTUAL, PREDICTED, PROBABILITY, "yes"),
     lambda: metrics.roc_auc_score(ACTUAL == "yes", PROBABILITY)),
    ("PR_AUC", lambda: evaluation_metric("PR_AUC", ACTUAL, PREDICTED, PROBABILITY, "yes"),
     lambda: metrics.average_precision_score(ACTUAL == "yes", PROBABILITY)),
    ("LOG_LOSS", lambda: evaluation_metric("LOG_LOSS", ACTUAL, PREDICTED, PROBABILITY, "yes"),
     lambda: metrics.log_loss(ACTUAL == "yes", PROBABILITY)),
    ("MAE", lambda: evaluation_metric("MAE", Y, Y_HAT),
     lambda: metrics.mean_absolute_error(Y, Y_HAT)),
    ("RMSE", lambda: evaluation_metric("RMSE", Y, Y_HAT),
     lambda: np.sqrt(metrics.mean_squared_error(Y, Y_HAT))),
    ("MAPE", lambda: evaluation_metric("MAPE", Y, Y_HAT),
     lambda: metrics.mean_absolute_percentage_error(Y, Y_HAT)),
    ("R_SQUARED", lambda: evaluation_metric("R_SQUARED", Y, Y_HAT),
     lambda: metrics.r2_score(Y, Y_HAT)),
])
def test_the_metric_agrees_with_scikit_learn(name, ours, theirs):
    assert ours() == pytest.approx(theirs(), rel=1e-9, abs=1e-12), name


def test_what_cannot_be_computed_is_nan():
    assert np.isnan(evaluation_metric("ROC_AUC", ACTUAL, PREDICTED, None, "yes"))
    assert np.isnan(evaluation_metric("ROC_AUC", np.array(["yes"] * 5), PREDICTED[:5],
                                      PROBABILITY[:5], "yes"))
