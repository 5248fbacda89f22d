"""Per-function settings that tools read on every refresh (Terraform's AWS provider reads a
function's code signing config with the function): GetFunctionCodeSigningConfig,
PutFunctionCodeSigningConfig, DeleteFunctionCodeSigningConfig, GetFunctionRecursionConfig,
PutFunctionRecursionConfig.

gureum has no code signing configs (CreateCodeSigningConfig is not offered), so no function
has one: Get answers AWS's empty reply for a function without, Delete succeeds, and Put names
the config as not found, as AWS does for a deleted one. The recursive-loop setting is kept on
the function (gureum does not detect loops; it stops none)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.services.lambda_ import errors

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.lambda_.functions import FunctionStore
    from gureum.services.lambda_.versions import Finder


class FunctionSettings:
    def __init__(self, functions: FunctionStore, find: Finder) -> None:
        self._functions = functions
        self._find = find
        self.operations = {
            "GetFunctionCodeSigningConfig": self.get_function_code_signing_config,
            "PutFunctionCodeSigningConfig": self.put_function_code_signing_config,
            "DeleteFunctionCodeSigningConfig": self.delete_function_code_signing_config,
            "GetFunctionRecursionConfig": self.get_function_recursion_config,
            "PutFunctionRecursionConfig": self.put_function_recursion_config,
        }

    def get_function_code_signing_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        self._find(ctx, request["FunctionName"])
        return {}  # AWS's reply for a function without a code signing config

    def put_function_code_signing_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        raise errors.code_signing_config_not_found(request["CodeSigningConfigArn"])

    def delete_function_code_signing_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        self._find(ctx, request["FunctionName"])
        return {}

    def get_function_recursion_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        return {"RecursiveLoop": self._find(ctx, request["FunctionName"]).recursive_loop}

    def put_function_recursion_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"])
        function.recursive_loop = request["RecursiveLoop"]
        self._functions.save(function)
        return {"RecursiveLoop": function.recursive_loop}
