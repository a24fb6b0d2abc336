"""Model runs through the Python client (and raw stubs where the client cannot say it): create,
find by exact information, get, list and search by containment with pages, update, delete,
associations with models; who may do what; every kind of bad input. The containment table runs
on both database legs and is checked against a Python reference written here, apart from the
server's."""

from __future__ import annotations

import math
import random

import grpc
import pytest
from google.protobuf import field_mask_pb2, struct_pb2

import driftline
from catalog_helpers import accuracy_model, binary_task, raises
from conftest import unique
from driftline.catalog.v1 import catalog_service_pb2 as pb, model_run_pb2
from harness import fails

INVALID = grpc.StatusCode.INVALID_ARGUMENT
NOT_FOUND = grpc.StatusCode.NOT_FOUND
DENIED = grpc.StatusCode.PERMISSION_DENIED

INFO = {
    "params": {"lr": 0.01, "layers": [64, 32], "optimizer": {"name": "adam", "beta": [0.9, 0.999]}},
    "auc": 0.91,
    "epochs": 10,
    "ok": True,
    "note": None,
    "città": "Torino",
}


def call(client, method: str, request):
    return client.stubs.call(getattr(client.stubs.catalog, method), request)


def struct(value: dict) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(value)
    return message


def nested(depth: int) -> dict:
    """An object nested ``depth`` levels deep (the top-level object is level 1)."""
    value: dict = {}
    for _ in range(depth - 1):
        value = {"x": value}
    return value


@pytest.fixture(scope="module")
def owner(company):
    return company.owner


@pytest.fixture(scope="module")
def project_id(owner):
    return owner.create_project(unique("runs"))


@pytest.fixture(scope="module")
def models(owner, project_id):
    """Two model versions of a task of the project."""
    task_id = binary_task(owner, project_id)
    return accuracy_model(owner, task_id, version="v1"), accuracy_model(owner, task_id, version="v2")


# -- create, read, exact find ----------------------------------------------------------------


def test_a_run_is_created_and_read_back(owner, project_id):
    run_id = owner.create_model_run(project_id, INFO, model_name="gbm")
    run = owner.get_model_run_by_id(run_id)
    assert (run.model_run_id, run.project_id, run.model_name, run.creator_id, run.model_ids) == (
        run_id, project_id, "gbm", owner.user_id, [])
    assert run.model_run_info == INFO
    assert run.creation_datetime.tzinfo is not None and run.update_datetime == run.creation_datetime
    assert owner.get_model_run_info(run_id) == INFO
    assert owner.get_model_run_by_id(owner.create_model_run(project_id, {})).model_name is None


def test_numbers_come_back_as_ints_when_integral(owner, project_id):
    info = {"int": 10, "integral_float": 2.0, "float": 1.5, "negative": -3, "big": 2.0**60,
            "list": [1, 2.5, 3.0]}
    back = owner.get_model_run_info(owner.create_model_run(project_id, info))
    assert back == info
    assert [type(back[key]) for key in ("int", "integral_float", "float", "negative", "big")] == [
        int, int, float, int, float]  # beyond 2**53 a double stands for many integers
    assert [type(item) for item in back["list"]] == [int, float, int]


def test_exact_find_ignores_key_order_and_tells_numbers_and_names_apart(owner, project_id):
    info = {"dataset": unique("ds"), "metrics": {"auc": 0.5, "f1": 1.0}, "tags": ["a", "b"]}
    first = owner.create_model_run(project_id, info, model_name="gbm")
    second = owner.create_model_run(project_id, info, model_name="gbm")  # runs may repeat
    reordered = {"tags": ["a", "b"], "metrics": {"f1": 1, "auc": 0.5}, "dataset": info["dataset"]}
    assert owner.model_run_exists(project_id, reordered, model_name="gbm")
    found = owner.get_model_run(project_id, reordered, model_name="gbm")
    assert found.model_run_id == first != second
    assert not owner.model_run_exists(project_id, info)  # no model name is another run
    assert not owner.model_run_exists(project_id, info, model_name="rf")
    assert not owner.model_run_exists(project_id, {**info, "tags": ["b", "a"]}, "gbm")  # order
    assert not owner.model_run_exists(project_id, {"dataset": info["dataset"]}, "gbm")  # subset
    assert not owner.model_run_exists(project_id, {**info, "extra": 1}, "gbm")  # superset
    with fails(driftline.NotFoundError, "MODEL_RUN_NOT_FOUND"):
        owner.get_model_run(project_id, {"nothing": "like it"})
    with fails(driftline.NotFoundError, "PROJECT_NOT_FOUND"):  # not a False
        owner.model_run_exists("no-such-project", info)


