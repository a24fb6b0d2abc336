"""Serving predictions of trained Python model versions: each version loaded once into a
sandboxed process of its own (serving.LoadedModel: initialize runs once, then the process
answers requests), at most MAX_LOADED at a time (the least recently used is closed), all closed
when the server stops. The user's code never runs in the server's process.

Loading reads the version's artifact from the storage beside the task's batches and the
environment its requirements built (building it when this machine has not yet).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from pathlib import Path

from driftline_server.catalog.models import PythonModelVersionRow
from driftline_server.catalog.python_models import environments
from driftline_server.catalog.python_models.definitions import limits_of
from driftline_server.catalog.python_models.sandbox import Outcome
from driftline_server.catalog.python_models.serving import LoadedModel
from driftline_server.platform.errors import DataLoss, FailedPrecondition
from driftline_server.platform.logging import get_logger

_log = get_logger("driftline.catalog.predictions")

MAX_LOADED = 8


class ModelServer:
    """The loaded versions of one server process."""

    def __init__(self, storage, environments_root: Path, max_loaded: int = MAX_LOADED):
        self._storage = storage  # data.storage.BatchStorage of the suite's root
        self._environments_root = environments_root
        self._max_loaded = max_loaded
        self._loaded: OrderedDict[str, LoadedModel] = OrderedDict()
        self._lock = threading.Lock()  # the loaded versions, between request threads
        self._loading: dict[str, asyncio.Lock] = {}

    async def predict(self, version: PythonModelVersionRow, data, *, many: bool) -> list:
        """The predictions of ``data``'s rows by a COMPLETE version: predict_many once when
        ``many`` and the model has it, else predict per row. A failure of the model's code is
        FAILED_PRECONDITION MODEL_CODE_FAILED saying how it failed."""
        functions = version.definition["functions"]
        function = functions.get("predict_many") if many else None
        loaded = await self._loaded_version(version)
        outcome = await asyncio.to_thread(loaded.predict, function or functions["predict"],
                                          data, many=function is not None)
        if not outcome.ok:
            raise _code_failed(version, outcome)
        return outcome.predictions

    async def _loaded_version(self, version: PythonModelVersionRow) -> LoadedModel:
        with self._lock:
            found = self._loaded.get(version.model_id)
            if found is not None:
                self._loaded.move_to_end(version.model_id)
                return found
        # One load per version at a time: concurrent first requests wait for the same one.
        lock = self._loading.setdefault(version.model_id, asyncio.Lock())
        async with lock:
            with self._lock:
                if version.model_id in self._loaded:
                    return self._loaded[version.model_id]
            loaded = await asyncio.to_thread(self._load, version)
            with self._lock:
                self._loaded[version.model_id] = loaded
                evicted = []
                while len(self._loaded) > self._max_loaded:
                    evicted.append(self._loaded.popitem(last=False)[1])
        self._loading.pop(version.model_id, None)
        for old in evicted:
            await asyncio.to_thread(old.close)
        return loaded

    def _load(self, version: PythonModelVersionRow) -> LoadedModel:
        kept = version.definition
        try:
            with self._storage.filesystem.open_input_stream(version.artifact_path) as source:
                artifact = source.read()
        except FileNotFoundError:
            raise DataLoss(
                reason="MODEL_ARTIFACT_MISSING",
                message=f"the artifact of model version '{version.model_id}' is missing from "
                        f"the storage ({version.artifact_path}): replicas and workers must "
                        "share DRIFTLINE_DATA_STORAGE; train the model again",
                metadata={"model_id": version.model_id}) from None
        try:
            environment = environments.environment_for(kept["package_requirements"],
                                                       self._environments_root)
        except environments.EnvironmentBuildFailed as problem:
            raise FailedPrecondition(
                reason="MODEL_ENVIRONMENT_FAILED",
                message=f"the environment of model version '{version.model_id}' could not be "
                        f"built on this server: {problem}\n{problem.output[-1000:]}",
                metadata={"model_id": version.model_id}) from None
        _log.info("python_model_loaded", model_id=version.model_id,
                  environment=environment.digest)
        return LoadedModel(kept["source_code"], artifact, limits_of(kept, "prediction"),
                           initialize=kept["functions"].get("initialize", ""),
                           python=environment.python,
                           concurrent=kept["is_thread_safe"])

    async def close(self) -> None:
        with self._lock:
            loaded, self._loaded = list(self._loaded.values()), OrderedDict()
        for model in loaded:
            await asyncio.to_thread(model.close)


def _code_failed(version: PythonModelVersionRow, outcome: Outcome) -> FailedPrecondition:
    tail = outcome.output_tail.strip()
    return FailedPrecondition(
        reason="MODEL_CODE_FAILED",
        message=f"model version '{version.model_id}' failed ({outcome.kind}): {outcome.message}"
                + (f"\n{tail[-1500:]}" if tail else ""),
        metadata={"model_id": version.model_id, "failure": outcome.kind})
