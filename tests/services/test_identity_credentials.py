"""Integration credentials: the four providers, validation, masking, defaults, encryption at
rest, and who may read or change them."""

from __future__ import annotations

import json
import uuid

import driftline
import pytest
from driftline.identity.v1 import identity_service_pb2 as pb
from driftline.identity.v1 import integration_credentials_pb2 as cpb
from conftest import stored_credentials
from harness import fails

ROLE_ARN = "arn:aws:iam::123456789012:role/driftline-reader"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
GCP_PRIVATE_KEY = (
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
)
GCP_JSON = json.dumps(
    {
        "type": "service_account",
        "project_id": "driftline-gcp",
        "private_key_id": "0123456789abcdef0123456789abcdef01234567",
        "private_key": GCP_PRIVATE_KEY,
        "client_email": "monitor@driftline-gcp.iam.gserviceaccount.com",
        "client_id": "1234567890",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
)
AZURE_SECRET = "Azure~Secret.Value_0123456789abcdef"
AZURE_JSON = json.dumps(
    {
        "clientId": "11111111-2222-3333-4444-555555555555",
        "clientSecret": AZURE_SECRET,
        "tenantId": "66666666-7777-8888-9999-000000000000",
        "subscriptionId": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    }
)
SECRETS = (
    SECRET_ACCESS_KEY,
    GCP_PRIVATE_KEY.splitlines()[1],
    AZURE_SECRET,
    "0123456789abcdef0123456789abcdef01234567",
)


@pytest.fixture(scope="module")
def project(company, new_project):
    return new_project(company.owner, "credentials")


def create_all(client, project_id, default=False):
    return [
        client.create_aws_integration_credentials("aws", default, project_id, ROLE_ARN),
        client.create_aws_compatible_integration_credentials(
            "minio",
            default,
            project_id,
            "AKIAEXAMPLE",
            SECRET_ACCESS_KEY,
            "https://minio.example.com",
        ),
        client.create_gcp_integration_credentials("gcp", default, project_id, GCP_JSON),
        client.create_azure_integration_credentials("azure", default, project_id, AZURE_JSON),
    ]


def test_create_each_provider_returns_masked_details(company, project):
    aws, compatible, gcp, azure = create_all(company.owner, project)
    assert aws.type == cpb.EXTERNAL_INTEGRATION_AWS and aws.aws.role_arn == ROLE_ARN
    assert len(aws.aws.external_id) >= 32
    assert compatible.aws_compatible.access_key_id == "AKIAEXAMPLE"
    assert compatible.aws_compatible.masked_secret_access_key.endswith(SECRET_ACCESS_KEY[-4:])
    assert SECRET_ACCESS_KEY not in compatible.aws_compatible.masked_secret_access_key
    assert compatible.aws_compatible.endpoint_url == "https://minio.example.com"
    assert gcp.gcp.client_email == "monitor@driftline-gcp.iam.gserviceaccount.com"
    assert gcp.gcp.gcp_project_id == "driftline-gcp"
    assert azure.azure.client_id.startswith("1111") and azure.azure.tenant_id.startswith("6666")
    assert azure.azure.masked_client_secret.endswith(AZURE_SECRET[-4:])
    for created in (aws, compatible, gcp, azure):
        assert created.project_id == project and not created.default
        fetched = company.admin.get_integration_credentials(created.credentials_id)
        assert fetched == created
        wire = fetched.model_dump_json().encode()
        assert all(secret.encode() not in wire for secret in SECRETS)
    listed = company.owner.get_all_project_integration_credentials(project)
    assert ({c.credentials_id for c in (aws, compatible, gcp, azure)}
            <= {c.credentials_id for c in listed})
    for item in listed:
        assert all(secret not in item.model_dump_json() for secret in SECRETS)


def test_azure_snake_case_and_aws_compatible_without_endpoint(company, project):
    azure = company.owner.create_azure_integration_credentials(
        "azure snake",
        False,
        project,
        json.dumps({"client_id": "c", "client_secret": "s" * 20, "tenant_id": "t"}),
    )
    assert azure.azure.client_id == "c" and azure.azure.subscription_id == ""
    compatible = company.owner.create_aws_compatible_integration_credentials(
        "aws keys", False, project, "AKIA2", "secret-value-123456"
    )
    assert compatible.aws_compatible.endpoint_url is None


def test_one_default_per_project_and_type(company, project, new_project):
    first = company.owner.create_aws_integration_credentials("d1", True, project, ROLE_ARN)
    second = company.owner.create_aws_integration_credentials("d2", True, project, ROLE_ARN)
    gcp = company.owner.create_gcp_integration_credentials("g", True, project, GCP_JSON)

    def defaults():
        return {
            c.credentials_id
            for c in company.owner.get_all_project_integration_credentials(project)
            if c.default
        }

    assert first.credentials_id not in defaults()
    assert {second.credentials_id, gcp.credentials_id} <= defaults()
    company.owner.set_integration_credentials_as_default(first.credentials_id)
    company.owner.set_integration_credentials_as_default(first.credentials_id)  # idempotent
    assert first.credentials_id in defaults() and gcp.credentials_id in defaults()
    assert second.credentials_id not in defaults()
    assert company.owner.get_integration_credentials(first.credentials_id).default
    # Another project's default of the same type is independent.
    elsewhere = new_project(company.owner, "credentials-2")
    other = company.owner.create_aws_integration_credentials("d3", True, elsewhere, ROLE_ARN)
    assert company.owner.get_integration_credentials(other.credentials_id).default
    assert company.owner.get_integration_credentials(first.credentials_id).default


def test_delete(company, project):
    created = company.owner.create_gcp_integration_credentials("gone", False, project, GCP_JSON)
    company.admin.delete_integration_credentials(created.credentials_id)
    with fails(driftline.NotFoundError, "INTEGRATION_CREDENTIALS_NOT_FOUND"):
        company.owner.get_integration_credentials(created.credentials_id)
    with fails(driftline.NotFoundError, "INTEGRATION_CREDENTIALS_NOT_FOUND"):
        company.owner.delete_integration_credentials(created.credentials_id)
    assert created.credentials_id not in [
        c.credentials_id for c in company.owner.get_all_project_integration_credentials(project)
    ]


def test_list_pages(company, new_project):
    project_id = new_project(company.owner, "paged")
    made = [
        company.owner.create_aws_integration_credentials(
            f"p{i}", False, project_id, ROLE_ARN).credentials_id

        for i in range(5)
    ]
    seen, token = [], ""
    while True:
        response = company.owner.stubs.call(
            company.owner.stubs.identity.ListIntegrationCredentials,
            pb.ListIntegrationCredentialsRequest(
                project_id=project_id, page_size=2, page_token=token
            ),
        )
        seen += [c.id for c in response.credentials]
        token = response.next_page_token
        if not token:
            break
    assert seen == made
    with fails(driftline.InvalidArgumentError, field="page_size"):
        company.owner.stubs.call(
            company.owner.stubs.identity.ListIntegrationCredentials,
            pb.ListIntegrationCredentialsRequest(project_id=project_id, page_size=-1),
        )


BAD = [
    (dict(aws=pb.AwsCredentialsInput(role_arn="not-an-arn")), "aws.role_arn"),
    (dict(aws=pb.AwsCredentialsInput(role_arn="arn:aws:iam::12:role/x")), "aws.role_arn"),
    (
        dict(aws_compatible=pb.AwsCompatibleCredentialsInput(secret_access_key="s")),
        "aws_compatible.access_key_id",
    ),
    (
        dict(aws_compatible=pb.AwsCompatibleCredentialsInput(access_key_id="a")),
        "aws_compatible.secret_access_key",
    ),
    (
        dict(
            aws_compatible=pb.AwsCompatibleCredentialsInput(
                access_key_id="a", secret_access_key="s", endpoint_url="ftp://x"
            )
        ),
        "aws_compatible.endpoint_url",
    ),
    (
        dict(gcp=pb.GcpCredentialsInput(service_account_info_json="{not json")),
        "gcp.service_account_info_json",
    ),
    (
        dict(gcp=pb.GcpCredentialsInput(service_account_info_json="[1, 2]")),
        "gcp.service_account_info_json",
    ),
    (
        dict(
            gcp=pb.GcpCredentialsInput(
                service_account_info_json=json.dumps({"type": "service_account"})
            )
        ),
        "gcp.service_account_info_json",
    ),
    (
        dict(
            gcp=pb.GcpCredentialsInput(
                service_account_info_json=json.dumps(json.loads(GCP_JSON) | {"type": "user"})
            )
        ),
        "gcp.service_account_info_json",
    ),
    (
        dict(
            azure=pb.AzureCredentialsInput(service_principal_credentials_json='{"clientId": "x"}')
        ),
        "azure.service_principal_credentials_json",
    ),
    (
        dict(azure=pb.AzureCredentialsInput(service_principal_credentials_json="")),
        "azure.service_principal_credentials_json",
    ),
    (dict(), "credentials"),
    (dict(name="", aws=pb.AwsCredentialsInput(role_arn=ROLE_ARN)), "name"),
    (dict(project_id="", aws=pb.AwsCredentialsInput(role_arn=ROLE_ARN)), "project_id"),
]


@pytest.mark.parametrize("fields, field", BAD, ids=[f"{i}-{f}" for i, (_, f) in enumerate(BAD)])
def test_create_validation(company, project, fields, field):
    request = dict(project_id=project, name="bad") | fields
    with fails(driftline.InvalidArgumentError, field=field):
        company.owner.stubs.call(
            company.owner.stubs.identity.CreateIntegrationCredentials,
            pb.CreateIntegrationCredentialsRequest(**request),
        )


def test_unknown_project_and_ids(company, other_company, project, new_project):
    with fails(driftline.NotFoundError, "PROJECT_NOT_FOUND"):
        company.owner.create_aws_integration_credentials("x", False, uuid.uuid4().hex, ROLE_ARN)
    with fails(driftline.NotFoundError, "PROJECT_NOT_FOUND"):
        company.owner.get_all_project_integration_credentials(uuid.uuid4().hex)
    with fails(driftline.InvalidArgumentError, field="credentials_id"):
        company.owner.get_integration_credentials("")
    # Another company's project and credentials do not exist for this company.
    foreign_project = new_project(other_company, "foreign-credentials")
    foreign = other_company.create_aws_integration_credentials(
        "theirs", True, foreign_project, ROLE_ARN
    )
    with fails(driftline.NotFoundError, "PROJECT_NOT_FOUND"):
        company.owner.create_aws_integration_credentials("x", False, foreign_project, ROLE_ARN)
    with fails(driftline.NotFoundError, "PROJECT_NOT_FOUND"):
        company.owner.get_all_project_integration_credentials(foreign_project)
    for call in (
        company.owner.get_integration_credentials,
        company.owner.delete_integration_credentials,
        company.owner.set_integration_credentials_as_default,
    ):
        with fails(driftline.NotFoundError, "INTEGRATION_CREDENTIALS_NOT_FOUND"):
            call(foreign.credentials_id)
    assert other_company.get_integration_credentials(foreign.credentials_id).name == "theirs"


def test_secrets_are_encrypted_at_rest(server, company, project, database):
    created = create_all(company.owner, project)
    ids = [c.credentials_id for c in created]
    rows, fernet = stored_credentials(server, database, ids)
    assert len(rows) == 4
    for row in rows:
        for value in row.values():
            assert all(secret not in str(value) for secret in SECRETS)
        if row["type"] != "AWS":  # AWS roles carry no secret
            opened = json.loads(fernet.decrypt(row["secret_encrypted"].encode()))
            assert opened
    if server.database_url.startswith("sqlite"):
        raw = b"".join(p.read_bytes() for p in server.data_dir.glob("driftline.db*"))
        assert all(secret.encode() not in raw for secret in SECRETS)


def test_secrets_never_reach_the_server_log(server, company, project):
    create_all(company.owner, project)
    log = server.log_path.read_text(errors="replace")
    assert "CreateIntegrationCredentials" in log
    for secret in SECRETS:
        assert secret not in log


def test_create_is_idempotent_with_a_request_id(company, project):
    request = pb.CreateIntegrationCredentialsRequest(
        project_id=project,
        name="idempotent",
        request_id=uuid.uuid4().hex,
        aws=pb.AwsCredentialsInput(role_arn=ROLE_ARN),
    )
    call = company.owner.stubs.call
    first = call(company.owner.stubs.identity.CreateIntegrationCredentials, request).credentials
    again = call(company.owner.stubs.identity.CreateIntegrationCredentials, request).credentials
    assert again == first  # the same external id too
    named = [
        c
        for c in company.owner.get_all_project_integration_credentials(project)
        if c.name == "idempotent"
    ]
    assert len(named) == 1