def test_create_with_a_request_id_is_idempotent(owner, project_id):
    request = pb.CreateModelRunRequest(
        project_id=project_id, request_id=unique("req"),
        model_run=model_run_pb2.ModelRun(info=struct({"retried": True})))
    first = call(owner, "CreateModelRun", request).model_run
    assert call(owner, "CreateModelRun", request).model_run.id == first.id
    with raises(INVALID, "REQUEST_ID_TOO_LONG", "request_id"):
        call(owner, "CreateModelRun", pb.CreateModelRunRequest(
            project_id=project_id, request_id="r" * 65, model_run=request.model_run))


def test_batch_create_keeps_order_is_idempotent_and_all_or_nothing(owner):
    project = owner.create_project(unique("batch"))
    infos = [{"i": i, "even": i % 2 == 0} for i in range(30)]
    ids = owner.create_model_runs(project, infos, model_name="gbm", batch_size=7)
    listed = list(owner.get_model_runs(project))
    assert [run.model_run_id for run in listed] == ids
    assert [run.model_run_info for run in listed] == infos
    assert {run.model_name for run in listed} == {"gbm"}

    request = pb.BatchCreateModelRunsRequest(
        project_id=project, request_id=unique("req"),
        model_runs=[model_run_pb2.ModelRun(info=struct({"replayed": i})) for i in range(3)])
    first = [run.id for run in call(owner, "BatchCreateModelRuns", request).model_runs]
    assert [run.id for run in call(owner, "BatchCreateModelRuns", request).model_runs] == first

    bad = pb.BatchCreateModelRunsRequest(project_id=project, model_runs=[
        model_run_pb2.ModelRun(info=struct({"fine": i})) for i in range(5)])
    bad.model_runs[3].info.fields["bad"].number_value = math.nan
    with raises(INVALID, "MODEL_RUN_INFO_INVALID_VALUE", "model_runs[3].info.bad"):
        call(owner, "BatchCreateModelRuns", bad)
    for count in (0, 1001):
        with raises(INVALID, "MODEL_RUN_BATCH_SIZE", "model_runs"):
            call(owner, "BatchCreateModelRuns", pb.BatchCreateModelRunsRequest(
                project_id=project, model_runs=[model_run_pb2.ModelRun(info=struct({}))] * count))
    assert len(list(owner.get_model_runs(project))) == 33  # nothing of the refused batches


# -- update, info, delete --------------------------------------------------------------------


def test_update_changes_only_the_fields_named(owner, project_id):
    run_id = owner.create_model_run(project_id, {"stage": "draft"}, model_name="gbm")
    before = owner.get_model_run_by_id(run_id)
    run = owner.update_model_run(run_id, model_name="rf")
    assert (run.model_name, run.model_run_info) == ("rf", {"stage": "draft"})
    assert run.update_datetime > before.update_datetime and run.creation_datetime == before.creation_datetime
    run = owner.update_model_run(run_id, model_run_info={"stage": "final", "auc": 0.9})
    assert (run.model_name, run.model_run_info) == ("rf", {"stage": "final", "auc": 0.9})
    assert owner.update_model_run(run_id, model_name="").model_name is None
    assert owner.update_model_run(run_id) == owner.get_model_run_by_id(run_id)


def test_set_info_replaces_it_for_search_and_exact_find(owner, project_id):
    marker = unique("marker")
    run_id = owner.create_model_run(project_id, {"marker": marker, "old": True})
    owner.set_model_run_info(run_id, {"marker": marker, "new": [1, 2]})
    assert owner.get_model_run_info(run_id) == {"marker": marker, "new": [1, 2]}
    found = owner.search_model_runs(project_id, {"marker": marker})
    assert [r.model_run_id for r in found] == [run_id]
    assert list(owner.search_model_runs(project_id, {"marker": marker, "old": True})) == []
    assert [r.model_run_id for r in owner.search_model_runs(project_id, {"new": [2]})] == [run_id]
    assert not owner.model_run_exists(project_id, {"marker": marker, "old": True})
    assert owner.get_model_run(project_id, {"new": [1, 2], "marker": marker}).model_run_id == run_id


