"""Python models' environments: built once per set of requirements (in any order), reused,
seeing their own packages before the server's, and a requirement pip cannot install failing
with pip's own words. Installs a small package from the package index."""

from __future__ import annotations

import textwrap

import pyarrow as pa
import pytest

from driftline_server.catalog.python_models.environments import (
    EnvironmentBuildFailed,
    digest_of,
    environment_for,
)
from driftline_server.catalog.python_models.sandbox import Limits, predict, train

LIMITS = Limits(memory_bytes=1 << 30, cpu_seconds=30, wall_seconds=60)


def test_the_digest_ignores_order_and_spacing():
    assert digest_of(["six==1.16.0", "idna>=3"]) == digest_of(["idna >= 3", "six == 1.16.0"])
    assert digest_of(["six==1.16.0"]) != digest_of(["six==1.17.0"])


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return tmp_path_factory.mktemp("environments")


def test_an_environment_is_built_once_and_its_own_packages_come_first(root):
    first = environment_for(["six==1.16.0"], root)
    again = environment_for(["six == 1.16.0"], root)
    assert first.built and not again.built and first.python == again.python
    source = textwrap.dedent('''
        def fit(data, config, sample_weights):
            import six, pyarrow  # six from the environment, pyarrow from the server's
            return six.__version__

        def version(state, sample):
            return state
    ''')
    data = pa.table({"x": [1.0]})
    trained = train(source, "fit", data, {}, None, LIMITS, python=first.python)
    assert trained.ok, trained
    found = predict(source, "version", trained.artifact, data, LIMITS, many=False,
                    python=first.python)
    assert found.ok and found.predictions == ["1.16.0"], found
    # No build folder is left beside it (only the lock that serialises builds).
    assert [p.name for p in root.iterdir() if p.name.startswith(first.digest + ".")] == [
        f"{first.digest}.lock"]


def test_a_requirement_pip_cannot_install_fails_with_what_pip_said(root):
    with pytest.raises(EnvironmentBuildFailed) as failed:
        environment_for(["driftline-no-such-package-anywhere==0.0.1"], root, timeout=300)
    assert "driftline-no-such-package-anywhere" in failed.value.output
    digest = digest_of(["driftline-no-such-package-anywhere==0.0.1"])
    assert not (root / digest).exists()  # nothing half-built is left to be reused
