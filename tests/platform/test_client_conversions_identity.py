"""IdentityService's conversions (driftline.conversions.identity): every message the client's
identity methods return survives the trip to its result and back, and the results carry the
SDK's names."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from conversions_helpers import assert_round_trip, filled
from driftline.conversions import identity as convert
from driftline.enums import ApiKeyExpirationTime, CompanyRole, ExternalIntegration, ProjectRole
from driftline.identity.v1 import (
    api_key_pb2,
    company_pb2,
    integration_credentials_pb2 as credentials_pb2,
    subscription_plan_pb2,
    user_pb2,
)
from driftline.types import (
    ApiKey,
    Company,
    CompanyUser,
    IntegrationCredentials,
    Result,
    SubscriptionPlanInfo,
    UserProject,
)

PAIRS = [
    (company_pb2.Company, convert.company_from_proto, convert.company_to_proto),
    (user_pb2.User, convert.user_from_proto, convert.user_to_proto),
    (user_pb2.UserProject, convert.user_project_from_proto, convert.user_project_to_proto),
    (api_key_pb2.ApiKey, convert.api_key_from_proto, convert.api_key_to_proto),
    (credentials_pb2.AwsCredentials, convert.aws_credentials_from_proto,
     convert.aws_credentials_to_proto),
    (credentials_pb2.AwsCompatibleCredentials, convert.aws_compatible_credentials_from_proto,
     convert.aws_compatible_credentials_to_proto),
    (credentials_pb2.GcpCredentials, convert.gcp_credentials_from_proto,
     convert.gcp_credentials_to_proto),
    (credentials_pb2.AzureCredentials, convert.azure_credentials_from_proto,
     convert.azure_credentials_to_proto),
    (credentials_pb2.LlmProviderCredentials, convert.llm_provider_credentials_from_proto,
     convert.llm_provider_credentials_to_proto),
    (subscription_plan_pb2.SubscriptionPlan, convert.subscription_plan_from_proto,
     convert.subscription_plan_to_proto),
]

DETAILS = [field.name for field in
           credentials_pb2.IntegrationCredentials.DESCRIPTOR.oneofs_by_name["details"].fields]


@pytest.mark.parametrize("message_type, from_proto, to_proto", PAIRS,
                         ids=[pair[0].__name__ for pair in PAIRS])
def test_every_message_survives_the_round_trip(message_type, from_proto, to_proto):
    message = filled(message_type)
    assert isinstance(from_proto(message), Result)
    assert_round_trip(message, from_proto, to_proto)
    if message_type is not subscription_plan_pb2.SubscriptionPlan:  # its limits always come back
        assert_round_trip(message_type(), from_proto, to_proto)  # every field at its default


@pytest.mark.parametrize("choice", range(len(DETAILS)), ids=DETAILS)
def test_credentials_survive_the_round_trip_with_each_kind_of_details(choice):
    message = filled(credentials_pb2.IntegrationCredentials, choice)
    result = convert.integration_credentials_from_proto(message)
    assert [d for d in DETAILS if getattr(result, d) is not None] == [DETAILS[choice]]
    assert_round_trip(message, convert.integration_credentials_from_proto,
                      convert.integration_credentials_to_proto)


def test_the_results_are_named_as_the_sdk_names_them():
    assert {"company_id", "name", "address", "vat"} <= set(Company.model_fields)
    assert {"user_id", "name", "surname", "username", "email",
            "company_role"} <= set(CompanyUser.model_fields)
    assert {"project_id", "name", "description", "role"} <= set(UserProject.model_fields)
    assert {"api_key_id", "name", "expiration_time"} <= set(ApiKey.model_fields)
    assert {"credentials_id", "name", "default", "type"} <= set(IntegrationCredentials.model_fields)
    assert {"subscription_id", "name", "is_active", "start_date", "expiration_date",
            "max_tasks", "max_users"} <= set(SubscriptionPlanInfo.model_fields)


def test_enums_are_members_and_times_are_aware():
    user = convert.user_from_proto(user_pb2.User(
        id="u1", company_role=user_pb2.COMPANY_ROLE_COMPANY_ADMIN))
    assert user.company_role is CompanyRole.COMPANY_ADMIN
    assert user.company_role == user_pb2.COMPANY_ROLE_COMPANY_ADMIN
    assert user.creation_datetime is None and user.company_id is None
    project = convert.user_project_from_proto(user_pb2.UserProject(
        project_id="p1", project_name="churn", role=user_pb2.PROJECT_ROLE_PROJECT_VIEW))
    assert (project.name, project.role) == ("churn", ProjectRole.PROJECT_VIEW)
    key = convert.api_key_from_proto(filled(api_key_pb2.ApiKey))
    assert key.expiration_time is ApiKeyExpirationTime.NEVER
    assert key.creation_datetime.tzinfo is timezone.utc and isinstance(key.expiration_datetime, datetime)
    credentials = convert.integration_credentials_from_proto(
        credentials_pb2.IntegrationCredentials(id="c1", type=99))
    assert credentials.type == 99  # a newer server's provider stays a number
    assert convert.integration_credentials_from_proto(filled(
        credentials_pb2.IntegrationCredentials)).type is ExternalIntegration.GOOGLE_AI


def test_a_plans_limits_are_its_own_fields():
    message = filled(subscription_plan_pb2.SubscriptionPlan)
    plan = convert.subscription_plan_from_proto(message)
    assert plan.max_projects == message.limits.max_projects
    assert plan.max_calls_per_minute == message.limits.max_calls_per_minute
    assert plan.is_active and plan.start_date and plan.expiration_date
    active = convert.subscription_plan_from_proto(subscription_plan_pb2.SubscriptionPlan(
        id="s1", name="default", active=True))
    assert active.expiration_date is None and active.max_projects == 0


def test_results_are_frozen():
    company = convert.company_from_proto(filled(company_pb2.Company))
    with pytest.raises(Exception):
        company.name = "other"
