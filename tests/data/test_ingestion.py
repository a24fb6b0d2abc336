"""The ingestion core: staged parts (Arrow IPC, Parquet, CSV) validated against a data schema and
written as one Parquet file, or refused with every problem found and nothing left behind."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.fs as pa_fs
import pyarrow.parquet as pq
import pytest

from driftline_server.data import ingestion
from driftline_server.data.ingestion import (
    BatchRefused,
    IngestedBatch,
    Problem,
    SchemaColumn,
    StagedPart,
    arrow_type,
    ingest_batch,
)

UTC = timezone.utc
ROME = ZoneInfo("Europe/Rome")

ID = SchemaColumn("sample_id", "ID", "STRING")
TIME = SchemaColumn("timestamp", "TIME_ID", "FLOAT")
AGE = SchemaColumn("age", "INPUT", "INTEGER")
SCORE = SchemaColumn("score", "INPUT", "FLOAT", nullable=True)
COLOR = SchemaColumn("color", "INPUT", "CATEGORICAL", possible_values=("red", "green"))
NOTE = SchemaColumn("note", "METADATA", "STRING", nullable=True)
EMBEDDING = SchemaColumn("embedding", "INPUT_ADDITIONAL_EMBEDDING", "ARRAY_1", dims=(3,))
ERROR = SchemaColumn("error", "ERROR", "FLOAT", nullable=True)
TARGET = SchemaColumn("target", "TARGET", "FLOAT", nullable=True)
PREDICTION = SchemaColumn("m1_prediction", "PREDICTION", "FLOAT", model_id="m1")
# The schema's order on purpose puts the target before some inputs: the stored file follows it.
COLUMNS = [ID, TIME, AGE, TARGET, SCORE, COLOR, NOTE, EMBEDDING, ERROR, PREDICTION]


@pytest.fixture
def fs() -> pa_fs.FileSystem:
    return pa_fs.LocalFileSystem()


def write_ipc(path, table: pa.Table, rows_per_batch: int | None = None) -> str:
    with pa.ipc.new_stream(str(path), table.schema) as writer:
        writer.write_table(table, max_chunksize=rows_per_batch)
    return str(path)


def write_parquet(path, table: pa.Table) -> str:
    pq.write_table(table, str(path))
    return str(path)


def write_text(path, text: str) -> str:
    path.write_text(text)
    return str(path)


def inputs_table(n: int = 4, **overrides) -> pa.Table:
    data = {
        "sample_id": [f"s{i}" for i in range(n)],
        "timestamp": [1_700_000_000.0 + i for i in range(n)],
        "age": list(range(20, 20 + n)),
        "score": [0.5 * i for i in range(n)],
        "color": ["red" if i % 2 else "green" for i in range(n)],
        "note": [f"note {i}" for i in range(n)],
        "embedding": [[float(i), 0.0, 1.0] for i in range(n)],
        "error": [0.1] * n,
    }
    data.update(overrides)
    return pa.table({name: values for name, values in data.items() if values is not None})


def ingest(tmp_path, fs, parts, *, kind="HISTORICAL", columns=COLUMNS, task_type="REGRESSION",
           models=("m1", "m2"), **callbacks) -> IngestedBatch:
    return ingest_batch(
        kind=kind,
        columns=columns,
        task_type=task_type,
        task_model_ids=set(models),
        parts=parts,
        filesystem=fs,
        output_path=str(tmp_path / "out.parquet"),
        **callbacks,
    )


def refusal(tmp_path, fs, parts, **kwargs) -> dict[tuple[str, str], Problem]:
    """The problems of a refused batch by (code, column); and nothing was left behind."""
    with pytest.raises(BatchRefused) as refused:
        ingest(tmp_path, fs, parts, **kwargs)
    assert not (tmp_path / "out.parquet").exists()
    problems = refused.value.problems
    assert refused.value.message.startswith(f"{len(problems)} problem")
    found = {(p.code, p.column): p for p in problems}
    assert len(found) == len(problems), "one problem per code and column here"
    return found


def stored(tmp_path) -> pa.Table:
    return pq.read_table(str(tmp_path / "out.parquet"))


def inputs_part(path, fmt="ARROW_IPC_STREAM") -> StagedPart:
    return StagedPart("INPUTS", str(path), fmt)


# --- the stored types -------------------------------------------------------------------------


def test_arrow_type_of_each_data_type():
    assert arrow_type(TIME) == pa.timestamp("us", tz="UTC")
    assert arrow_type(SchemaColumn("t", "TIME_ID", "STRING")) == pa.timestamp("us", tz="UTC")
    assert arrow_type(ID) == pa.string()
    assert arrow_type(SchemaColumn("id", "ID", "INTEGER")) == pa.int64()
    assert arrow_type(SCORE) == pa.float64()
    assert arrow_type(AGE) == pa.int64()
    assert arrow_type(COLOR) == pa.string()
    assert arrow_type(EMBEDDING) == pa.list_(pa.float64())
    assert arrow_type(SchemaColumn("a", "INPUT", "ARRAY_2")) == pa.list_(pa.list_(pa.float64()))
    assert arrow_type(SchemaColumn("a", "INPUT", "ARRAY_3")) == pa.list_(
        pa.list_(pa.list_(pa.float64()))
    )


# --- round trips, one per format --------------------------------------------------------------


def test_arrow_ipc_inputs_are_stored_in_schema_order_with_their_types(tmp_path, fs):
    path = write_ipc(tmp_path / "inputs.arrows", inputs_table(), rows_per_batch=3)

    batch = ingest(tmp_path, fs, [inputs_part(path)])

    assert batch.row_count == 4
    assert batch.first_sample_time == datetime.fromtimestamp(1_700_000_000, UTC)
    assert batch.last_sample_time == datetime.fromtimestamp(1_700_000_003, UTC)
    table = stored(tmp_path)
    # No TARGET or PREDICTIONS part: no target or prediction column.
    assert table.column_names == [
        "sample_id", "timestamp", "age", "score", "color", "note", "embedding", "error",
    ]
    assert table.schema.field("timestamp").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("embedding").type == pa.list_(pa.float64())
    assert table["age"].to_pylist() == [20, 21, 22, 23]
    assert table["timestamp"].to_pylist()[1] == datetime(2023, 11, 14, 22, 13, 21, tzinfo=UTC)
    assert table["embedding"].to_pylist()[2] == [2.0, 0.0, 1.0]
    metadata = pq.read_metadata(str(tmp_path / "out.parquet"))
    assert metadata.metadata[b"driftline.kind"] == b"HISTORICAL"
    assert metadata.row_group(0).column(0).compression == "ZSTD"


def test_parquet_inputs_of_other_arrow_types_are_cast(tmp_path, fs):
    table = pa.table({
        "sample_id": pa.array(["a", "b", "c"], pa.large_string()),
        "timestamp": pa.array([0, 1_000_500_999, 2_000_000_000], pa.timestamp("ns")),
        "age": pa.array([1, 2, 3], pa.int8()),
        "score": pa.array([1.5, None, 2.5], pa.float32()),
        "color": pa.array(["red", "green", "red"]).dictionary_encode(),
        "note": pa.array([1, 2, 3]),  # numbers into a STRING column: their text
        "embedding": pa.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], pa.list_(pa.int32(), 3)),
        "error": pa.array([1, 2, 3], pa.int64()),
    })
    path = write_parquet(tmp_path / "inputs.parquet", table)

    batch = ingest(tmp_path, fs, [inputs_part(path, "PARQUET")], kind="PRODUCTION")

    out = stored(tmp_path)
    assert batch.row_count == 3
    assert out.schema.field("sample_id").type == pa.string()
    assert out["timestamp"].to_pylist() == [
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(1970, 1, 1, 0, 0, 1, 500, tzinfo=UTC),  # nanoseconds truncated to micros
        datetime(1970, 1, 1, 0, 0, 2, tzinfo=UTC),
    ]
    assert out.schema.field("age").type == pa.int64()
    assert out["score"].to_pylist() == [1.5, None, 2.5]
    assert out["color"].to_pylist() == ["red", "green", "red"]
    assert out["note"].to_pylist() == ["1", "2", "3"]
    assert out["embedding"].to_pylist()[1] == [4.0, 5.0, 6.0]
    assert out["error"].to_pylist() == [1.0, 2.0, 3.0]
    assert pq.read_metadata(str(tmp_path / "out.parquet")).metadata[b"driftline.kind"] == (
        b"PRODUCTION"
    )


def test_arrow_types_that_polars_and_pandas_write(tmp_path, fs):
    table = pa.table({
        "sample_id": pa.array(["a", "b"], pa.string_view()),
        "timestamp": pa.array([datetime(2024, 1, 1, 1, tzinfo=ROME),
                               datetime(2024, 1, 2, 1, tzinfo=ROME)],
                              pa.timestamp("us", tz="Europe/Rome")),
        "age": pa.array([1, 2], pa.uint32()),
        "score": pa.array([None, 2.5]),
        "color": pa.DictionaryArray.from_arrays(pa.array([1, 0], pa.uint32()),
                                                pa.array(["red", "green"], pa.string_view())),
        "note": pa.array(["x", None], pa.large_string()),
        "embedding": pa.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], pa.large_list(pa.float64())),
        "error": pa.array([0.5, 1.5], pa.float32()),
    })
    ingest(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "i.arrows", table))])
    out = stored(tmp_path)
    assert out["sample_id"].to_pylist() == ["a", "b"]
    assert out["timestamp"].to_pylist()[0] == datetime(2024, 1, 1, 0, tzinfo=UTC)  # Rome is +1
    assert out["color"].to_pylist() == ["green", "red"]
    assert out["note"].to_pylist() == ["x", None]
    assert out["embedding"].to_pylist()[1] == [4.0, 5.0, 6.0]
    assert out.schema.field("age").type == pa.int64()


def test_csv_text_is_cast_to_each_type(tmp_path, fs):
    path = write_text(
        tmp_path / "inputs.csv",
        "sample_id,timestamp,age,score,color,note,embedding,error\n"
        's1,1700000000,30,1.25,red,hello,"[1, 2, 3]",\n'
        's2,2024-05-01T12:00:00,31.0,,green,,"[0.5,-1e2,3]",0.5\n'
        's3,2024-05-01T14:00:00+02:00, 32 ,-3,red,"a, b","[NaN, 1, 2]",nan\n',
    )

    batch = ingest(tmp_path, fs, [inputs_part(path, "CSV")])

    out = stored(tmp_path)
    assert batch.row_count == 3
    assert out["timestamp"].to_pylist() == [
        datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC),
        datetime(2024, 5, 1, 12, tzinfo=UTC),  # naive: UTC
        datetime(2024, 5, 1, 12, tzinfo=UTC),  # +02:00
    ]
    assert batch.first_sample_time == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert batch.last_sample_time == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert out["age"].to_pylist() == [30, 31, 32]
    assert out["score"].to_pylist() == [1.25, None, -3.0]
    assert out["note"].to_pylist() == ["hello", None, "a, b"]
    assert out["embedding"].to_pylist()[1] == [0.5, -100.0, 3.0]
    assert np.isnan(out["embedding"].to_pylist()[2][0])
    assert out["error"].to_pylist()[:2] == [None, 0.5]
    assert np.isnan(out["error"].to_pylist()[2])
    assert out.schema.field("embedding").type == pa.list_(pa.float64())


def test_nested_arrays_from_arrow_and_csv(tmp_path, fs):
    columns = [ID, TIME, SchemaColumn("image", "INPUT", "ARRAY_2", dims=(2, 2))]
    path = write_text(
        tmp_path / "inputs.csv",
        'sample_id,timestamp,image\na,1,"[[1, 2], [3, 4]]"\nb,2,"[[5,6],[7,8]]"\n',
    )
    ingest(tmp_path, fs, [inputs_part(path, "CSV")], columns=columns)
    assert stored(tmp_path)["image"].to_pylist() == [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]
    assert stored(tmp_path).schema.field("image").type == pa.list_(pa.list_(pa.float64()))

    table = pa.table({"sample_id": ["a"], "timestamp": [1], "image": [[[1, 2], [3, 4]]]})
    ingest(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "i.arrows", table))], columns=columns)
    assert stored(tmp_path)["image"].to_pylist() == [[[1.0, 2.0], [3.0, 4.0]]]


def test_integer_ids_are_int64_and_string_ids_take_the_text_of_numbers(tmp_path, fs):
    int_id = SchemaColumn("sample_id", "ID", "INTEGER")
    table = pa.table({"sample_id": ["7", "8"], "timestamp": [1, 2]})
    ingest(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "a.arrows", table))],
           columns=[int_id, TIME])
    assert stored(tmp_path).schema.field("sample_id").type == pa.int64()
    assert stored(tmp_path)["sample_id"].to_pylist() == [7, 8]

    table = pa.table({"sample_id": [7, 8], "timestamp": [1, 2]})
    ingest(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "b.arrows", table))],
           columns=[ID, TIME])
    assert stored(tmp_path)["sample_id"].to_pylist() == ["7", "8"]


def test_times_of_every_accepted_form(tmp_path, fs):
    cases = [
        pa.array([1_700_000_000, 1_700_000_001]),  # int seconds
        pa.array([1_700_000_000.25, 1_700_000_001.0]),  # float seconds
        pa.array(["2023-11-14T22:13:20.25Z", "2023-11-14 22:13:21"]),
        pa.array([datetime(2023, 11, 14, 22, 13, 20, 250000), datetime(2023, 11, 14, 22, 13, 21)]),
    ]
    for values in cases:
        table = pa.table({"sample_id": ["a", "b"], "timestamp": values})
        ingest(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "t.arrows", table))],
               columns=[ID, TIME])
        first, second = stored(tmp_path)["timestamp"].to_pylist()
        assert second == datetime(2023, 11, 14, 22, 13, 21, tzinfo=UTC), values
        assert first.replace(microsecond=0) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    table = pa.table({"sample_id": ["a"], "timestamp": pa.array([date(2024, 2, 29)])})
    batch = ingest(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "d.arrows", table))],
                   columns=[ID, TIME])
    assert batch.first_sample_time == datetime(2024, 2, 29, tzinfo=UTC)


# --- joining targets and predictions -----------------------------------------------------------


def test_targets_and_predictions_join_in_the_inputs_order_with_nulls_for_missing(tmp_path, fs):
    inputs = write_ipc(tmp_path / "inputs.arrows", inputs_table(5), rows_per_batch=2)
    target = write_parquet(
        tmp_path / "target.parquet",
        pa.table({"sample_id": ["s4", "s0", "s2"], "target": [4.0, 0.0, None]}),
    )
    predictions = write_text(
        tmp_path / "predictions.csv",
        "m1_prediction,sample_id\n3.5,s3\n0.5,s0\n1.5,s1\n2.5,s2\n4.5,s4\n",
    )
    parts = [
        inputs_part(inputs),
        StagedPart("TARGET", target, "PARQUET"),
        StagedPart("PREDICTIONS", predictions, "CSV", "m1"),
    ]

    batch = ingest(tmp_path, fs, parts)

    out = stored(tmp_path)
    assert batch.row_count == 5
    assert out.column_names == [
        "sample_id", "timestamp", "age", "target", "score", "color", "note", "embedding",
        "error", "m1_prediction",
    ]
    assert out["sample_id"].to_pylist() == ["s0", "s1", "s2", "s3", "s4"]
    assert out["target"].to_pylist() == [0.0, None, None, None, 4.0]
    assert out["m1_prediction"].to_pylist() == [0.5, 1.5, 2.5, 3.5, 4.5]


def test_a_sample_without_its_required_target_is_refused(tmp_path, fs):
    columns = [ID, TIME, SchemaColumn("target", "TARGET", "FLOAT")]
    inputs = write_ipc(
        tmp_path / "inputs.arrows",
        pa.table({"sample_id": ["a", "b", "c", "d"], "timestamp": [1, 2, 3, 4]}),
        rows_per_batch=2,
    )
    target = write_ipc(
        tmp_path / "target.arrows", pa.table({"sample_id": ["a", "c"], "target": [1.0, 3.0]})
    )

    found = refusal(tmp_path, fs, [inputs_part(inputs), StagedPart("TARGET", target,
                    "ARROW_IPC_STREAM")], columns=columns)

    problem = found[("NULL_NOT_ALLOWED", "target")]
    assert problem.part == "INPUTS"
    assert (problem.rows, problem.values, problem.row_count) == ([1, 3], ["b", "d"], 2)
    assert "TARGET part" in problem.message


def test_join_is_exact_for_ids_of_many_lengths_even_when_keys_collide(tmp_path, fs, monkeypatch):
    ids = [f"{'x' * (i % 23)}{i}" for i in range(300)]
    columns = [ID, TIME, TARGET]
    inputs = write_ipc(tmp_path / "inputs.arrows",
                       pa.table({"sample_id": ids, "timestamp": list(range(300))}),
                       rows_per_batch=64)
    shuffled = list(reversed(ids[::2]))
    target = write_ipc(tmp_path / "target.arrows", pa.table({
        "sample_id": shuffled, "target": [float(ids.index(i)) for i in shuffled],
    }))
    parts = [inputs_part(inputs), StagedPart("TARGET", target, "ARROW_IPC_STREAM")]
    expected = [float(i) if i % 2 == 0 else None for i in range(300)]

    ingest(tmp_path, fs, parts, columns=columns)
    assert stored(tmp_path)["target"].to_pylist() == expected

    # Every id with the same key: the exact lookup takes over and the answer is the same.
    monkeypatch.setattr(ingestion, "_id_keys", lambda ids: np.zeros(len(ids), dtype=np.uint64))
    ingest(tmp_path, fs, parts, columns=columns)
    assert stored(tmp_path)["target"].to_pylist() == expected


def test_rows_of_targets_or_predictions_must_be_samples_of_the_batch(tmp_path, fs):
    inputs = write_ipc(tmp_path / "inputs.arrows", inputs_table(3))
    target = write_ipc(tmp_path / "target.arrows",
                       pa.table({"sample_id": ["s1", "zz", "s2", "yy"], "target": [1.0] * 4}))
    predictions = write_ipc(tmp_path / "p.arrows",
                            pa.table({"sample_id": ["s0", "s1", "s2", "q"],
                                      "m1_prediction": [1.0] * 4}))
    parts = [
        inputs_part(inputs),
        StagedPart("TARGET", target, "ARROW_IPC_STREAM"),
        StagedPart("PREDICTIONS", predictions, "ARROW_IPC_STREAM", "m1"),
    ]

    with pytest.raises(BatchRefused) as refused:
        ingest(tmp_path, fs, parts)

    problems = {(p.code, p.part): p for p in refused.value.problems}
    target_problem = problems[("SAMPLE_NOT_IN_BATCH", "TARGET")]
    assert (target_problem.rows, target_problem.values) == ([1, 3], ["zz", "yy"])
    assert target_problem.column == "sample_id"
    predictions_problem = problems[("SAMPLE_NOT_IN_BATCH", "PREDICTIONS")]
    assert predictions_problem.model_id == "m1"
    assert (predictions_problem.rows, predictions_problem.values) == ([3], ["q"])
    assert len(refused.value.problems) == 2


# --- columns of a part -------------------------------------------------------------------------


def test_missing_columns_are_refused_unless_nullable(tmp_path, fs):
    table = inputs_table(score=None, note=None, error=None, age=None)
    found = refusal(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "i.arrows", table))])

    assert set(found) == {("COLUMN_MISSING", "age")}
    problem = found[("COLUMN_MISSING", "age")]
    assert (problem.part, problem.rows, problem.row_count) == ("INPUTS", [], 0)
    assert "age" in problem.message and "INPUTS part" in problem.message

    table = inputs_table(score=None, note=None, error=None)
    ingest(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "j.arrows", table))])
    out = stored(tmp_path)
    assert out["score"].to_pylist() == [None] * 4
    assert out.schema.field("score").type == pa.float64()
    assert out["note"].null_count == 4


def test_columns_not_in_the_schema_say_where_they_belong(tmp_path, fs):
    table = inputs_table(target=[1.0] * 4, m1_prediction=[1.0] * 4, surprise=[1] * 4)
    inputs = write_ipc(tmp_path / "i.arrows", table)
    target = write_ipc(tmp_path / "t.arrows",
                       pa.table({"sample_id": ["s0"], "target": [1.0], "age": [3]}))

    found = refusal(tmp_path, fs, [inputs_part(inputs), StagedPart("TARGET", target,
                                                                   "ARROW_IPC_STREAM")])

    assert set(found) == {
        ("COLUMN_NOT_IN_SCHEMA", "target"),
        ("COLUMN_NOT_IN_SCHEMA", "m1_prediction"),
        ("COLUMN_NOT_IN_SCHEMA", "surprise"),
        ("COLUMN_NOT_IN_SCHEMA", "age"),
    }
    assert "belongs in the TARGET part" in found[("COLUMN_NOT_IN_SCHEMA", "target")].message
    assert "PREDICTIONS part of model 'm1'" in found[
        ("COLUMN_NOT_IN_SCHEMA", "m1_prediction")].message
    surprise = found[("COLUMN_NOT_IN_SCHEMA", "surprise")].message
    assert "not in the task's data schema" in surprise and "'sample_id'" in surprise
    age = found[("COLUMN_NOT_IN_SCHEMA", "age")]
    assert age.part == "TARGET" and "belongs in the INPUTS part" in age.message


def test_a_column_twice_in_a_part_is_refused(tmp_path, fs):
    path = write_text(tmp_path / "i.csv", "sample_id,timestamp,timestamp\na,1,2\n")
    found = refusal(tmp_path, fs, [inputs_part(path, "CSV")], columns=[ID, TIME])
    assert set(found) == {("COLUMN_DUPLICATE", "timestamp")}


# --- values ------------------------------------------------------------------------------------


def test_values_not_castable_name_the_first_ten_rows_and_count_them_all(tmp_path, fs):
    n = 30
    scores = ["1.5"] * n
    for row in range(5, 20):
        scores[row] = f"bad{row}"
    ages = [str(a) for a in range(n)]
    ages[2], ages[7], ages[9] = "3.5", "x", "4.0"  # 4.0 is a whole number
    path = write_text(
        tmp_path / "i.csv",
        "sample_id,timestamp,age,score\n"
        + "".join(f"s{i},{i},{ages[i]},{scores[i]}\n" for i in range(n)),
    )
    columns = [ID, TIME, AGE, SCORE]

    found = refusal(tmp_path, fs, [inputs_part(path, "CSV")], columns=columns)

    assert set(found) == {("VALUE_NOT_CASTABLE", "score"), ("VALUE_NOT_CASTABLE", "age")}
    score = found[("VALUE_NOT_CASTABLE", "score")]
    assert score.rows == list(range(5, 15))
    assert score.values == [f"bad{row}" for row in range(5, 15)]
    assert score.row_count == 15
    assert score.part == "INPUTS" and "FLOAT" in score.message
    age = found[("VALUE_NOT_CASTABLE", "age")]
    assert (age.rows, age.values, age.row_count) == ([2, 7], ["3.5", "x"], 2)
    assert "INTEGER" in age.message


def test_integers_accept_whole_floats_and_refuse_fractions_and_other_types(tmp_path, fs):
    columns = [ID, TIME, AGE, SchemaColumn("score", "INPUT", "FLOAT")]
    table = pa.table({
        "sample_id": ["a", "b", "c", "d"],
        "timestamp": [1, 2, 3, 4],
        "age": [1.0, 2.5, float("nan"), 1e30],
        "score": pa.array([[1.0], [2.0], None, [3.0]]),
    })
    found = refusal(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "i.arrows", table))],
                    columns=columns)
    age = found[("VALUE_NOT_CASTABLE", "age")]
    assert (age.rows, age.values) == ([1, 2, 3], ["2.5", "nan", "1e+30"])
    score = found[("VALUE_NOT_CASTABLE", "score")]
    assert (score.rows, score.values) == ([0, 1, 3], ["[1.0]", "[2.0]", "[3.0]"])
    assert set(found) == {
        ("VALUE_NOT_CASTABLE", "age"), ("VALUE_NOT_CASTABLE", "score"),
        ("NULL_NOT_ALLOWED", "score"),
    }


def test_nulls_where_the_schema_forbids_them(tmp_path, fs):
    table = inputs_table(
        sample_id=["s0", None, "s2", "s3"],
        timestamp=[1.0, 2.0, None, 4.0],
        age=[1, None, None, 4],
        score=[None] * 4,  # nullable
    )
    found = refusal(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "i.arrows", table))])

    assert set(found) == {
        ("NULL_NOT_ALLOWED", "sample_id"),
        ("NULL_NOT_ALLOWED", "timestamp"),
        ("NULL_NOT_ALLOWED", "age"),
    }
    assert found[("NULL_NOT_ALLOWED", "sample_id")].rows == [1]
    assert found[("NULL_NOT_ALLOWED", "timestamp")].rows == [2]
    age = found[("NULL_NOT_ALLOWED", "age")]
    assert (age.rows, age.values, age.row_count) == ([1, 2], ["null", "null"], 2)


def test_unknown_categories_are_listed(tmp_path, fs):
    table = inputs_table(6, color=["red", "blue", "green", "pink", "blue", None])
    found = refusal(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "i.arrows", table))])

    problem = found[("UNKNOWN_CATEGORY", "color")]
    assert (problem.rows, problem.values, problem.row_count) == (
        [1, 3, 4], ["blue", "pink", "blue"], 3
    )
    assert "'blue', 'pink'" in problem.message and "possible_values" in problem.message
    assert set(found) == {("UNKNOWN_CATEGORY", "color"), ("NULL_NOT_ALLOWED", "color")}


def test_categories_compare_as_text_and_booleans_ignore_case(tmp_path, fs):
    columns = [
        ID, TIME,
        SchemaColumn("flag", "INPUT", "CATEGORICAL", possible_values=("True", "False")),
        SchemaColumn("level", "INPUT", "CATEGORICAL", possible_values=("1", "2")),
    ]
    table = pa.table({
        "sample_id": ["a", "b", "c"], "timestamp": [1, 2, 3],
        "flag": [True, False, True], "level": [1, 2, 1],
    })
    ingest(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "i.arrows", table))], columns=columns)
    assert stored(tmp_path)["flag"].to_pylist() == ["True", "False", "True"]
    assert stored(tmp_path)["level"].to_pylist() == ["1", "2", "1"]

    path = write_text(tmp_path / "i.csv",
                      "sample_id,timestamp,flag,level\na,1,TRUE,1\nb,2,false,2\nc,3,yes,3\n")
    found = refusal(tmp_path, fs, [inputs_part(path, "CSV")], columns=columns)
    assert found[("UNKNOWN_CATEGORY", "flag")].values == ["yes"]
    assert found[("UNKNOWN_CATEGORY", "level")].values == ["3"]


def test_times_that_do_not_parse(tmp_path, fs):
    path = write_text(
        tmp_path / "i.csv",
        "sample_id,timestamp\n"
        "a,2024-05-01T10:00:00Z\n"
        "b,yesterday\n"
        "c,2024-02-30\n"  # no such day
        "d,1e20\n"  # beyond year 9999
        "e,2024-13-01\n"
        "f,1714557600.5\n",
    )
    found = refusal(tmp_path, fs, [inputs_part(path, "CSV")], columns=[ID, TIME])

    problem = found[("TIMESTAMP_NOT_PARSEABLE", "timestamp")]
    assert (problem.rows, problem.values, problem.row_count) == (
        [1, 2, 3, 4], ["yesterday", "2024-02-30", "1e20", "2024-13-01"], 4
    )
    assert "ISO 8601" in problem.message
    assert set(found) == {("TIMESTAMP_NOT_PARSEABLE", "timestamp")}

    table = pa.table({"sample_id": ["a", "b"], "timestamp": [True, False]})
    found = refusal(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "b.arrows", table))],
                    columns=[ID, TIME])
    assert found[("TIMESTAMP_NOT_PARSEABLE", "timestamp")].row_count == 2


def test_arrays_of_the_wrong_size_or_with_nulls(tmp_path, fs):
    table = inputs_table(5, embedding=[[1.0, 2.0, 3.0], [1.0, 2.0], [1.0, None, 3.0], None,
                                       [1.0, 2.0, 3.0, 4.0]])
    found = refusal(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "i.arrows", table))])

    size = found[("DIMENSION_MISMATCH", "embedding")]
    assert (size.rows, size.values) == ([1, 4], ["[1.0, 2.0]", "[1.0, 2.0, 3.0, 4.0]"])
    assert "[3]" in size.message
    assert found[("VALUE_NOT_CASTABLE", "embedding")].rows == [2]
    assert found[("NULL_NOT_ALLOWED", "embedding")].rows == [3]
    assert len(found) == 3


def test_nested_arrays_are_checked_at_every_depth(tmp_path, fs):
    columns = [ID, TIME, SchemaColumn("image", "INPUT", "ARRAY_2", dims=(2, 2))]
    path = write_text(
        tmp_path / "i.csv",
        "sample_id,timestamp,image\n"
        'a,1,"[[1, 2], [3, 4]]"\n'
        'b,2,"[[1, 2], [3]]"\n'  # inner size
        'c,3,"[1, 2]"\n'  # not nested
        'd,4,"[[1, 2], [3, 4], [5, 6]]"\n'  # outer size
        'e,5,"[[1, \'x\'], [3, 4]]"\n',
    )
    found = refusal(tmp_path, fs, [inputs_part(path, "CSV")], columns=columns)

    assert found[("DIMENSION_MISMATCH", "image")].rows == [1, 3]
    assert found[("VALUE_NOT_CASTABLE", "image")].rows == [2, 4]
    assert found[("VALUE_NOT_CASTABLE", "image")].values == ["[1, 2]", "[[1, 'x'], [3, 4]]"]


# --- sample ids --------------------------------------------------------------------------------


def test_a_duplicate_id_across_streamed_chunks(tmp_path, fs):
    n = 5000
    ids = [f"id-{i}" for i in range(n)]
    ids[4321] = "id-17"  # the first occurrence is in the first record batch
    ids[4999] = "id-17"
    ids[2500] = "id-2000"
    table = pa.table({"sample_id": ids, "timestamp": np.arange(n, dtype=float)})
    path = write_ipc(tmp_path / "i.arrows", table, rows_per_batch=100)
    progress, cancel_checks = [], []

    with pytest.raises(BatchRefused) as refused:
        ingest(tmp_path, fs, [inputs_part(path)], columns=[ID, TIME],
               report_progress=lambda fraction, message: progress.append(fraction),
               check_cancelled=lambda: cancel_checks.append(1))

    [problem] = refused.value.problems
    assert problem.code == "DUPLICATE_SAMPLE_ID" and problem.column == "sample_id"
    assert (problem.rows, problem.values, problem.row_count) == (
        [2500, 4321, 4999], ["id-2000", "id-17", "id-17"], 3
    )
    assert not (tmp_path / "out.parquet").exists()
    # Once per record batch read (50 of them), with a fraction that only grows.
    assert len(cancel_checks) == 50
    assert len(progress) >= 50 and progress == sorted(progress)
    assert 0 < progress[0] < 0.1 and progress[-1] == 1.0


@pytest.mark.parametrize("colliding_keys", [False, True])
@pytest.mark.parametrize("id_type", ["STRING", "INTEGER"])
def test_duplicates_are_exact_for_both_id_types(tmp_path, fs, monkeypatch, id_type,
                                                colliding_keys):
    if colliding_keys:  # every id with the same key: only the exact comparison tells them apart
        monkeypatch.setattr(ingestion, "_id_keys",
                            lambda ids: np.zeros(len(ids), dtype=np.uint64))
    ids = [5, 17, 3, 17, 40, 5, 17, 8]
    values = ids if id_type == "INTEGER" else [f"id{i}" for i in ids]
    table = pa.table({"sample_id": values, "timestamp": list(range(len(ids)))})
    columns = [SchemaColumn("sample_id", "ID", id_type), TIME]
    found = refusal(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "i.arrows", table, 3))],
                    columns=columns)
    problem = found[("DUPLICATE_SAMPLE_ID", "sample_id")]
    assert (problem.rows, problem.row_count) == ([3, 5, 6], 3)
    assert problem.values == [str(values[3]), str(values[5]), str(values[6])]


def test_duplicate_ids_in_a_target_part(tmp_path, fs):
    inputs = write_ipc(tmp_path / "i.arrows", inputs_table(3))
    target = write_ipc(tmp_path / "t.arrows",
                       pa.table({"sample_id": ["s0", "s1", "s0"], "target": [1.0, 2.0, 3.0]}))
    found = refusal(tmp_path, fs, [inputs_part(inputs), StagedPart("TARGET", target,
                                                                   "ARROW_IPC_STREAM")])
    problem = found[("DUPLICATE_SAMPLE_ID", "sample_id")]
    assert (problem.part, problem.rows, problem.values) == ("TARGET", [2], ["s0"])
    assert len(found) == 1


def test_a_large_streamed_input_stays_in_bounded_memory(tmp_path, fs, monkeypatch):
    monkeypatch.setattr(ingestion, "ROW_GROUP_BYTES", 4 << 20)
    monkeypatch.setattr(ingestion, "SLICE_BYTES", 4 << 20)
    n, width = 200_000, 40
    columns = [ID, TIME] + [SchemaColumn(f"x{i}", "INPUT", "FLOAT") for i in range(width)]
    rng = np.random.default_rng(0)
    data = {"sample_id": pa.array(np.arange(n).astype(str)),
            "timestamp": np.arange(n, dtype=float)}
    data.update({f"x{i}": rng.standard_normal(n) for i in range(width)})
    table = pa.table(data)
    size = table.nbytes
    path = write_ipc(tmp_path / "i.arrows", table, rows_per_batch=10_000)
    del table, data
    baseline = pa.total_allocated_bytes()
    peak = []

    batch = ingest(tmp_path, fs, [inputs_part(path)], columns=columns,
                   report_progress=lambda f, m: peak.append(pa.total_allocated_bytes()))

    assert batch.row_count == n
    # About 66 MB of input; what is held at any time is a few record batches and a row group.
    assert max(peak) - baseline < size / 3, (max(peak) - baseline, size)
    metadata = pq.read_metadata(str(tmp_path / "out.parquet"))
    assert metadata.num_rows == n and metadata.num_row_groups > 5


def test_one_huge_record_batch_is_validated_in_bounded_slices(tmp_path, fs, monkeypatch):
    monkeypatch.setattr(ingestion, "SLICE_BYTES", 1 << 20)
    batch = pa.record_batch({f"x{i}": np.zeros(100_000) for i in range(10)})  # 8 MB
    slices = list(ingestion._slices(batch))
    assert sum(piece.num_rows for piece in slices) == 100_000
    assert len(slices) >= 8 and all(piece.nbytes <= 1 << 20 for piece in slices)

    monkeypatch.setattr(ingestion, "SLICE_ROWS", 1000)
    ages = list(range(3000))
    ages[5] = ages[1500] = ages[2999] = -0.5
    table = pa.table({"sample_id": [f"s{i}" for i in range(3000)],
                      "timestamp": list(range(3000)), "age": ages})
    path = write_ipc(tmp_path / "i.arrows", table)  # a single record batch
    found = refusal(tmp_path, fs, [inputs_part(path)], columns=[ID, TIME, AGE])
    assert found[("VALUE_NOT_CASTABLE", "age")].rows == [5, 1500, 2999]


# --- parts -------------------------------------------------------------------------------------


def test_parts_that_a_kind_of_batch_does_not_take(tmp_path, fs):
    inputs = write_ipc(tmp_path / "i.arrows", inputs_table())

    with pytest.raises(BatchRefused) as refused:
        ingest(tmp_path, fs, [StagedPart("TARGET", inputs, "ARROW_IPC_STREAM")])
    assert [(p.code, p.part) for p in refused.value.problems] == [("PART_MISSING", "INPUTS")]

    with pytest.raises(BatchRefused) as refused:
        ingest(tmp_path, fs, [inputs_part(inputs), inputs_part(inputs),
                              StagedPart("KPI", inputs, "ARROW_IPC_STREAM"),
                              StagedPart("PREDICTIONS", inputs, "ARROW_IPC_STREAM", "m1"),
                              StagedPart("PREDICTIONS", inputs, "ARROW_IPC_STREAM", "m1")])
    assert sorted((p.code, p.part, p.model_id) for p in refused.value.problems) == [
        ("PART_DUPLICATE", "INPUTS", ""),
        ("PART_DUPLICATE", "PREDICTIONS", "m1"),
        ("PART_NOT_ALLOWED", "KPI", ""),
    ]

    with pytest.raises(BatchRefused) as refused:
        ingest(tmp_path, fs, [inputs_part(inputs)], kind="TARGET")
    assert sorted((p.code, p.part) for p in refused.value.problems) == [
        ("PART_MISSING", "TARGET"), ("PART_NOT_ALLOWED", "INPUTS"),
    ]

    with pytest.raises(BatchRefused) as refused:
        ingest(tmp_path, fs, [StagedPart("KPI", inputs, "CSV")] * 2, kind="KPI", columns=[])
    assert [(p.code, p.part) for p in refused.value.problems] == [("PART_DUPLICATE", "KPI")]
    assert not (tmp_path / "out.parquet").exists()


def test_predictions_of_unknown_models_and_rag_without_predictions(tmp_path, fs):
    inputs = write_ipc(tmp_path / "i.arrows", inputs_table())
    predictions = write_ipc(tmp_path / "p.arrows",
                            pa.table({"sample_id": ["s0"], "m1_prediction": [1.0]}))
    parts = [
        inputs_part(inputs),
        StagedPart("PREDICTIONS", predictions, "ARROW_IPC_STREAM", "m9"),  # not the task's
        StagedPart("PREDICTIONS", predictions, "ARROW_IPC_STREAM", "m2"),  # no columns
    ]
    with pytest.raises(BatchRefused) as refused:
        ingest(tmp_path, fs, parts)
    problems = {p.model_id: p for p in refused.value.problems}
    assert {p.code for p in problems.values()} == {"MODEL_NOT_FOUND"}
    assert "not a model of this task" in problems["m9"].message
    assert "no prediction columns" in problems["m2"].message

    rag = [ID, TIME, SchemaColumn("question", "USER_INPUT", "STRING"),
           SchemaColumn("answer", "PREDICTION", "STRING", model_id="m1")]
    table = pa.table({"sample_id": ["a"], "timestamp": [1], "question": ["why?"]})
    inputs = write_ipc(tmp_path / "rag.arrows", table)
    with pytest.raises(BatchRefused) as refused:
        ingest(tmp_path, fs, [inputs_part(inputs)], columns=rag, task_type="RAG")
    assert [p.code for p in refused.value.problems] == ["PREDICTIONS_REQUIRED"]

    answers = write_ipc(tmp_path / "answers.arrows",
                        pa.table({"sample_id": ["a"], "answer": ["because"]}))
    ingest(tmp_path, fs, [inputs_part(inputs),
                          StagedPart("PREDICTIONS", answers, "ARROW_IPC_STREAM", "m1")],
           columns=rag, task_type="RAG")
    assert stored(tmp_path)["answer"].to_pylist() == ["because"]


@pytest.mark.parametrize("fmt", ["ARROW_IPC_STREAM", "PARQUET", "CSV"])
def test_a_part_that_is_not_in_its_format(tmp_path, fs, fmt):
    path = tmp_path / "garbage"
    path.write_bytes(b"\x00\x01\x02 not a table \xff" * 10 if fmt != "CSV" else b"")
    found = refusal(tmp_path, fs, [inputs_part(path, fmt)])
    problem = found[("PART_NOT_READABLE", "")]
    assert problem.part == "INPUTS" and fmt in problem.message


def test_a_truncated_stream_or_a_ragged_csv_is_not_readable(tmp_path, fs):
    path = write_ipc(tmp_path / "i.arrows", inputs_table(1000), rows_per_batch=100)
    data = (tmp_path / "i.arrows").read_bytes()
    (tmp_path / "i.arrows").write_bytes(data[: len(data) // 2])
    found = refusal(tmp_path, fs, [inputs_part(path)])
    assert set(found) == {("PART_NOT_READABLE", "")}

    path = write_text(tmp_path / "i.csv", "sample_id,timestamp\na,1\nb,2,3\n")
    found = refusal(tmp_path, fs, [inputs_part(path, "CSV")], columns=[ID, TIME])
    assert "Expected 2 columns" in found[("PART_NOT_READABLE", "")].message


def test_a_missing_staged_file_is_an_error_not_a_refusal(tmp_path, fs):
    with pytest.raises(FileNotFoundError):
        ingest(tmp_path, fs, [inputs_part(tmp_path / "nowhere.arrows")])


def test_an_empty_batch(tmp_path, fs):
    path = write_text(tmp_path / "i.csv", "sample_id,timestamp\n")
    found = refusal(tmp_path, fs, [inputs_part(path, "CSV")], columns=[ID, TIME])
    assert set(found) == {("EMPTY_BATCH", "")}
    assert found[("EMPTY_BATCH", "")].part == "INPUTS"


# --- nothing left behind -----------------------------------------------------------------------


def test_a_refusal_late_in_the_stream_removes_what_was_written(tmp_path, fs, monkeypatch):
    monkeypatch.setattr(ingestion, "ROW_GROUP_ROWS", 100)
    monkeypatch.setattr(ingestion, "SLICE_ROWS", 100)
    n = 2000
    ages = list(range(n))
    ages[1990] = None
    table = pa.table({"sample_id": [f"s{i}" for i in range(n)], "timestamp": list(range(n)),
                      "age": ages})
    path = write_ipc(tmp_path / "i.arrows", table, rows_per_batch=100)
    (tmp_path / "out.parquet").write_bytes(b"an earlier attempt")
    written = []
    original_flush = ingestion._ParquetOutput._flush

    def flush(self):
        written.append(self._pending_rows)
        original_flush(self)

    monkeypatch.setattr(ingestion._ParquetOutput, "_flush", flush)

    found = refusal(tmp_path, fs, [inputs_part(path)], columns=[ID, TIME, AGE])

    assert found[("NULL_NOT_ALLOWED", "age")].rows == [1990]
    assert sum(written) >= 1900  # row groups were written before the problem showed
    assert not (tmp_path / "out.parquet").exists()


def test_cancellation_propagates_and_leaves_nothing(tmp_path, fs, monkeypatch):
    monkeypatch.setattr(ingestion, "ROW_GROUP_ROWS", 100)
    table = pa.table({"sample_id": [f"s{i}" for i in range(1000)], "timestamp": range(1000)})
    path = write_ipc(tmp_path / "i.arrows", table, rows_per_batch=100)
    calls = []

    def check_cancelled():
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt("cancelled")

    with pytest.raises(KeyboardInterrupt):
        ingest(tmp_path, fs, [inputs_part(path)], columns=[ID, TIME],
               check_cancelled=check_cancelled)
    assert not (tmp_path / "out.parquet").exists()


# --- TARGET and KPI batches --------------------------------------------------------------------


def test_a_target_batch(tmp_path, fs):
    columns = COLUMNS + [SchemaColumn("box", "TARGET", "STRING", nullable=True)]
    path = write_text(tmp_path / "t.csv", "target,sample_id\n1.5,a\n,b\n")

    batch = ingest(tmp_path, fs, [StagedPart("TARGET", path, "CSV")], kind="TARGET",
                   columns=columns)

    assert batch == IngestedBatch(2, None, None)
    out = stored(tmp_path)
    assert out.column_names == ["sample_id", "target", "box"]
    assert out["target"].to_pylist() == [1.5, None]
    assert out["box"].to_pylist() == [None, None]
    assert pq.read_metadata(str(tmp_path / "out.parquet")).metadata[b"driftline.kind"] == (
        b"TARGET"
    )


def test_a_target_batch_is_validated(tmp_path, fs):
    columns = [ID, TIME, SchemaColumn("label", "TARGET", "CATEGORICAL",
                                      possible_values=("cat", "dog"))]
    path = write_ipc(tmp_path / "t.arrows", pa.table({
        "sample_id": ["a", "b", "a"], "label": ["cat", "cow", None], "age": [1, 2, 3],
    }))
    found = refusal(tmp_path, fs, [StagedPart("TARGET", path, "ARROW_IPC_STREAM")],
                    kind="TARGET", columns=columns)
    assert set(found) == {
        ("DUPLICATE_SAMPLE_ID", "sample_id"), ("UNKNOWN_CATEGORY", "label"),
        ("NULL_NOT_ALLOWED", "label"), ("COLUMN_NOT_IN_SCHEMA", "age"),
    }
    assert found[("DUPLICATE_SAMPLE_ID", "sample_id")].part == "TARGET"


def test_a_kpi_batch(tmp_path, fs):
    path = write_text(tmp_path / "kpi.csv",
                      "timestamp,value\n2024-05-02T00:00:00Z,3\n2024-05-01,1.5\n")

    batch = ingest(tmp_path, fs, [StagedPart("KPI", path, "CSV")], kind="KPI", columns=[])

    assert batch == IngestedBatch(2, datetime(2024, 5, 1, tzinfo=UTC),
                                  datetime(2024, 5, 2, tzinfo=UTC))
    out = stored(tmp_path)
    assert out.column_names == ["timestamp", "value"]
    assert out.schema.field("timestamp").type == pa.timestamp("us", tz="UTC")
    assert out["value"].to_pylist() == [3.0, 1.5]
    assert pq.read_metadata(str(tmp_path / "out.parquet")).metadata[b"driftline.kind"] == b"KPI"


def test_a_kpi_batch_is_validated(tmp_path, fs):
    table = pa.table({"timestamp": ["2024-05-01", "soon", None], "value": [1.0, None, 2.0],
                      "unit": ["€", "€", "€"]})
    path = write_parquet(tmp_path / "kpi.parquet", table)
    found = refusal(tmp_path, fs, [StagedPart("KPI", path, "PARQUET")], kind="KPI", columns=[])
    assert set(found) == {
        ("TIMESTAMP_NOT_PARSEABLE", "timestamp"), ("NULL_NOT_ALLOWED", "timestamp"),
        ("NULL_NOT_ALLOWED", "value"), ("COLUMN_NOT_IN_SCHEMA", "unit"),
    }
    assert found[("TIMESTAMP_NOT_PARSEABLE", "timestamp")].rows == [1]
    assert found[("NULL_NOT_ALLOWED", "value")].part == "KPI"
    assert "every KPI value is a number" in found[("NULL_NOT_ALLOWED", "value")].message

    pa_csv.write_csv(pa.table({"timestamp": [1]}), str(tmp_path / "k.csv"))
    found = refusal(tmp_path, fs, [StagedPart("KPI", str(tmp_path / "k.csv"), "CSV")],
                    kind="KPI", columns=[])
    assert set(found) == {("COLUMN_MISSING", "value")}


# --- problems as data --------------------------------------------------------------------------


def test_problems_are_json_data_and_the_summary_is_one_line(tmp_path, fs):
    table = inputs_table(age=["x"] * 4, color=["blue"] * 4)
    with pytest.raises(BatchRefused) as refused:
        ingest(tmp_path, fs, [inputs_part(write_ipc(tmp_path / "i.arrows", table))])
    first = refused.value.problems[0].to_dict()
    assert first == {
        "code": "VALUE_NOT_CASTABLE", "column": "age", "part": "INPUTS", "model_id": "",
        "message": first["message"], "rows": [0, 1, 2, 3], "values": ["x"] * 4,
        "row_count": 4,
    }
    message = refused.value.message
    assert message.startswith("2 problems: column 'age' is INTEGER")
    assert "\n" not in message and str(refused.value) == message