def test_update_mask_paths_are_checked(owner, project_id):
    run_id = owner.create_model_run(project_id, {"masked": 1}, model_name="kept")
    response = call(owner, "UpdateModelRun", pb.UpdateModelRunRequest(
        model_run=model_run_pb2.ModelRun(id=run_id, model_name="ignored",
                                         info=struct({"masked": 2})),
        update_mask=field_mask_pb2.FieldMask(paths=["info"])))
    assert (response.model_run.model_name, response.model_run.info) == ("kept", struct({"masked": 2}))
    with raises(INVALID, "UNKNOWN_FIELD_MASK_PATH", "update_mask"):
        call(owner, "UpdateModelRun", pb.UpdateModelRunRequest(
            model_run=model_run_pb2.ModelRun(id=run_id, project_id="elsewhere"),
            update_mask=field_mask_pb2.FieldMask(paths=["project_id"])))
    with raises(INVALID, "UPDATE_MASK_REQUIRED", "update_mask"):
        call(owner, "UpdateModelRun", pb.UpdateModelRunRequest(
            model_run=model_run_pb2.ModelRun(id=run_id)))
    with raises(INVALID, "MODEL_RUN_INFO_REQUIRED", "model_run.info"):
        call(owner, "UpdateModelRun", pb.UpdateModelRunRequest(
            model_run=model_run_pb2.ModelRun(id=run_id),
            update_mask=field_mask_pb2.FieldMask(paths=["info"])))
    # An empty mask updates the fields that are set.
    response = call(owner, "UpdateModelRun", pb.UpdateModelRunRequest(
        model_run=model_run_pb2.ModelRun(id=run_id, model_name="renamed")))
    assert (response.model_run.model_name, response.model_run.info) == (
        "renamed", struct({"masked": 2}))


def test_delete_removes_the_run_and_its_associations(owner, project_id, models):
    marker = unique("deleted")
    run_id = owner.create_model_run(project_id, {"marker": marker})
    owner.associate_model(run_id, models[0])
    owner.delete_model_run(run_id)
    with fails(driftline.NotFoundError, "MODEL_RUN_NOT_FOUND"):
        owner.get_model_run_by_id(run_id)
    assert list(owner.search_model_runs(project_id, {"marker": marker})) == []
    assert run_id not in [r.model_run_id
                          for r in owner.get_model_runs(project_id, model_id=models[0])]
    assert not owner.model_run_exists(project_id, {"marker": marker})
    with fails(driftline.NotFoundError, "MODEL_RUN_NOT_FOUND"):
        owner.delete_model_run(run_id)


# -- associations ----------------------------------------------------------------------------


def test_associations_with_models_of_the_project(owner, project_id, models):
    first, second = models
    run_id = owner.create_model_run(project_id, {"associated": True})
    other = owner.create_model_run(project_id, {"associated": False})
    assert not owner.belongs_to_model(run_id, first)
    owner.associate_model(run_id, second)
    owner.associate_model(run_id, first)
    owner.associate_model(run_id, second)  # again: nothing changes
    assert owner.get_associated_models(run_id) == [second, first]
    assert owner.belongs_to_model(run_id, first) and not owner.belongs_to_model(other, first)
    owner.associate_model(other, first)
    assert [r.model_run_id for r in owner.get_model_runs(project_id, model_id=first)][-2:] == [
        run_id, other]
    assert run_id in [r.model_run_id for r in owner.get_model_runs(project_id, model_id=second)]
    assert [r.model_run_id for r in owner.search_model_runs(project_id, {"associated": False},
                                                            model_id=first)] == [other]
    owner.unassociate_model(run_id, second)
    assert owner.get_associated_models(run_id) == [first]
    assert run_id not in [r.model_run_id for r in owner.get_model_runs(project_id, model_id=second)]
    with fails(driftline.NotFoundError, "MODEL_RUN_ASSOCIATION_NOT_FOUND"):
        owner.unassociate_model(run_id, second)


