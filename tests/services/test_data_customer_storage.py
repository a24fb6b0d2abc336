"""A CUSTOMER project keeps its batches in its own S3 bucket (the project's data_storage_uri),
reached with the project's default integration credentials, which the ingestion job and the
reads get from IdentityService at run time.

The bucket is moto's S3 server on loopback with signature checking on: an access key that IAM
knows works, a wrong secret is refused as AWS would refuse it.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import boto3
import grpc
import pyarrow.parquet as pq
import pytest
import requests
from moto.server import ThreadedMotoServer

import driftline
from conftest import unique
from data_helpers import failed_job, ids, inputs, make_task, problems_of, target
from driftline.data.v1 import batch_pb2
from driftline.identity.v1 import identity_service_pb2 as ipb, identity_service_pb2_grpc
from driftline.identity.v1 import integration_credentials_pb2 as cpb
from harness import fails

BUCKET = "acme-ml"


@dataclass
class S3:
    endpoint: str
    access_key_id: str
    secret_access_key: str
    client: object  # boto3's S3 client, signed with the working key

    def keys(self, prefix: str) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def table(self, key: str):
        body = self.client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        return pq.read_table(io.BytesIO(body))


@pytest.fixture(scope="module")
def s3():
    """moto's S3 on a loopback port, a bucket, and an IAM user whose access key may use it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    region = dict(endpoint_url=endpoint, region_name="us-east-1")
    try:
        # Set up with authentication off (moto's default), then turn it on for the tests.
        iam = boto3.client("iam", aws_access_key_id="setup", aws_secret_access_key="setup",
                           **region)
        iam.create_user(UserName="driftline")
        iam.put_user_policy(UserName="driftline", PolicyName="bucket", PolicyDocument=json.dumps(
            {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="driftline")["AccessKey"]
        client = boto3.client("s3", aws_access_key_id=key["AccessKeyId"],
                              aws_secret_access_key=key["SecretAccessKey"], **region)
        client.create_bucket(Bucket=BUCKET)
        requests.post(f"{endpoint}/moto-api/reset-auth", data=b"0", timeout=10).raise_for_status()
        yield S3(endpoint, key["AccessKeyId"], key["SecretAccessKey"], client)
    finally:
        requests.post(f"{endpoint}/moto-api/reset-auth", data=b"inf", timeout=10)
        server.stop()


def customer_project(client: driftline.Client, prefix: str | None = None) -> tuple[str, str]:
    """A CUSTOMER project stored under s3://acme-ml/<prefix>; returns (project id, prefix)."""
    prefix = prefix or f"driftline/{unique('p')}"
    project_id = client.create_project(unique("customer"), "kept in our bucket", "CUSTOMER",
                                       data_storage_uri=f"s3://{BUCKET}/{prefix}/")
    return project_id, prefix


def give_access(client: driftline.Client, project_id: str, s3: S3, secret: str | None = None,
                default: bool = True):
    return client.create_aws_compatible_integration_credentials(
        "moto", default, project_id, s3.access_key_id, secret or s3.secret_access_key,
        s3.endpoint)


def local_files(server, owner_id: str) -> list:
    """The files the server keeps in its own folder for a task or a KPI."""
    data = server.data_dir / "data"
    return sorted([*(data / "tasks" / owner_id).rglob("*"), *(data / "kpis" / owner_id).rglob("*")])


@pytest.fixture(scope="module")
def internal_identity(server):
    """IdentityService as Driftline's own services call it (the internal credential)."""
    channel = grpc.insecure_channel(server.address)
    token = (server.data_dir / "internal.token").read_text().strip()
    yield identity_service_pb2_grpc.IdentityServiceStub(channel), (
        ("authorization", f"Bearer {token}"),)
    channel.close()


# -- the walk: upload, ingest into the bucket, read back ------------------------------------------


def test_batches_of_a_customer_project_live_in_its_bucket(server, company, s3):
    owner = company.owner
    project_id, prefix = customer_project(owner)
    give_access(owner, project_id, s3)
    task = make_task(owner, project_id)
    samples = ids("own", 40)

    job_id = owner.add_historical_data(task.task_id, inputs(samples))
    owner.wait_job_completion(job_id, max_wait_timeout=120)
    batch = next(iter(owner.get_batches(task.task_id)))
    assert batch.state == batch_pb2.BATCH_STATE_COMMITTED and batch.row_count == 40

    key = f"{prefix}/tasks/{task.task_id}/{batch.batch_id}.parquet"
    stored = [k for k in s3.keys(prefix) if not k.endswith("/")]  # pyarrow's folder markers
    assert stored == [key]  # the committed file only: no .partial left behind
    assert sorted(s3.table(key)["sample_id"].to_pylist()) == samples
    assert local_files(server, task.task_id) == []  # nothing in the server's own folder
    assert not list((server.data_dir / "data" / "staging").glob(f"{batch.batch_id}*"))

    assert sorted(owner.read_batch(batch.batch_id)["sample_id"].to_pylist()) == samples
    read = owner.read_samples(task.task_id)
    assert read.num_rows == 40 and sorted(read["sample_id"].to_pylist()) == samples

    # Late targets go to the bucket too, and are joined to their samples on reading.
    job_id = owner.add_target_data(task.task_id, target(samples[:10], ["yes"] * 10))
    owner.wait_job_completion(job_id, max_wait_timeout=120)
    assert len([k for k in s3.keys(prefix) if k.endswith(".parquet")]) == 2
    labels = dict(zip(*owner.read_samples(task.task_id, columns=["sample_id", "label"])
                      .to_pydict().values()))
    assert [labels[sample] for sample in samples[:10]] == ["yes"] * 10
    assert all(labels[sample] is None for sample in samples[10:])
    assert local_files(server, task.task_id) == []


def test_kpi_batches_of_a_customer_project_live_in_its_bucket(server, company, s3):
    import pyarrow as pa

    owner = company.owner
    project_id, prefix = customer_project(owner)
    give_access(owner, project_id, s3)
    kpi_id = owner.create_kpi(project_id, "revenue")
    job_id = owner.add_kpi_data(project_id, kpi_id, pa.table(
        {"timestamp": [1_700_000_000.0 + i for i in range(5)], "value": [1.0] * 5}))
    owner.wait_job_completion(job_id, max_wait_timeout=120)
    batch = next(iter(owner.get_batches(project_id=project_id, kpi_id=kpi_id)))
    key = f"{prefix}/kpis/{kpi_id}/{batch.batch_id}.parquet"
    assert [k for k in s3.keys(prefix) if not k.endswith("/")] == [key]
    assert s3.table(key).num_rows == 5
    assert owner.read_batch(batch.batch_id)["value"].to_pylist() == [1.0] * 5
    assert local_files(server, kpi_id) == []


def test_a_project_that_moves_to_its_own_bucket_reads_both_storages(server, company, s3):
    owner = company.owner
    project_id = owner.create_project(unique("moving"), "starts in Driftline's storage")
    task = make_task(owner, project_id)
    before, after = ids("before", 15), ids("after", 12)
    job_id = owner.add_historical_data(task.task_id, inputs(before))
    owner.wait_job_completion(job_id, max_wait_timeout=120)
    assert len(local_files(server, task.task_id)) == 1

    prefix = f"driftline/{unique('moved')}"
    give_access(owner, project_id, s3)
    owner.update_project(project_id, default_storage_policy="CUSTOMER",
                         data_storage_uri=f"s3://{BUCKET}/{prefix}")
    job_id = owner.add_production_data(task.task_id, inputs(after, start=1_800_000_000.0))
    owner.wait_job_completion(job_id, max_wait_timeout=120)
    # Targets of the samples kept by Driftline, stored in the bucket, joined across the two.
    job_id = owner.add_target_data(task.task_id, target(before[:5], ["yes"] * 5))
    owner.wait_job_completion(job_id, max_wait_timeout=120)
    assert len([k for k in s3.keys(prefix) if k.endswith(".parquet")]) == 2

    read = owner.read_samples(task.task_id, columns=["sample_id", "label"]).to_pydict()
    assert sorted(read["sample_id"]) == sorted(before + after)
    labels = dict(zip(read["sample_id"], read["label"]))
    assert [labels[sample] for sample in before[:5]] == ["yes"] * 5
    assert labels[after[0]] is None
    first = next(iter(owner.get_batches(task.task_id, kinds="HISTORICAL")))
    assert owner.read_batch(first.batch_id).num_rows == 15  # still read from the server's folder


# -- refusals -----------------------------------------------------------------------------------


def test_a_wrong_secret_fails_the_ingestion_and_the_batch(server, company, s3):
    owner = company.owner
    project_id, prefix = customer_project(owner)
    wrong = "not-the-secret-" + "x" * 24
    credentials = give_access(owner, project_id, s3, secret=wrong)
    task = make_task(owner, project_id)

    job = failed_job(owner, owner.add_historical_data(task.task_id, inputs(ids("wrong", 20))))
    assert job.error.reason == "BATCH_STORAGE_REFUSED"
    assert f"s3://{BUCKET}/{prefix}" in job.error.message
    assert credentials.credentials_id in job.error.message
    assert "refused access" in job.error.message
    assert "SIGNATURE_DOES_NOT_MATCH" in job.error.message or \
        "ACCESS_DENIED" in job.error.message
    batch = next(iter(owner.get_batches(task.task_id)))
    assert batch.state == batch_pb2.BATCH_STATE_FAILED
    assert batch.failure_message == job.error.message
    assert s3.keys(prefix) == []  # nothing reached the bucket
    assert local_files(server, task.task_id) == []
    assert not (server.data_dir / "data" / "staging" / batch.batch_id).exists()
    with fails(driftline.FailedPreconditionError, "BATCH_NOT_COMMITTED"):
        owner.read_batch(batch.batch_id)
    # Neither secret ever reaches the server's log.
    log = server.log_path.read_text()
    assert wrong not in log and s3.secret_access_key not in log


def test_a_batch_refused_by_validation_leaves_nothing_in_the_bucket(server, company, s3):
    from driftline_server.data.ingestion import ROW_GROUP_ROWS

    owner = company.owner
    project_id, prefix = customer_project(owner)
    give_access(owner, project_id, s3)
    task = make_task(owner, project_id)
    # Past the first row group, so that a .partial file was written before the verdict.
    samples = ids("dup", ROW_GROUP_ROWS + 1000)
    samples[-1] = samples[0]
    job = failed_job(owner, owner.add_historical_data(task.task_id, inputs(samples)))
    assert job.error.reason == "BATCH_INVALID" and "DUPLICATE_SAMPLE_ID" in problems_of(job)
    assert next(iter(owner.get_batches(task.task_id))).state == batch_pb2.BATCH_STATE_FAILED
    # pyarrow may leave an empty folder marker ("<prefix>/tasks/<task>/"), never a file.
    assert [k for k in s3.keys(prefix) if not k.endswith("/")] == []


def test_a_customer_project_without_a_storage_uri_is_refused_at_upload(company):
    owner = company.owner
    project_id = owner.create_project(unique("no-uri"), "customer storage, nowhere said",
                                      "CUSTOMER")
    task = make_task(owner, project_id)
    with fails(driftline.FailedPreconditionError, "DATA_STORAGE_URI_REQUIRED") as caught:
        owner.add_historical_data(task.task_id, inputs(ids("nouri", 5)))
    assert "data_storage_uri" in caught.value.error_message
    assert list(owner.get_batches(task.task_id)) == []


def test_a_customer_project_without_credentials_is_refused_at_upload(company, s3):
    owner = company.owner
    project_id, prefix = customer_project(owner)
    task = make_task(owner, project_id)
    with fails(driftline.FailedPreconditionError, "STORAGE_CREDENTIALS_REQUIRED") as caught:
        owner.add_historical_data(task.task_id, inputs(ids("nocreds", 5)))
    assert f"s3://{BUCKET}/{prefix}" in caught.value.error_message
    assert "AWS_COMPATIBLE" in caught.value.error_message

    # Credentials that are not the project's default do not count either...
    credentials = give_access(owner, project_id, s3, default=False)
    with fails(driftline.FailedPreconditionError, "STORAGE_CREDENTIALS_REQUIRED"):
        owner.add_historical_data(task.task_id, inputs(ids("nocreds", 5)))
    assert list(owner.get_batches(task.task_id)) == []
    # ...until they are made the default: then the upload goes through.
    owner.set_integration_credentials_as_default(credentials.credentials_id)
    job_id = owner.add_historical_data(task.task_id, inputs(ids("nocreds", 5)))
    owner.wait_job_completion(job_id, max_wait_timeout=120)
    assert [k for k in s3.keys(prefix) if k.endswith(".parquet")]


# -- Identity's internal RPC ----------------------------------------------------------------------


def test_resolve_storage_credentials_prefers_aws_compatible(company, internal_identity, s3):
    stub, metadata = internal_identity
    owner = company.owner
    project_id = owner.create_project(unique("resolve"), "both kinds of credentials")
    request = ipb.ResolveStorageCredentialsRequest(project_id=project_id)
    with pytest.raises(grpc.RpcError) as caught:
        stub.ResolveStorageCredentials(request, metadata=metadata)
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
    assert "AWS_COMPATIBLE or AWS" in caught.value.details()

    role = owner.create_aws_integration_credentials(
        "role", True, project_id, "arn:aws:iam::123456789012:role/driftline")
    resolved = stub.ResolveStorageCredentials(request, metadata=metadata)
    assert resolved.type == cpb.EXTERNAL_INTEGRATION_AWS
    assert resolved.credentials_id == role.credentials_id
    assert resolved.aws_role.role_arn == "arn:aws:iam::123456789012:role/driftline"
    assert resolved.aws_role.external_id == role.aws.external_id

    key = give_access(owner, project_id, s3)
    resolved = stub.ResolveStorageCredentials(request, metadata=metadata)
    assert resolved.type == cpb.EXTERNAL_INTEGRATION_AWS_COMPATIBLE
    assert resolved.credentials_id == key.credentials_id and resolved.name == "moto"

    assert resolved.access_key.access_key_id == s3.access_key_id
    assert resolved.access_key.secret_access_key == s3.secret_access_key  # decrypted
    assert resolved.access_key.endpoint_url == s3.endpoint


def test_resolve_storage_credentials_is_for_services_only(server, company):
    api_key = company.owner.create_api_key("resolver", "NEVER")
    with grpc.insecure_channel(server.address) as channel:
        stub = identity_service_pb2_grpc.IdentityServiceStub(channel)
        with pytest.raises(grpc.RpcError) as caught:
            stub.ResolveStorageCredentials(
                ipb.ResolveStorageCredentialsRequest(project_id="anything"),
                metadata=(("authorization", f"Bearer {api_key}"),))
    assert caught.value.code() is grpc.StatusCode.PERMISSION_DENIED


# -- Catalog: the project's data_storage_uri ---------------------------------------------------


@pytest.mark.parametrize("uri", [
    "gs://acme-ml/driftline",                # not S3
    "s3://",                                 # no bucket
    "s3://Acme-ML/driftline",                # upper case
    "s3://ab",                               # too short
    "s3://acme_ml",                          # underscore
    "s3://-acme",                            # must begin with a letter or digit
    "s3://192.168.1.10/x",                   # an IP address
    "s3://acme..ml",                         # consecutive dots
    "s3://acme-ml//driftline",               # empty folder name
    "s3://acme-ml/driftline/../other",       # '..'
    "s3://acme-ml/drift line",               # a blank
    "s3://acme-ml/driftline?region=eu-west-1",  # options are not a prefix
    "s3://" + "a" * 64,                      # a bucket name of more than 63 characters
])
def test_catalog_refuses_a_data_storage_uri_that_is_not_an_s3_location(company, uri):
    with fails(driftline.InvalidArgumentError, "DATA_STORAGE_URI_INVALID",
               "project.data_storage_uri"):
        company.owner.create_project(unique("bad-uri"), "", "CUSTOMER", data_storage_uri=uri)


def test_catalog_keeps_updates_and_clears_the_data_storage_uri(company):
    owner = company.owner
    project_id = owner.create_project(unique("uri"), "", "CUSTOMER",
                                      data_storage_uri="  s3://acme-ml/teams/risk/  ")
    project = owner.get_project(project_id)
    assert project.data_storage_uri == "s3://acme-ml/teams/risk"  # blanks and last '/' dropped
    owner.update_project(project_id, data_storage_uri="s3://other.bucket-2")
    assert owner.get_project(project_id).data_storage_uri == "s3://other.bucket-2"
    with fails(driftline.InvalidArgumentError, "DATA_STORAGE_URI_INVALID",
               "project.data_storage_uri"):
        owner.update_project(project_id, data_storage_uri="file:///tmp/x")
    assert owner.get_project(project_id).data_storage_uri == "s3://other.bucket-2"
    owner.update_project(project_id, description="unchanged uri")
    assert owner.get_project(project_id).data_storage_uri == "s3://other.bucket-2"
    owner.update_project(project_id, data_storage_uri="")
    assert owner.get_project(project_id).data_storage_uri is None
    with fails(driftline.InvalidArgumentError, "DATA_STORAGE_URI_TOO_LONG"):
        owner.update_project(project_id, data_storage_uri="s3://acme-ml/" + "p/" * 520)


# -- the pieces on their own --------------------------------------------------------------------


def test_storage_credentials_round_trip_and_never_show_their_secret():
    from driftline_server.data.storage import S3Access
    from driftline_server.identity import conversions as conv
    from driftline_server.identity.common import ExternalIntegration, StorageCredentials

    key = StorageCredentials("c1", "minio", ExternalIntegration.AWS_COMPATIBLE,
                             access_key_id="AKIA1", secret_access_key="s3cr3t-value",
                             endpoint_url="http://127.0.0.1:9000")
    role = StorageCredentials("c2", "role", ExternalIntegration.AWS,
                              role_arn="arn:aws:iam::123456789012:role/x", external_id="e1")
    for credentials in (key, role):
        assert conv.storage_credentials_from_pb(conv.storage_credentials_to_pb(credentials)) \
            == credentials
    access = S3Access.from_credentials(key)
    assert (access.endpoint_override, access.scheme, access.access_key) == \
        ("127.0.0.1:9000", "http", "AKIA1")
    assert "s3cr3t-value" not in repr(key) and "s3cr3t-value" not in repr(access)
    assert S3Access.from_credentials(role).role_arn == role.role_arn


def test_storage_refusals_are_told_from_passing_outages():
    from driftline_server.data.storage import BatchStorage, refused_access

    assert refused_access(OSError("When getting information for key 'x' in bucket 'b': AWS "
                                  "Error ACCESS_DENIED during HeadObject operation"))
    assert refused_access(OSError("AWS Error SIGNATURE_DOES_NOT_MATCH during PutObject"))
    assert refused_access(OSError("AWS Error NO_SUCH_BUCKET during CreateMultipartUpload"))
    assert not refused_access(OSError("AWS Error NETWORK_CONNECTION during HeadObject: "
                                      "Could not connect to server"))
    assert not refused_access(ValueError("ACCESS_DENIED"))
    storage = BatchStorage("s3://acme-ml/driftline/?region=eu-west-1")
    assert storage.batch_file("b1", "t1", None) == "acme-ml/driftline/tasks/t1/b1.parquet"


def test_a_bucket_refusing_a_read_is_a_failed_precondition():
    from driftline_server.data.domain import Data, _storage_refusals
    from driftline_server.data.storage import BatchStorage
    from driftline_server.platform.errors import FailedPrecondition

    def pieces():
        yield b"schema"
        raise OSError("When reading 'k' in bucket 'acme-ml': AWS Error ACCESS_DENIED during "
                      "GetObject operation")

    data = Data(None, BatchStorage("/unused"), None, None)
    read = _storage_refusals(pieces(), data, "p1", "s3://acme-ml/driftline")
    assert next(read) == b"schema"
    with pytest.raises(FailedPrecondition) as caught:
        next(read)
    assert caught.value.reason == "STORAGE_ACCESS_REFUSED"
    assert "s3://acme-ml/driftline" in caught.value.message
    # Other storage errors stay what they are.
    outage = _storage_refusals(_raising(OSError("AWS Error NETWORK_CONNECTION during GetObject")),
                               data, "p1", "s3://acme-ml/driftline")
    with pytest.raises(OSError, match="NETWORK_CONNECTION"):
        next(outage)


def _raising(error: Exception):
    raise error
    yield  # makes this a generator
