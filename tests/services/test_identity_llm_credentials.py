"""LLM provider credentials (OpenAI, Anthropic, Azure OpenAI, Google AI): created through the
client, masked on read, encrypted at rest, in clear only through ResolveIntegrationCredentials,
and bad input refused with a clear message."""

from __future__ import annotations

import json

import driftline
import grpc
import pytest
from driftline.identity.v1 import identity_service_pb2 as pb
from driftline.identity.v1 import identity_service_pb2_grpc
from driftline.identity.v1 import integration_credentials_pb2 as cpb
from driftline_server.identity.remote import resolve_integration_credentials
from conftest import stored_credentials
from harness import fails

OPENAI_KEY = "sk-proj-OpenAiSecretKey0123456789abcdefWXYZ"
ANTHROPIC_KEY = "sk-ant-api03-AnthropicSecret0123456789abcdQRST"
AZURE_KEY = "0123456789abcdef0123456789abcdefAZKY"
GOOGLE_KEY = "AIzaSyGoogleAiSecretKey0123456789GOOG"
SECRETS = (OPENAI_KEY, ANTHROPIC_KEY, AZURE_KEY, GOOGLE_KEY)
AZURE_ENDPOINT = "https://my-resource.openai.azure.com"


@pytest.fixture(scope="module")
def project(company, new_project):
    return new_project(company.owner, "llm-credentials")


@pytest.fixture(scope="module")
def internal(server):
    """IdentityService as Driftline's own services call it (the internal credential)."""
    channel = grpc.insecure_channel(server.address)
    token = (server.data_dir / "internal.token").read_text().strip()
    yield channel, (("authorization", f"Bearer {token}"),)
    channel.close()


def create_all(client, project_id, default=False):
    return [
        client.create_llm_integration_credentials("openai", default, project_id, "openai",
                                                  OPENAI_KEY),
        client.create_llm_integration_credentials("anthropic", default, project_id, "anthropic",
                                                  ANTHROPIC_KEY),
        client.create_llm_integration_credentials(
            "azure openai", default, project_id, "azure_openai", AZURE_KEY,
            endpoint_url=AZURE_ENDPOINT + "/", api_version="2024-10-21"),
        client.create_llm_integration_credentials(
            "gemini", default, project_id, "google", GOOGLE_KEY,
            endpoint_url="https://gateway.example.com/google"),
    ]


def test_create_each_provider_masked_on_get_and_list(company, project):
    openai, anthropic, azure, google = create_all(company.owner, project)
    assert [c.type for c in (openai, anthropic, azure, google)] == [
        cpb.EXTERNAL_INTEGRATION_OPENAI,
        cpb.EXTERNAL_INTEGRATION_ANTHROPIC,
        cpb.EXTERNAL_INTEGRATION_AZURE_OPENAI,
        cpb.EXTERNAL_INTEGRATION_GOOGLE_AI,
    ]
    for created, key in zip((openai, anthropic, azure, google), SECRETS):
        assert created.llm_provider and not (created.aws or created.gcp or created.azure)
        assert created.llm_provider.masked_api_key == "********" + key[-4:]
        assert created.project_id == project and not created.default
        fetched = company.admin.get_integration_credentials(created.credentials_id)
        assert fetched == created
        assert all(secret not in fetched.model_dump_json() for secret in SECRETS)
    assert openai.llm_provider.endpoint_url is None and openai.llm_provider.api_version is None
    assert azure.llm_provider.endpoint_url == AZURE_ENDPOINT  # trailing slash dropped
    assert azure.llm_provider.api_version == "2024-10-21"
    assert google.llm_provider.endpoint_url == "https://gateway.example.com/google"
    listed = company.owner.get_all_project_integration_credentials(project)
    assert ({c.credentials_id for c in (openai, anthropic, azure, google)}
            <= {c.credentials_id for c in listed})
    for item in listed:
        assert all(secret not in item.model_dump_json() for secret in SECRETS)


