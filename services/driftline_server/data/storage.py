"""Where batches live: a storage root reached through pyarrow's filesystem layer.

Layout under the root (a local folder by default, any pyarrow filesystem URI such as
``s3://bucket/prefix`` at scale):

    staging/<batch_id>/<n>.<ext>          the parts of an upload, as received
    tasks/<task_id>/<batch_id>.parquet    a committed batch of a task
    kpis/<kpi_id>/<batch_id>.parquet      a committed batch of a KPI
    models/<task_id>/<model_id>.artifact  a trained Python model version (Catalog's)

The ingestion job writes ``<final>.partial`` and the commit renames it to the final name, so a
final name only ever holds a whole file. The paths are derived from the batch alone, so the server
and the ingestion job (possibly on another machine) agree on them without passing them around.

A CUSTOMER project's batches live in its own bucket instead (the project's data_storage_uri): a
BatchStorage with ``s3`` access built from the project's integration credentials, which Identity
hands out at run time. Uploads are still staged under the server's root; only the committed
Parquet (and its ``.partial``) goes to the customer's bucket.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlparse

import pyarrow.fs as pafs

_EXTENSIONS = {"ARROW_IPC_STREAM": "arrows", "PARQUET": "parquet", "CSV": "csv"}
# Object stores have no folders: a key's "parents" need not be made, and making them writes
# empty marker objects into the bucket.
_OBJECT_STORES = frozenset({"s3", "gcs"})
# The AWS SDK's names (pyarrow's "AWS Error <NAME> during ...") of answers that another try with
# the same credentials cannot change: wrong or expired keys, no permission, no such bucket.
_REFUSALS = ("ACCESS_DENIED", "SIGNATURE_DOES_NOT_MATCH", "INVALID_ACCESS_KEY_ID",
             "INVALID_CLIENT_TOKEN_ID", "UNRECOGNIZED_CLIENT", "EXPIRED_TOKEN", "NO_SUCH_BUCKET",
             "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "NoSuchBucket")
# S3-compatible services accept any region in the signature; naming one keeps the AWS SDK from
# looking for it (environment, profile, then the EC2 metadata service, which can take seconds).
_COMPATIBLE_REGION = "us-east-1"


@dataclass(frozen=True)
class S3Access:
    """How to reach a project's own S3 (or S3-compatible) bucket: an access key, possibly with
    the endpoint of an S3-compatible service, or an IAM role that the server's own AWS identity
    assumes (with the external id the role's trust policy requires). The secret stays out of
    ``repr``."""

    access_key: str = ""
    secret_key: str = field(default="", repr=False)
    endpoint_override: str = ""  # host[:port]; empty for AWS itself
    scheme: str = "https"
    role_arn: str = ""
    external_id: str = ""

    @classmethod
    def from_credentials(cls, credentials) -> S3Access:
        """From Identity's StorageCredentials (identity.common)."""
        if credentials.role_arn:
            return cls(role_arn=credentials.role_arn, external_id=credentials.external_id)
        scheme, endpoint = "https", ""
        if credentials.endpoint_url:
            parsed = urlparse(credentials.endpoint_url)
            scheme, endpoint = parsed.scheme or "https", parsed.netloc
        return cls(access_key=credentials.access_key_id,
                   secret_key=credentials.secret_access_key,
                   endpoint_override=endpoint, scheme=scheme)

    def filesystem(self, bucket: str) -> pafs.S3FileSystem:
        options: dict = {"scheme": self.scheme}
        if self.endpoint_override:
            options.update(endpoint_override=self.endpoint_override, region=_COMPATIBLE_REGION)
        else:
            options["region"] = _bucket_region(bucket)
        if self.role_arn:
            options.update(role_arn=self.role_arn, external_id=self.external_id or None,
                           session_name="driftline")
        else:
            options.update(access_key=self.access_key, secret_key=self.secret_key)
        return pafs.S3FileSystem(**options)


def _bucket_region(bucket: str) -> str:
    """The AWS region of a bucket (one anonymous request), us-east-1 when it cannot be told."""
    try:
        return pafs.resolve_s3_region(bucket)
    except (OSError, ValueError):
        return _COMPATIBLE_REGION


def _s3_path(uri: str) -> str:
    """``s3://bucket/prefix?options`` -> ``bucket/prefix``, as pyarrow's S3 paths go."""
    parsed = urlparse(uri)
    return (parsed.netloc + parsed.path).rstrip("/")


@lru_cache(maxsize=64)
def _filesystem(uri: str, s3: S3Access | None = None) -> tuple[pafs.FileSystem, str]:
    if "://" not in uri:  # a plain folder
        return pafs.LocalFileSystem(), uri.rstrip("/")
    if s3 is not None:
        path = _s3_path(uri)
        return s3.filesystem(path.split("/", 1)[0]), path
    filesystem, path = pafs.FileSystem.from_uri(uri)
    return filesystem, path.rstrip("/")


def refused_access(error: BaseException) -> bool:
    """Whether a storage error is a refusal that retrying with the same credentials cannot
    change (wrong key or secret, no permission, no such bucket), rather than a passing outage."""
    text = str(error)
    return isinstance(error, OSError) and any(name in text for name in _REFUSALS)


@dataclass(frozen=True)
class BatchStorage:
    """The storage root of batches; ``root`` is a folder or a pyarrow filesystem URI, and ``s3``
    the credentials of an ``s3://`` root (None: pyarrow finds them in the environment)."""

    root: str
    s3: S3Access | None = None

    @property
    def filesystem(self) -> pafs.FileSystem:
        return _filesystem(self.root, self.s3)[0]

    @property
    def base(self) -> str:
        if self.root.startswith("s3://"):  # known without building the filesystem
            return _s3_path(self.root)
        return _filesystem(self.root, self.s3)[1]

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

    def model_artifact(self, task_id: str, model_id: str) -> str:
        return self._path("models", task_id, f"{model_id}.artifact")

    def report_samples(self, task_id: str, report_id: str) -> str:
        """A task report's per-sample table (monitoring/reports)."""
        return self._path("reports", task_id, f"{report_id}.parquet")

    @staticmethod
    def partial(path: str) -> str:
        return path + ".partial"

    # -- operations --------------------------------------------------------------------------

    def make_folder(self, path: str) -> None:
        if self.filesystem.type_name in _OBJECT_STORES:
            return
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
        """Replace ``destination`` with ``source`` (a rename on local disks, a copy and a delete
        on object stores: the final name appears whole either way)."""
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


# -- several storages as one filesystem --------------------------------------------------------


class _Routed(pafs.FileSystemHandler):
    """A pyarrow filesystem whose every path goes to the filesystem ``route`` picks for it (with
    the path that filesystem knows it by). Files are opened by the chosen filesystem itself, so
    reading and writing them costs what it costs there."""

    def __init__(self, route: Callable[[str], tuple[pafs.FileSystem, str]]):
        self._route = route

    def __eq__(self, other) -> bool:
        return self is other

    def __ne__(self, other) -> bool:
        return self is not other

    def get_type_name(self) -> str:
        return "driftline-routed"

    def normalize_path(self, path: str) -> str:
        return path

    def get_file_info(self, paths):
        infos = []
        for path in paths:
            filesystem, real = self._route(path)
            info = filesystem.get_file_info(real)
            infos.append(pafs.FileInfo(path, info.type, mtime=info.mtime, size=info.size))
        return infos

    def get_file_info_selector(self, selector):
        filesystem, real = self._route(selector.base_dir)
        return filesystem.get_file_info(pafs.FileSelector(
            real, allow_not_found=selector.allow_not_found, recursive=selector.recursive))

    def create_dir(self, path, recursive):
        filesystem, real = self._route(path)
        filesystem.create_dir(real, recursive=recursive)

    def delete_dir(self, path):
        filesystem, real = self._route(path)
        filesystem.delete_dir(real)

    def delete_dir_contents(self, path, missing_dir_ok=False):
        filesystem, real = self._route(path)
        filesystem.delete_dir_contents(real, missing_dir_ok=missing_dir_ok)

    def delete_root_dir_contents(self):
        raise OSError("a routed filesystem has no root of its own")

    def delete_file(self, path):
        filesystem, real = self._route(path)
        filesystem.delete_file(real)

    def _same(self, source: str, destination: str):
        (first, source), (second, destination) = self._route(source), self._route(destination)
        if first is not second:
            raise OSError(f"cannot move or copy '{source}' to another storage")
        return first, source, destination

    def move(self, src, dest):
        filesystem, src, dest = self._same(src, dest)
        filesystem.move(src, dest)

    def copy_file(self, src, dest):
        filesystem, src, dest = self._same(src, dest)
        filesystem.copy_file(src, dest)

    def open_input_stream(self, path):
        filesystem, real = self._route(path)
        return filesystem.open_input_stream(real)

    def open_input_file(self, path):
        filesystem, real = self._route(path)
        return filesystem.open_input_file(real)

    def open_output_stream(self, path, metadata):
        filesystem, real = self._route(path)
        return filesystem.open_output_stream(real, metadata=metadata)

    def open_append_stream(self, path, metadata):
        filesystem, real = self._route(path)
        return filesystem.open_append_stream(real, metadata=metadata)


def ingestion_filesystem(staging: BatchStorage, batch: BatchStorage,
                         output_path: str) -> pafs.FileSystem:
    """One filesystem for the ingestion of a batch kept elsewhere than its staged parts: the
    output file (``output_path``) in ``batch``'s storage, every other path (the staged parts)
    in ``staging``."""
    if staging == batch:
        return staging.filesystem

    def route(path: str) -> tuple[pafs.FileSystem, str]:
        return (batch.filesystem if path == output_path else staging.filesystem), path

    return pafs.PyFileSystem(_Routed(route))


class StorageSet:
    """Batches of several storages read as if they were in one (reading's ``storage``
    argument): ``path(storage, path)`` names a file of one of them in the set's filesystem."""

    def __init__(self, storages: list[BatchStorage]):
        self._storages = list(dict.fromkeys(storages))
        self._index = {storage: index for index, storage in enumerate(self._storages)}
        self.filesystem = pafs.PyFileSystem(_Routed(self._route))

    def path(self, storage: BatchStorage, path: str) -> str:
        return f"@{self._index[storage]}/{path}"

    def _route(self, path: str) -> tuple[pafs.FileSystem, str]:
        tag, _, real = path.partition("/")
        try:
            return self._storages[int(tag.removeprefix("@"))].filesystem, real
        except (ValueError, IndexError):
            raise FileNotFoundError(f"'{path}' is in none of the storages read") from None

    def size(self, path: str) -> int:
        return self.filesystem.get_file_info(path).size or 0

    def exists(self, path: str) -> bool:
        return self.filesystem.get_file_info(path).type is not pafs.FileType.NotFound
