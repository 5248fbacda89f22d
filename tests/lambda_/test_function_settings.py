"""Code signing and recursion settings of a function, as tools read them with the function
(Terraform's AWS provider reads the code signing config on every refresh). Texts as recorded
on AWS by LocalStack's parity tests."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import error_with_status
from lambda_.conftest import FunctionFactory

pytestmark = pytest.mark.aws_documented


def test_code_signing_config(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    got = lam.get_function_code_signing_config(FunctionName=name)
    assert got.keys() == {"ResponseMetadata"}  # AWS's reply for a function without one
    config = arn.split(":function:")[0] + ":code-signing-config:csc-0123456789abcdef0"
    with pytest.raises(lam.exceptions.CodeSigningConfigNotFoundException) as raised:
        lam.put_function_code_signing_config(FunctionName=name, CodeSigningConfigArn=config)
    assert error_with_status(raised) == (
        "CodeSigningConfigNotFoundException",
        "The code signing configuration cannot be found. Check that the provided configuration "
        f"is not deleted: {config}.",
        404,
    )
    deleted = lam.delete_function_code_signing_config(FunctionName=name)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    missing = arn.replace(f"function:{name}", "function:csc-test-doesnotexist")
    for call in (lam.get_function_code_signing_config, lam.delete_function_code_signing_config):
        with pytest.raises(lam.exceptions.ResourceNotFoundException) as raised:
            call(FunctionName="csc-test-doesnotexist")
        assert error_with_status(raised) == (
            "ResourceNotFoundException",
            f"Function not found: {missing}",
            404,
        )


def test_recursion_config(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    assert lam.get_function_recursion_config(FunctionName=name)["RecursiveLoop"] == "Terminate"
    put = lam.put_function_recursion_config(FunctionName=name, RecursiveLoop="Allow")
    assert put["RecursiveLoop"] == "Allow"
    assert lam.get_function_recursion_config(FunctionName=name)["RecursiveLoop"] == "Allow"
    with pytest.raises(lam.exceptions.ClientError) as raised:
        lam.put_function_recursion_config(FunctionName=name, RecursiveLoop="Sometimes")
    assert error_with_status(raised)[0] == "ValidationException"