def test_provider_by_enum_value_and_prefixed_name(company, project):
    by_value = company.owner.create_llm_integration_credentials(
        "by value", False, project, cpb.EXTERNAL_INTEGRATION_ANTHROPIC, ANTHROPIC_KEY)
    by_name = company.owner.create_llm_integration_credentials(
        "by name", False, project, "EXTERNAL_INTEGRATION_GOOGLE_AI", GOOGLE_KEY)
    assert by_value.type == cpb.EXTERNAL_INTEGRATION_ANTHROPIC
    assert by_name.type == cpb.EXTERNAL_INTEGRATION_GOOGLE_AI
    with pytest.raises(ValueError, match="unknown LLM provider 'mistral'"):
        company.owner.create_llm_integration_credentials("x", False, project, "mistral", "k")


def test_resolved_in_clear_for_services_only(company, project, internal):
    channel, metadata = internal
    openai, anthropic, azure, google = create_all(company.owner, project)
    expected = {
        openai.credentials_id: {"type": "OPENAI", "api_key": OPENAI_KEY, "endpoint_url": "",
                                "api_version": ""},
        anthropic.credentials_id: {"type": "ANTHROPIC", "api_key": ANTHROPIC_KEY,
                                   "endpoint_url": "", "api_version": ""},
        azure.credentials_id: {"type": "AZURE_OPENAI", "api_key": AZURE_KEY,
                               "endpoint_url": AZURE_ENDPOINT, "api_version": "2024-10-21"},
        google.credentials_id: {"type": "GOOGLE_AI", "api_key": GOOGLE_KEY,
                                "endpoint_url": "https://gateway.example.com/google",
                                "api_version": ""},

    }
    for credentials_id, resolved in expected.items():
        assert resolve_integration_credentials(channel, metadata, credentials_id,
                                               project) == resolved
    stub = identity_service_pb2_grpc.IdentityServiceStub(channel)
    response = stub.ResolveIntegrationCredentials(
        pb.ResolveIntegrationCredentialsRequest(credentials_id=azure.credentials_id,
                                                project_id=project),
        metadata=metadata)
    assert response.type == cpb.EXTERNAL_INTEGRATION_AZURE_OPENAI
    # People never get the key back, even the company's owner.
    with fails(driftline.PermissionDeniedError):
        company.owner.stubs.call(
            company.owner.stubs.identity.ResolveIntegrationCredentials,
            pb.ResolveIntegrationCredentialsRequest(credentials_id=openai.credentials_id,
                                                    project_id=project))


def test_one_default_per_provider(company, project):
    first = company.owner.create_llm_integration_credentials("o1", True, project, "openai",
                                                             OPENAI_KEY)
    second = company.owner.create_llm_integration_credentials("o2", True, project, "openai",
                                                              OPENAI_KEY)
    claude = company.owner.create_llm_integration_credentials("a1", True, project, "anthropic",
                                                              ANTHROPIC_KEY)
    defaults = {c.credentials_id
                for c in company.owner.get_all_project_integration_credentials(project)
                if c.default}
    assert first.credentials_id not in defaults
    assert {second.credentials_id, claude.credentials_id} <= defaults


def test_keys_are_encrypted_at_rest_and_kept_out_of_the_log(server, company, project, database):
    ids = [c.credentials_id for c in create_all(company.owner, project)]
    rows, fernet = stored_credentials(server, database, ids)
    assert len(rows) == 4
    for row in rows:
        for value in row.values():
            assert all(secret not in str(value) for secret in SECRETS)
        assert json.loads(fernet.decrypt(row["secret_encrypted"].encode()))["api_key"] in SECRETS
    log = server.log_path.read_text(errors="replace")
    assert all(secret not in log for secret in SECRETS)


def llm(provider=cpb.EXTERNAL_INTEGRATION_OPENAI, **fields):
    return dict(llm_provider=pb.LlmProviderCredentialsInput(provider=provider, **fields))