def test_models_of_other_projects_and_companies_are_not_found(owner, project_id, other_company):
    run_id = owner.create_model_run(project_id, {"isolated": True})
    elsewhere = owner.create_project(unique("elsewhere"))
    foreign_model = accuracy_model(owner, binary_task(owner, elsewhere))
    stranger_model = accuracy_model(other_company, binary_task(
        other_company, other_company.create_project(unique("globex"))))
    for model_id in (foreign_model, stranger_model, "no-such-model", ""):
        with fails(driftline.NotFoundError, "MODEL_NOT_FOUND"):
            owner.associate_model(run_id, model_id)
        with fails(driftline.NotFoundError, "MODEL_NOT_FOUND"):
            list(owner.get_model_runs(project_id, model_id=model_id or "x"))
    assert owner.get_associated_models(run_id) == []


# -- listing and pages ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def paged_project(owner):
    """120 runs: every 7th holds {"k": 1, "v": 2} in one element of "items"; the others hold
    both in separate elements, which every term of the query matches but containment does
    not (so SQLite's candidates are mostly refused)."""
    project = owner.create_project(unique("paged"))
    infos = [{"n": i, "items": [{"k": 1, "v": 2}] if i % 7 == 0 else [{"k": 1}, {"v": 2}]}
             for i in range(120)]
    ids = owner.create_model_runs(project, infos[:60], model_name="even-batch")
    ids += owner.create_model_runs(project, infos[60:], model_name="odd-batch")
    return project, ids


def _pages(owner, request: pb.ListModelRunsRequest) -> tuple[list[str], list[int]]:
    seen, sizes = [], []
    while True:
        response = call(owner, "ListModelRuns", request)
        seen += [run.id for run in response.model_runs]
        sizes.append(len(response.model_runs))
        if not response.next_page_token:
            return seen, sizes
        request.page_token = response.next_page_token


def test_pages_cover_every_run_once_in_order(owner, paged_project):
    project, ids = paged_project
    seen, sizes = _pages(owner, pb.ListModelRunsRequest(project_id=project, page_size=50))
    assert seen == ids and sizes == [50, 50, 20]
    assert [r.model_run_id for r in owner.get_model_runs(project)] == ids
    odd = owner.get_model_runs(project, model_name="odd-batch")
    assert [r.model_run_id for r in odd] == ids[60:]
    for size in (0, 5000):  # the default, and the cap
        response = call(owner, "ListModelRuns", pb.ListModelRunsRequest(
            project_id=project, page_size=size))
        assert len(response.model_runs) == (50 if size == 0 else 120)


def test_search_pages_skip_candidates_that_do_not_contain(owner, paged_project):
    project, ids = paged_project
    wanted = [run_id for index, run_id in enumerate(ids) if index % 7 == 0]
    query = struct({"items": [{"k": 1, "v": 2}]})
    seen, sizes = _pages(owner, pb.ListModelRunsRequest(project_id=project, page_size=4,
                                                        contains=query))
    assert seen == wanted and sizes == [4, 4, 4, 4, 2]
    seen, _ = _pages(owner, pb.ListModelRunsRequest(project_id=project, page_size=3,
                                                    contains=query, model_name="odd-batch"))
    assert seen == [run_id for run_id in wanted if run_id in ids[60:]]
    assert len(list(owner.search_model_runs(project, {"items": [{"k": 1}, {"v": 2}]}))) == 120


def test_bad_page_tokens_and_sizes_are_invalid(owner, paged_project):
    project, _ = paged_project
    first = call(owner, "ListModelRuns", pb.ListModelRunsRequest(project_id=project, page_size=5))
    for token in ["garbage!", "e30="]:
        with raises(INVALID, "INVALID_PAGE_TOKEN", "page_token"):
            call(owner, "ListModelRuns", pb.ListModelRunsRequest(project_id=project,
                                                                 page_token=token))
    with raises(INVALID, "INVALID_PAGE_TOKEN", "page_token"):  # a token of another search
        call(owner, "ListModelRuns", pb.ListModelRunsRequest(
            project_id=project, page_token=first.next_page_token, contains=struct({"n": 1})))
    with raises(INVALID, "INVALID_PAGE_SIZE", "page_size"):
        call(owner, "ListModelRuns", pb.ListModelRunsRequest(project_id=project, page_size=-1))


def test_show_model_runs_prints_a_table(owner, paged_project, capsys):
    project, ids = paged_project
    owner.show_model_runs(project, contains={"n": 7})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Run", "ID", "Model", "name", "Models", "Info", "Created"]
    assert len(lines) == 3 and ids[7] in lines[2] and '{"items":[{"k":1,"v":2}],"n":7}' in lines[2]


# -- containment: one table, both databases ---------------------------------------------------


