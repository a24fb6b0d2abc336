"""A Python model's definition checked without running it: syntax errors with their line,
missing and unusable functions named with their line, signatures Driftline cannot call, and
requirements that are not package specifiers."""

from __future__ import annotations

import textwrap

import pytest

from driftline_server.catalog.python_models.source import check_definition

GOOD = textwrap.dedent('''
    import numpy as np

    def fit(data, config, sample_weights=None):
        return {"mean": 1.0}

    def setup(artifact):
        return artifact

    def one(state, sample):
        return state["mean"]

    def many(state, samples, *, batch_size=256):
        return [state["mean"]] * samples.num_rows
''')
ROLES = {"train": "fit", "predict": "one", "predict_many": "many", "initialize": "setup"}


def codes(problems) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in problems]


def test_a_usable_definition_has_no_problem():
    requirements = ["numpy>=1.26,<3", "scikit-learn==1.5.*",
                    "pandas[parquet]>=2.2; python_version >= '3.10'"]
    assert check_definition(GOOD, ROLES, requirements) == []


def test_a_syntax_error_names_its_line_and_column():
    (problem,) = check_definition("def fit(data, config, w):\n    return (\n", ROLES, [])
    assert problem.code == "SOURCE_SYNTAX_ERROR" and problem.field == "source_code"
    assert problem.line == 2 and problem.message.startswith("line 2"), problem


def test_functions_missing_or_not_defs_are_named_with_their_line():
    source = textwrap.dedent('''
        import pickle as one
        async def fit(data, config, sample_weights):
            return 1
        class many:
            pass
        setup = lambda artifact: artifact
    ''')
    found = {p.field: p for p in check_definition(source, dict(ROLES, predict="absent"), [])}
    assert found["train_function_name"].code == "FUNCTION_NOT_USABLE"
    assert "line 3" in found["train_function_name"].message and "async" in \
        found["train_function_name"].message
    assert found["predict_function_name"].code == "FUNCTION_NOT_FOUND"
    assert "'absent'" in found["predict_function_name"].message
    assert found["predict_many_function_name"].line == 5
    assert found["initialize_function_name"].code == "FUNCTION_NOT_USABLE"
    assert found["initialize_function_name"].line == 7


@pytest.mark.parametrize("definition, fits", [
    ("def fit(data, config, sample_weights): pass", True),
    ("def fit(*args): pass", True),
    ("def fit(data, /, config, sample_weights=None, extra=1): pass", True),
    ("def fit(data, *rest, verbose=False): pass", True),
    ("def fit(data, config): pass", False),  # the weights have nowhere to go
    ("def fit(data, config, sample_weights, epochs): pass", False),  # epochs never passed
    ("def fit(data, config, sample_weights, *, seed): pass", False),  # nor seed
])
def test_train_must_take_exactly_what_driftline_passes(definition, fits):
    source = definition + "\ndef one(state, sample): pass\n"
    problems = check_definition(source, {"train": "fit", "predict": "one"}, [])
    assert (problems == []) == fits, problems
    if not fits:
        assert problems[0].code == "FUNCTION_SIGNATURE" and problems[0].line == 1
        assert "fit(data, config, sample_weights)" in problems[0].message or \
            "keyword-only" in problems[0].message


def test_train_and_predict_are_required_and_names_must_be_identifiers():
    problems = codes(check_definition(GOOD, {"predict_many": "many", "initialize": "not ok",
                                             "score": "fit"}, []))
    assert ("FUNCTION_NAME_REQUIRED", "train_function_name") in problems
    assert ("FUNCTION_NAME_REQUIRED", "predict_function_name") in problems
    assert ("FUNCTION_NAME_INVALID", "initialize_function_name") in problems
    assert ("FUNCTION_ROLE_UNKNOWN", "functions.score") in problems


@pytest.mark.parametrize("requirement, code", [
    ("numpy>=>1", "REQUIREMENT_INVALID"),
    ("scikit learn", "REQUIREMENT_INVALID"),
    ("torch @ https://example.com/torch.whl", "REQUIREMENT_URL_NOT_ALLOWED"),
    ("Scikit_Learn", "REQUIREMENT_DUPLICATE"),  # the same project as scikit-learn
])
def test_requirements_must_be_package_specifiers(requirement, code):
    problems = check_definition(GOOD, ROLES, ["scikit-learn>=1.4", requirement])
    assert codes(problems) == [(code, "requirements[1]")], problems
    assert requirement.split()[0].split("@")[0].strip() in problems[0].message


def test_empty_and_oversized_sources_are_refused():
    assert codes(check_definition("  \n", ROLES, [])) == [("SOURCE_EMPTY", "source_code")]
    huge = GOOD + "#" + "x" * (1 << 20)
    assert codes(check_definition(huge, ROLES, [])) == [("SOURCE_TOO_LARGE", "source_code")]


def test_nothing_of_the_source_runs():
    source = GOOD + "\nraise SystemExit('ran')\nimport os\nos._exit(3)\n"
    assert check_definition(source, ROLES, []) == []
