"""DescribeLimits and DescribeEndpoints.

Sources: DynamoDB API Reference, DescribeLimits (the example answer and the default quotas of
"Service, account, and table quotas in Amazon DynamoDB": 80,000 read and write capacity units
per account and 40,000 per table in a region) and DescribeEndpoints (CachePeriodInMinutes 1440).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from dynamodb.conftest import ClientFactory, RawCall


@pytest.mark.aws_documented
def test_describe_limits_defaults(ddb: Any) -> None:
    out = ddb.describe_limits()
    out.pop("ResponseMetadata")
    assert out == {
        "AccountMaxReadCapacityUnits": 80000,
        "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000,
        "TableMaxWriteCapacityUnits": 40000,
    }


@pytest.mark.aws_documented
def test_describe_limits_is_per_region_default(client_as: ClientFactory) -> None:
    out = client_as(region="eu-west-1").describe_limits()
    assert out["TableMaxReadCapacityUnits"] == 40000
    assert out["AccountMaxWriteCapacityUnits"] == 80000


@pytest.mark.aws_documented
def test_describe_endpoints_shape(ddb: Any) -> None:
    (endpoint,) = ddb.describe_endpoints()["Endpoints"]
    assert set(endpoint) == {"Address", "CachePeriodInMinutes"}
    assert endpoint["CachePeriodInMinutes"] == 1440


@pytest.mark.aws_documented
def test_describe_endpoints_raw_body(raw: RawCall) -> None:
    response = raw("DescribeEndpoints", {})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["Endpoints"]
    assert body["Endpoints"][0]["CachePeriodInMinutes"] == 1440


@pytest.mark.gureum_own
def test_describe_endpoints_address_is_where_gureum_was_reached(ddb: Any, endpoint: str) -> None:
    # DynamoDB answers its regional endpoint; gureum answers the host the client used, so that
    # endpoint discovery keeps talking to gureum.
    (answer,) = ddb.describe_endpoints()["Endpoints"]
    assert answer["Address"] == endpoint.removeprefix("http://")