def reference_contains(value, query) -> bool:
    """PostgreSQL's jsonb @> for object and array containers, written apart from the server's."""
    if isinstance(query, dict):
        return isinstance(value, dict) and all(
            key in value and reference_contains(value[key], item) for key, item in query.items())
    if isinstance(query, list):
        return isinstance(value, list) and all(
            any(reference_contains(element, item) for element in value) for item in query)
    if isinstance(value, (dict, list)):
        return False
    if isinstance(query, bool) or isinstance(value, bool):
        return type(query) is type(value) and query == value
    if isinstance(query, (int, float)) and isinstance(value, (int, float)):
        return query == value
    return type(query) is type(value) and query == value


RUNS = {
    "flat": {"a": 1, "b": "x", "c": True, "d": None},
    "float": {"a": 1.5, "b": "1"},
    "nested": {"a": {"b": {"c": 1, "d": [1, 2, 3]}, "e": "f"}},
    "scalars": {"tags": ["red", "green", 3, True, None]},
    "objects": {"items": [{"k": 1, "v": "a"}, {"k": 2, "v": "b"}]},
    "split": {"items": [{"k": 1}, {"v": "b"}]},
    "arrays": {"m": [[1, 2], [3]], "e": []},
    "unicode": {"ключ": "значение", "emoji 🎉": {"ü": "ß"}, "中文": ["一", "二"]},
    "bools": {"a": True, "n": 0, "s": "true"},
    "empties": {"o": {}, "l": []},
    "numbers": {"i": 10, "f": 0.1, "neg": -0.0, "tiny": 1e-7, "huge": 1e300},
    "empty": {},
}

CASES = [
    ({}, set(RUNS)),
    ({"a": 1}, {"flat"}),
    ({"a": 1.0}, {"flat"}),  # 1 and 1.0 are one number
    ({"a": "1"}, set()),  # a string is not a number
    ({"b": "1"}, {"float"}),
    ({"c": True}, {"flat"}),
    ({"c": 1}, set()),  # nor is a boolean
    ({"a": True}, {"bools"}),
    ({"n": False}, set()),
    ({"n": 0}, {"bools"}),
    ({"s": True}, set()),
    ({"d": None}, {"flat"}),
    ({"x": None}, set()),  # a missing key is not null
    ({"a": 1, "b": "x"}, {"flat"}),
    ({"a": 1, "b": "y"}, set()),
    ({"a": {}}, {"nested"}),  # only objects contain objects
    ({"a": {"b": {"c": 1}}}, {"nested"}),
    ({"a": {"e": "f", "b": {}}}, {"nested"}),
    ({"a": {"b": {"d": [3, 1]}}}, {"nested"}),  # array order does not matter
    ({"a": {"b": {"d": [4]}}}, set()),
    ({"a": {"b": {"d": 1}}}, set()),  # a scalar is not contained by an array
    ({"c": 1, "a": {"b": {"c": 1}}}, set()),
    ({"tags": ["red"]}, {"scalars"}),
    ({"tags": ["red", "green", "red"]}, {"scalars"}),
    ({"tags": [3.0]}, {"scalars"}),
    ({"tags": ["3"]}, set()),
    ({"tags": [True]}, {"scalars"}),
    ({"tags": [1]}, set()),
    ({"tags": [None]}, {"scalars"}),
    ({"tags": []}, {"scalars"}),
    ({"tags": "red"}, set()),
    ({"items": [{"k": 1}]}, {"objects", "split"}),
    ({"items": [{"k": 1, "v": "a"}]}, {"objects"}),
    ({"items": [{"k": 1, "v": "b"}]}, set()),  # one element must hold both
    ({"items": [{"k": 1}, {"v": "b"}]}, {"objects", "split"}),
    ({"items": [{}]}, {"objects", "split"}),
    ({"items": [[]]}, set()),
    ({"m": [[1]]}, {"arrays"}),
    ({"m": [[3], [2, 1]]}, {"arrays"}),
    ({"m": [1]}, set()),
    ({"m": [[1, 3]]}, set()),
    ({"m": [[]]}, {"arrays"}),
    ({"e": []}, {"arrays"}),
    ({"e": {}}, set()),
    ({"ключ": "значение"}, {"unicode"}),
    ({"emoji 🎉": {"ü": "ß"}}, {"unicode"}),
    ({"中文": ["二"]}, {"unicode"}),
    ({"ü": "ß"}, set()),  # only at the top level
    ({"o": {}}, {"empties"}),
    ({"l": []}, {"empties"}),
    ({"o": []}, set()),
    ({"i": 10.0}, {"numbers"}),
    ({"f": 0.1}, {"numbers"}),
    ({"neg": 0}, {"numbers"}),  # -0 is 0
    ({"tiny": 1e-7, "huge": 1e300}, {"numbers"}),
    ({"huge": 1e299}, set()),
]


