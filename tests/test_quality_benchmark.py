"""benchmarks/quality.py keeps working: its Driftline replay runs on a tiny synthetic stream
and the table and JSON have their shape. No peers (they live in their own venvs), and no
detection-quality figure is asserted: the benchmark measures those, the test does not."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import quality  # noqa: E402 - after the path it needs


REPLAYED = ("stationary", "mean 1sd xall", "label prior", "concept")


def test_the_scenarios_cover_the_brief():
    dataset = quality.synthetic("gaussian", rows=5_000)
    names = [s.name for s in quality.scenarios(dataset, 3, 2, 2)]
    assert names[0] == "stationary"
    assert {"mean 0.2sd x1", "mean 1sd xall", "category share", "label prior", "concept",
            "selection"} <= set(names)


@pytest.fixture(scope="module")
def tiny_run():
    dataset = quality.synthetic("gaussian", rows=5_000)
    options = quality.parse_args(["--peers", "", "--reference-rows", "400", "--batch-rows",
                                  "100", "--stationary", "3", "--before", "2", "--shifted", "2",
                                  "--scenarios", ",".join(REPLAYED)])
    return dataset, quality.run_dataset(dataset, options, [], seed=1)


def test_every_scenario_is_scored_for_driftline(tiny_run):
    dataset, (rows, info) = tiny_run
    names = [row["scenario"] for row in rows]
    assert names == list(REPLAYED)
    for row in rows:
        figures = row["driftline"]
        assert {"false_alarms", "delay", "flagged", "wrong_columns", "flapping",
                "warned"} <= set(figures)
        assert figures["stationary_batches"] == (3 if row["scenario"] == "stationary" else 2)
        assert figures["shifted_batches"] == (0 if row["scenario"] == "stationary" else 2)
        assert 0 <= figures["flagged"] <= figures["shifted_batches"]
    assert set(info["scenarios"]) == set(names)
    assert info["driftline"]["quantities"]
    json.dumps(info, default=str)


def test_the_table_has_a_row_per_scenario_and_the_columns_of_each_detector(tiny_run):
    _, (rows, _) = tiny_run
    headers, table = quality.table_rows(rows, ("driftline", "nannyml"))
    assert headers[:2] == ["scenario", "data set"]
    assert "D:flap" in headers and "N:fa" in headers
    assert len(table) == len(rows)
    assert all(len(row) == len(headers) for row in table)
    assert all(row[headers.index("N:fa")] == "n/a" for row in table)  # the peer did not run
    printed = quality.format_table(headers, table)
    assert printed.splitlines()[0].startswith("scenario")
