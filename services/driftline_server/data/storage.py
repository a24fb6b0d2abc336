"""Where batches live: a storage root reached through pyarrow's filesystem layer.

Layout under the root (a local folder by default, any pyarrow filesystem URI such as
``s3://bucket/prefix`` at scale):

    staging/<batch_id>/<n>.<ext>          the parts of an upload, as received
    tasks/<task_id>/<batch_id>.parquet    a committed batch of a task
    kpis/<kpi_id>/<batch_id>.parquet      a committed batch of a KPI

The ingestion job writes ``<final>.partial`` and the commit renames it to the final name, so a
final name only ever holds a whole file. The paths are derived from the batch alone, so the server
and the ingestion job (possibly on another machine) agree on them without passing them around.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

import pyarrow.fs as pafs

_EXTENSIONS = {"ARROW_IPC_STREAM": "arrows", "PARQUET": "parquet", "CSV": "csv"}


@lru_cache(maxsize=16)
def _filesystem(uri: str) -> tuple[pafs.FileSystem, str]:
    if "://" not in uri:  # a plain folder
        return pafs.LocalFileSystem(), uri.rstrip("/")
    filesystem, path = pafs.FileSystem.from_uri(uri)
    return filesystem, path.rstrip("/")


@dataclass(frozen=True)
class BatchStorage:
    """The storage root of batches; ``root`` is a folder or a pyarrow filesystem URI."""

    root: str

    @property
    def filesystem(self) -> pafs.FileSystem:
        return _filesystem(self.root)[0]

    @property
    def base(self) -> str:
        return _filesystem(self.root)[1]

    def _path(self, *parts: str) -> str:
        return "/".join((self.base, *parts))

    # -- names -------------------------------------------------------------------------------

    def staging_folder(self, batch_id: str) -> str:
        return self._path("staging", batch_id)

    def staged_part(self, batch_id: str, index: int, data_format: str) -> str:
        return self._path("staging", batch_id, f"{index}.{_EXTENSIONS[data_format]}")

    def batch_file(self, batch_id: str, task_id: str | None, kpi_id: str | None) -> str:
        if task_id:
            return self._path("tasks", task_id, f"{batch_id}.parquet")
        return self._path("kpis", kpi_id or "unknown", f"{batch_id}.parquet")

    @staticmethod
    def partial(path: str) -> str:
        return path + ".partial"

    # -- operations --------------------------------------------------------------------------

    def make_folder(self, path: str) -> None:
        self.filesystem.create_dir(path, recursive=True)

    def open_output(self, path: str):
        parent = path.rsplit("/", 1)[0]
        self.make_folder(parent)
        return self.filesystem.open_output_stream(path)

    def size(self, path: str) -> int:
        return self.filesystem.get_file_info(path).size or 0

    def exists(self, path: str) -> bool:
        return self.filesystem.get_file_info(path).type is not pafs.FileType.NotFound

    def move(self, source: str, destination: str) -> None:
        """Replace ``destination`` with ``source`` (a rename on local disks)."""
        self.filesystem.move(source, destination)

    def delete_file(self, path: str) -> None:
        if self.exists(path):
            self.filesystem.delete_file(path)

    def delete_folder(self, path: str) -> None:
        if self.exists(path):
            self.filesystem.delete_dir(path)

    def staged_batches(self) -> list[tuple[str, float]]:
        """(batch id, seconds since the folder last changed) of every staging folder."""
        staging = self._path("staging")
        if not self.exists(staging):
            return []
        now = time.time()
        found = []
        for info in self.filesystem.get_file_info(pafs.FileSelector(staging)):
            if info.type is pafs.FileType.Directory:
                changed = self._last_change(info)
                found.append((info.base_name, now - changed if changed else 0.0))
        return found

    def _last_change(self, folder: pafs.FileInfo) -> float | None:
        """The newest modification time inside a staging folder (an upload writes its files)."""
        newest = folder.mtime.timestamp() if folder.mtime else None
        for info in self.filesystem.get_file_info(pafs.FileSelector(folder.path)):
            if info.mtime is not None:
                stamp = info.mtime.timestamp()
                newest = stamp if newest is None else max(newest, stamp)
        return newest