@pytest.fixture(scope="module")
def table(owner):
    """The RUNS in a project of their own (named by model_name), and a copy of some in another
    project, which a search must never return."""
    project = owner.create_project(unique("containment"))
    elsewhere = owner.create_project(unique("containment-elsewhere"))
    ids = {}
    for label, info in RUNS.items():
        ids[owner.create_model_run(project, info, model_name=label)] = label
        owner.create_model_run(elsewhere, info, model_name=label)
    return project, ids


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[str(q) for q, _ in CASES])
def test_containment_table(owner, table, query, expected):
    project, labels = table
    assert {label for label, info in RUNS.items() if reference_contains(info, query)} == expected
    found = [labels[run.model_run_id] for run in owner.search_model_runs(project, query)]
    assert set(found) == expected and len(found) == len(expected)
    assert found == [label for label in RUNS if label in expected]  # oldest first


def test_the_servers_reference_agrees_with_the_table():
    from driftline_server.catalog.model_runs import canonical, json_contains

    for query, expected in CASES:
        assert {label for label, info in RUNS.items()
                if json_contains(canonical(info, "info"), canonical(query, "q"))} == expected


def test_information_round_trips_through_struct_conversions():
    """Server (conversions.py) and client (conversions/_json.py) conversions, both ways, for every
    run of the table (no server needed)."""
    from driftline.conversions._json import dict_to_struct, struct_to_dict
    from driftline_server.catalog import conversions
    from driftline_server.catalog.model_runs import canonical

    for info in [*RUNS.values(), INFO, nested(32)]:
        stored = canonical(conversions.struct_to_python(dict_to_struct(info), "info"), "info")
        assert stored == canonical(info, "info")
        assert struct_to_dict(conversions.python_to_struct(stored)) == info


def _random_json(rng: random.Random, depth: int):
    kind = rng.choice(["object", "array"] + ["scalar"] * 3) if depth < 4 else "scalar"
    if kind == "object":
        return {rng.choice(["a", "b", "c", "ключ"]): _random_json(rng, depth + 1)
                for _ in range(rng.randint(0, 3))}
    if kind == "array":
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return rng.choice([0, 1, 1.5, -2, "1", "a", "", True, False, None])


def _sub(rng: random.Random, value):
    """A random part of ``value`` that it contains: keys and elements dropped, elements
    repeated and shuffled."""
    if isinstance(value, dict):
        return {key: _sub(rng, item) for key, item in value.items() if rng.random() < 0.7}
    if isinstance(value, list):
        kept = [_sub(rng, item) for item in value if rng.random() < 0.7]
        kept += kept[:1]
        rng.shuffle(kept)
        return kept
    return value


def test_every_contained_query_has_its_terms_among_the_runs():
    """SQLite's term index may only ever drop runs that do not contain the query."""
    from driftline_server.catalog.model_runs import canonical, json_contains, query_terms, terms

    rng = random.Random(7)
    for _ in range(3000):
        info = canonical({"root": _random_json(rng, 1), "x": _random_json(rng, 2)}, "info")
        query = canonical(_sub(rng, info), "query")
        assert json_contains(info, query) and reference_contains(info, query)
        assert set(query_terms("p", query)) <= terms("p", info)
        other = canonical({"root": _random_json(rng, 1)}, "other")
        assert json_contains(info, other) == reference_contains(info, other)
        if json_contains(info, other):
            assert set(query_terms("p", other)) <= terms("p", info)


# -- who may do what --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(owner, company, models, project_id):
    run_id = owner.create_model_run(project_id, {"guarded": True}, model_name="gbm")
    return {
        "run_id": run_id,
        "viewer": company.member("COMPANY_USER", {project_id: "PROJECT_VIEW"}),
        "user": company.member("COMPANY_USER", {project_id: "PROJECT_USER"}),
        "no_role": company.user,
    }


