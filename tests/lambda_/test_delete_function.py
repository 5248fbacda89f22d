"""DeleteFunction."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import error_of
from lambda_.conftest import FunctionFactory

pytestmark = pytest.mark.aws_documented


def test_delete(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    response = lam.delete_function(FunctionName=name)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=name)
    make_function(FunctionName=name)  # the name is free again


def test_delete_missing(lam: Any) -> None:
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.delete_function(FunctionName="no-such-function")
    assert error_of(exc) == (
        "ResourceNotFoundException",
        "Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function",
    )