AZURE = cpb.EXTERNAL_INTEGRATION_AZURE_OPENAI
BAD = [
    (llm(), "llm_provider.api_key", "is required"),
    (llm(api_key="   "), "llm_provider.api_key", "is required"),
    (llm(api_key="k" * 1025), "llm_provider.api_key", "at most 1024"),
    (llm(provider=0, api_key="k"), "llm_provider.provider", "must be one of"),
    (llm(provider=cpb.EXTERNAL_INTEGRATION_AWS, api_key="k"), "llm_provider.provider",
     "EXTERNAL_INTEGRATION_OPENAI"),
    (llm(api_key="k", endpoint_url="ftp://x.example.com"), "llm_provider.endpoint_url",
     "http(s) URL"),
    (llm(api_key="k", endpoint_url="api.openai.com"), "llm_provider.endpoint_url",
     "http(s) URL"),
    (llm(api_key="k", api_version="2024-10-21"), "llm_provider.api_version",
     "Azure OpenAI only"),
    (llm(AZURE, api_key="k", api_version="2024-10-21"), "llm_provider.endpoint_url",
     "required for Azure OpenAI"),
    (llm(AZURE, api_key="k", endpoint_url=AZURE_ENDPOINT), "llm_provider.api_version",
     "required for Azure OpenAI"),
    (llm(AZURE, api_key="k", endpoint_url=AZURE_ENDPOINT, api_version="2024/10"),
     "llm_provider.api_version", "API version"),
    (llm(AZURE, api_key="k", endpoint_url="my-resource.openai.azure.com",
         api_version="2024-10-21"), "llm_provider.endpoint_url", "http(s) URL"),
]


@pytest.mark.parametrize("fields, field, words", BAD,
                         ids=[f"{i}-{f}" for i, (_, f, _w) in enumerate(BAD)])
def test_create_validation(company, project, fields, field, words):
    request = dict(project_id=project, name="bad") | fields
    with fails(driftline.InvalidArgumentError, field=field) as caught:
        company.owner.stubs.call(
            company.owner.stubs.identity.CreateIntegrationCredentials,
            pb.CreateIntegrationCredentialsRequest(**request),
        )
    assert words in str(caught.value)
    assert "k" * 20 not in str(caught.value)


def test_azure_without_endpoint_or_version_names_both(company, project):
    with pytest.raises(driftline.InvalidArgumentError) as caught:
        company.owner.create_llm_integration_credentials("azure", False, project,
                                                         "azure_openai", AZURE_KEY)
    message = str(caught.value)
    assert "llm_provider.endpoint_url" in message and "llm_provider.api_version" in message
    assert AZURE_KEY not in message


def test_conversions():
    from datetime import datetime, timezone

    from driftline_server.identity import conversions as conv
    from driftline_server.identity.common import LLM_INTEGRATIONS
    from driftline_server.identity.credentials import LlmProviderInput, StoredCredentials

    for kind in LLM_INTEGRATIONS:
        details = {"masked_api_key": "********abcd", "endpoint_url": "https://x.example.com",
                   "api_version": "v"}
        message = conv.credentials_to_pb(StoredCredentials(
            id="i", project_id="p", name="n", type=kind, default=False,
            created_at=datetime(2026, 1, 2, tzinfo=timezone.utc), details=details))
        assert message.WhichOneof("details") == "llm_provider"
        assert conv.INTEGRATION_FROM_PB[message.type] is kind
        assert message.llm_provider.masked_api_key == "********abcd"
        request = pb.CreateIntegrationCredentialsRequest(
            llm_provider=pb.LlmProviderCredentialsInput(
                provider=conv.INTEGRATION_TO_PB[kind], api_key="secret", api_version="v"))
        assert conv.credentials_input_from_pb(request) == LlmProviderInput(
            provider=kind, api_key="secret", api_version="v")
    assert "secret" not in repr(LlmProviderInput(provider=None, api_key="secret"))


def test_resolved_credentials_make_an_llm_judge(company, project, internal):
    from driftline_server.monitoring.reports.judge import LlmJudge

    channel, metadata = internal
    made = {
        "openai": ("gpt-4o-mini", "api.openai.com"),
        "anthropic": ("claude-3-5-haiku-latest", "api.anthropic.com"),
        "azure_openai": ("judge-deployment", "my-resource.openai.azure.com"),
        "google": ("gemini-2.0-flash", "gateway.example.com"),
    }
    for created, (provider, (model, host)) in zip(create_all(company.owner, project),
                                                   made.items()):
        resolved = resolve_integration_credentials(channel, metadata, created.credentials_id,
                                                   project)

        judge = LlmJudge.from_credentials(resolved, model)
        record = judge.record()
        assert (record["provider"], record["model"], record["endpoint_host"]) == (
            provider, model, host)
        assert all(secret not in json.dumps(record) + repr(judge) for secret in SECRETS)