def _reads(client, project_id, run_id):
    client.get_model_run_by_id(run_id)
    assert client.model_run_exists(project_id, {"guarded": True}, "gbm")
    assert run_id in [r.model_run_id for r in client.get_model_runs(project_id)]
    guarded = client.search_model_runs(project_id, {"guarded": True})
    assert [r.model_run_id for r in guarded] == [run_id]
    client.belongs_to_model(run_id, "any")


def _writes(client, project_id, run_id, model_id):
    return [
        lambda: client.create_model_run(project_id, {"by": "someone"}),
        lambda: client.create_model_runs(project_id, [{"by": "someone"}]),
        lambda: client.update_model_run(run_id, model_name="gbm"),
        lambda: client.set_model_run_info(run_id, {"guarded": True}),
        lambda: client.associate_model(run_id, model_id),
        lambda: client.unassociate_model(run_id, model_id),
        lambda: client.delete_model_run(client.create_model_run(project_id, {"doomed": 1})),
    ]


def test_project_view_reads_but_does_not_write(owner, guarded, project_id, models):
    viewer, run_id = guarded["viewer"], guarded["run_id"]
    _reads(viewer, project_id, run_id)
    for write in _writes(viewer, project_id, run_id, models[0]):
        with raises(DENIED, "PROJECT_ROLE_REQUIRED"):
            write()


def test_project_user_writes(guarded, project_id, models):
    user, run_id = guarded["user"], guarded["run_id"]
    _reads(user, project_id, run_id)
    for write in _writes(user, project_id, run_id, models[0]):
        write()
    assert user.get_model_run_by_id(run_id).model_ids == []


def test_a_user_without_a_project_role_is_denied(guarded, project_id, models):
    no_role, run_id = guarded["no_role"], guarded["run_id"]
    for action in [lambda: _reads(no_role, project_id, run_id),
                   *_writes(no_role, project_id, run_id, models[0])]:
        with raises(DENIED, "PROJECT_ROLE_REQUIRED"):
            action()


def test_another_company_finds_nothing(other_company, guarded, project_id, models):
    run_id = guarded["run_id"]
    for action in [lambda: other_company.get_model_run_by_id(run_id),
                   lambda: other_company.get_model_run_info(run_id),
                   lambda: other_company.update_model_run(run_id, model_name="x"),
                   lambda: other_company.delete_model_run(run_id),
                   lambda: other_company.associate_model(run_id, models[0]),
                   lambda: other_company.unassociate_model(run_id, models[0]),
                   lambda: other_company.belongs_to_model(run_id, models[0])]:
        with raises(NOT_FOUND, "MODEL_RUN_NOT_FOUND"):
            action()
    for action in [lambda: other_company.create_model_run(project_id, {"x": 1}),
                   lambda: other_company.create_model_runs(project_id, [{"x": 1}]),
                   lambda: other_company.model_run_exists(project_id, {"guarded": True}, "gbm"),
                   lambda: list(other_company.get_model_runs(project_id)),
                   lambda: list(other_company.search_model_runs(project_id, {}))]:
        with raises(NOT_FOUND, "PROJECT_NOT_FOUND"):
            action()
    own = other_company.create_project(unique("own"))
    with raises(NOT_FOUND, "MODEL_NOT_FOUND"):  # a model of the first company, from its project
        other_company.associate_model(other_company.create_model_run(own, {}), models[0])


# -- bad input --------------------------------------------------------------------------------


def test_only_json_objects_are_information(owner, project_id):
    for bad in ([1, 2], "text", 3, None):
        with fails(driftline.InvalidArgumentError, "MODEL_RUN_INFO_NOT_AN_OBJECT"):
            owner.create_model_run(project_id, bad)
        with fails(driftline.InvalidArgumentError, "CONTAINS_NOT_AN_OBJECT"):
            owner.search_model_runs(project_id, bad)
    for bad in ({"a": {1, 2}}, {"a": b"bytes"}, {1: "not a string key"}):
        with fails(driftline.InvalidArgumentError, "MODEL_RUN_INFO_INVALID_VALUE"):
            owner.create_model_run(project_id, bad)
    with raises(INVALID, "MODEL_RUN_INFO_REQUIRED", "model_run.info"):  # no Struct at all
        call(owner, "CreateModelRun", pb.CreateModelRunRequest(
            project_id=project_id, model_run=model_run_pb2.ModelRun(model_name="gbm")))
    with raises(INVALID, "MODEL_RUN_INFO_REQUIRED", "info"):
        call(owner, "FindModelRun", pb.FindModelRunRequest(project_id=project_id))


