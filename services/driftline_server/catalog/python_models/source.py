"""Checking a Python model's definition without running any of it: the source parses, the
functions it names are defined at the top level with signatures Driftline can call, and the
package requirements parse as specifiers. Pure: no gRPC, no database, no import of user code.

How Driftline calls a model's functions (positional arguments, in this order):

- ``initialize(artifact)``: once per loaded version, with what ``train`` returned; its result
  is the state the predict functions get (optional: without it the state is the artifact);
- ``train(data, config, sample_weights)``: the training inputs (a pyarrow Table), the model's
  training configuration (a dict) and one weight per row or None; returns the artifact;
- ``predict(state, sample)``: one sample (a dict of column values) -> its prediction;
- ``predict_many(state, samples)``: a pyarrow Table -> one prediction per row (optional).

A function "fits" when a call with exactly that many positional arguments binds: enough
parameters (or ``*args``), no more required ones, and no keyword-only parameter without a
default. Functions must be plain ``def`` at the top level: a name bound any other way
(an assignment, an import, a class) cannot be checked without running the code.
"""

from __future__ import annotations

import ast
import keyword
from dataclasses import dataclass

# What each role is called with (the positional arguments' names, for messages).
ROLES = {
    "train": ("data", "config", "sample_weights"),
    "predict": ("state", "sample"),
    "predict_many": ("state", "samples"),
    "initialize": ("artifact",),
}
REQUIRED_ROLES = ("train", "predict")
MAX_SOURCE_BYTES = 1 << 20
MAX_REQUIREMENTS = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition: a stable code, the field it concerns, what is wrong
    (with the line and the function where there is one) and how to fix it."""

    code: str
    field: str
    message: str
    line: int = 0


def check_definition(source: str, functions: dict[str, str],
                     requirements: list[str]) -> list[Problem]:
    """Every problem of a Python model's definition ([] when it is usable).

    ``functions`` maps a role (train, predict, predict_many, initialize) to the name of the
    function in ``source`` that plays it; train and predict are required."""
    problems = check_functions_named(functions)
    problems += check_requirements(requirements)
    size = len(source.encode("utf-8"))
    if size > MAX_SOURCE_BYTES:
        return problems + [Problem("SOURCE_TOO_LARGE", "source_code",
                                   f"the source has {size} bytes; at most {MAX_SOURCE_BYTES} "
                                   "are allowed: keep data and weights out of the code")]
    if not source.strip():
        return problems + [Problem("SOURCE_EMPTY", "source_code",
                                   "the source is empty: define the model's functions in it")]
    try:
        tree = ast.parse(source, filename="<model>")
    except SyntaxError as error:
        where = f"line {error.lineno}" + (f", column {error.offset}" if error.offset else "")
        return problems + [Problem("SOURCE_SYNTAX_ERROR", "source_code",
                                   f"{where}: {error.msg}", error.lineno or 0)]
    defined = _top_level(tree)
    for role, name in functions.items():
        if role not in ROLES or not name or not name.isidentifier():
            continue  # reported by check_functions_named
        problems += _check_function(role, name, defined.get(name))
    return problems


def check_functions_named(functions: dict[str, str]) -> list[Problem]:
    problems = []
    for role in functions:
        if role not in ROLES:
            problems.append(Problem("FUNCTION_ROLE_UNKNOWN", f"functions.{role}",
                                    f"'{role}' is not a role: use {', '.join(ROLES)}"))
    for role in REQUIRED_ROLES:
        if not functions.get(role):
            problems.append(Problem("FUNCTION_NAME_REQUIRED", f"{role}_function_name",
                                    f"name the function that plays '{role}'"))
    for role, name in functions.items():
        if role in ROLES and name and (not name.isidentifier() or keyword.iskeyword(name)):
            problems.append(Problem("FUNCTION_NAME_INVALID", f"{role}_function_name",
                                    f"'{name}' is not a Python identifier"))
    return problems


def _top_level(tree: ast.Module) -> dict[str, ast.AST]:
    """What each top-level name is bound to last (a def, or the statement binding it)."""
    bound: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        bound[name.id] = node
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound[(alias.asname or alias.name).split(".")[0]] = node
    return bound


def _check_function(role: str, name: str, node: ast.AST | None) -> list[Problem]:
    field = f"{role}_function_name"
    arguments = ROLES[role]
    if node is None:
        return [Problem("FUNCTION_NOT_FOUND", field,
                        f"no top-level function '{name}' in the source (the {role} function)")]
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.AsyncFunctionDef):
        return [Problem("FUNCTION_NOT_USABLE", field,
                        f"line {line}: '{name}' is async; the {role} function must be a plain "
                        "def", line)]
    if not isinstance(node, ast.FunctionDef):
        return [Problem("FUNCTION_NOT_USABLE", field,
                        f"line {line}: '{name}' is not bound by a def at the top level, so it "
                        f"cannot be checked without running the code: define {role} with def",
                        line)]
    signature = node.args
    positional = signature.posonlyargs + signature.args
    required = len(positional) - len(signature.defaults)
    count = len(arguments)
    expected = f"{name}({', '.join(arguments)})"
    if required > count:
        extra = [a.arg for a in positional[count:required]]
        return [Problem("FUNCTION_SIGNATURE", field,
                        f"line {line}: {name} requires {required} arguments but Driftline "
                        f"calls {expected}: give {', '.join(extra)} a default or drop it", line)]
    if len(positional) < count and signature.vararg is None:
        return [Problem("FUNCTION_SIGNATURE", field,
                        f"line {line}: {name} takes {len(positional)} positional arguments but "
                        f"Driftline calls {expected}", line)]
    missing = [a.arg for a, default in zip(signature.kwonlyargs, signature.kw_defaults)
               if default is None]
    if missing:
        return [Problem("FUNCTION_SIGNATURE", field,
                        f"line {line}: {name} has keyword-only arguments without a default "
                        f"({', '.join(missing)}), which Driftline never passes", line)]
    return []


def check_requirements(requirements: list[str]) -> list[Problem]:
    """Each requirement must be a package specifier ("scikit-learn>=1.4,<2", "numpy",
    "pandas[parquet]==2.2.*; python_version >= '3.10'"). Direct URLs and paths are refused:
    environments are built from the package index only."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    problems = []
    if len(requirements) > MAX_REQUIREMENTS:
        return [Problem("REQUIREMENTS_TOO_MANY", "requirements",
                        f"{len(requirements)} requirements; at most {MAX_REQUIREMENTS}")]
    seen: dict[str, int] = {}
    for index, text in enumerate(requirements):
        field = f"requirements[{index}]"
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            problems.append(Problem("REQUIREMENT_INVALID", field,
                                    f"'{text}' is not a package specifier: {error}"))
            continue
        if requirement.url:
            problems.append(Problem("REQUIREMENT_URL_NOT_ALLOWED", field,
                                    f"'{text}' points at a URL or a path; name a package of the "
                                    "index with a version specifier instead"))
            continue
        name = canonicalize_name(requirement.name)
        if name in seen:
            problems.append(Problem("REQUIREMENT_DUPLICATE", field,
                                    f"{requirement.name} is already required by "
                                    f"requirements[{seen[name]}]: merge the two"))
        seen.setdefault(name, index)
    return problems