def test_values_json_does_not_have_are_refused(owner, project_id):
    for value in (math.nan, math.inf, -math.inf):
        with fails(driftline.InvalidArgumentError, "MODEL_RUN_INFO_INVALID_VALUE", "model_run.info.x"):
            owner.create_model_run(project_id, {"x": value})
    with fails(driftline.InvalidArgumentError, "CONTAINS_INVALID_VALUE", "contains.x"):
        list(owner.search_model_runs(project_id, {"x": math.nan}))
    for bad in ({"x": "nul \x00 inside"}, {"nul \x00 key": 1}, {"x": ["\x00"]}):
        with fails(driftline.InvalidArgumentError, "MODEL_RUN_INFO_INVALID_VALUE"):
            owner.create_model_run(project_id, bad)
    request = pb.CreateModelRunRequest(project_id=project_id, model_run=model_run_pb2.ModelRun())
    request.model_run.info.fields["unset"].SetInParent()  # a Value with no kind
    with raises(INVALID, "MODEL_RUN_INFO_INVALID_VALUE", "model_run.info.unset"):
        call(owner, "CreateModelRun", request)


def test_depth_and_size_limits(owner, project_id):
    deepest = owner.create_model_run(project_id, nested(32))
    assert owner.get_model_run_info(deepest) == nested(32)
    with fails(driftline.InvalidArgumentError, "MODEL_RUN_INFO_TOO_DEEP"):  # the client's check
        owner.create_model_run(project_id, nested(33))
    with raises(INVALID, "MODEL_RUN_INFO_TOO_DEEP"):  # the server's, for any caller
        call(owner, "CreateModelRun", pb.CreateModelRunRequest(
            project_id=project_id, model_run=model_run_pb2.ModelRun(info=struct(nested(33)))))
    with raises(INVALID, "CONTAINS_TOO_DEEP"):  # the field names the deepest path
        call(owner, "ListModelRuns", pb.ListModelRunsRequest(
            project_id=project_id, contains=struct(nested(34))))
    arrays: list = [1]  # 31 levels of arrays below the top-level object
    for _ in range(30):
        arrays = [arrays]
    assert owner.get_model_run_info(owner.create_model_run(project_id, {"x": arrays})) == {
        "x": arrays}
    with raises(INVALID, "MODEL_RUN_INFO_TOO_DEEP"):  # arrays count as levels too
        call(owner, "CreateModelRun", pb.CreateModelRunRequest(
            project_id=project_id, model_run=model_run_pb2.ModelRun(info=struct({"x": [arrays]}))))
    limit = 1024 * 1024
    fits = {"blob": "x" * (limit - len('{"blob":""}'))}
    assert owner.get_model_run_info(owner.create_model_run(project_id, fits)) == fits
    with fails(driftline.InvalidArgumentError, "MODEL_RUN_INFO_TOO_LARGE", "model_run.info"):
        owner.create_model_run(project_id, {"blob": fits["blob"] + "x"})
    with fails(driftline.InvalidArgumentError, "MODEL_RUN_INFO_TOO_LARGE"):  # bytes, not characters
        owner.create_model_run(project_id, {"blob": "é" * (limit // 2)})


def test_bad_names_and_ids(owner, project_id):
    with fails(driftline.InvalidArgumentError, "MODEL_NAME_TOO_LONG", "model_run.model_name"):
        owner.create_model_run(project_id, {}, model_name="m" * 201)
    with fails(driftline.InvalidArgumentError, "MODEL_NAME_TOO_LONG", "model_name"):
        list(owner.get_model_runs(project_id, model_name="m" * 201))
    for bad in ("no-such-run", "", "x" * 500):
        with fails(driftline.NotFoundError, "MODEL_RUN_NOT_FOUND"):
            owner.get_model_run_by_id(bad)
        with fails(driftline.NotFoundError, "MODEL_RUN_NOT_FOUND"):
            owner.set_model_run_info(bad, {})
    for bad in ("no-such-project", ""):
        with fails(driftline.NotFoundError, "PROJECT_NOT_FOUND"):
            owner.create_model_run(bad, {})
        with fails(driftline.NotFoundError, "PROJECT_NOT_FOUND"):
            list(owner.search_model_runs(bad, {}))
