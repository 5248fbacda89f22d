"""Reserved concurrency and the account's settings: PutFunctionConcurrency,
GetFunctionConcurrency, DeleteFunctionConcurrency, GetAccountSettings. A reservation is kept on
the function's ``$LATEST`` record and handed to the runner, which enforces it
(:meth:`Runner.reserve`). Provisioned concurrency (:mod:`.provisioned`) comes out of a
function's reservation, or (without one) out of the account's unreserved concurrency."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.services.lambda_ import errors, limits
from gureum.services.lambda_.functions import LATEST

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.lambda_.functions import Function, FunctionStore
    from gureum.services.lambda_.provisioned import ProvisionedStore
    from gureum.services.lambda_.runner import Runner
    from gureum.services.lambda_.versions import Finder, VersionStore


class Concurrency:
    def __init__(
        self,
        functions: FunctionStore,
        versions: VersionStore,
        provisioned: ProvisionedStore,
        runner: Runner,
        find: Finder,
    ) -> None:
        self._functions = functions
        self._versions = versions
        self._provisioned = provisioned
        self._runner = runner
        self._find = find
        self.operations = {
            "PutFunctionConcurrency": self.put_function_concurrency,
            "GetFunctionConcurrency": self.get_function_concurrency,
            "DeleteFunctionConcurrency": self.delete_function_concurrency,
            "GetAccountSettings": self.get_account_settings,
        }
        for function in functions.all():
            if function.reserved_concurrency is not None:
                runner.reserve(
                    function.account, function.region, function.name, function.reserved_concurrency
                )

    def put_function_concurrency(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        function = self._function(ctx, request["FunctionName"])
        wanted: int = request["ReservedConcurrentExecutions"]
        provisioned = self._provisioned.total(function.account, function.region, function.name)
        if wanted < provisioned:
            raise errors.reservation_below_provisioned(wanted, provisioned)
        # what the function claims today: its reservation, or else its provisioned concurrency
        own = function.reserved_concurrency
        own = provisioned if own is None else own
        if (
            self.unreserved(ctx.account, ctx.region) + own - wanted
            < limits.MIN_UNRESERVED_CONCURRENCY
        ):
            raise errors.reservation_too_large(limits.MIN_UNRESERVED_CONCURRENCY)
        function.reserved_concurrency = wanted
        self._functions.save(function)
        self._runner.reserve(function.account, function.region, function.name, wanted)
        return {"ReservedConcurrentExecutions": wanted}

    def get_function_concurrency(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        function = self._function(ctx, request["FunctionName"])
        if function.reserved_concurrency is None:
            return {}
        return {"ReservedConcurrentExecutions": function.reserved_concurrency}

    def delete_function_concurrency(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        function = self._function(ctx, request["FunctionName"])
        if function.reserved_concurrency is not None:
            function.reserved_concurrency = None
            self._functions.save(function)
        self._runner.reserve(function.account, function.region, function.name, None)
        return {}

    def get_account_settings(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        functions = self._functions.in_region(ctx.account, ctx.region)
        versions = [
            v for v in self._versions.all() if (v.account, v.region) == (ctx.account, ctx.region)
        ]
        return {
            "AccountLimit": {
                "TotalCodeSize": limits.TOTAL_CODE_SIZE_BYTES,
                "CodeSizeUnzipped": limits.CODE_SIZE_UNZIPPED_BYTES,
                "CodeSizeZipped": limits.CODE_SIZE_ZIPPED_BYTES,
                "ConcurrentExecutions": limits.ACCOUNT_CONCURRENCY,
                "UnreservedConcurrentExecutions": self.unreserved(ctx.account, ctx.region),
            },
            "AccountUsage": {
                "TotalCodeSize": sum(f.code_size for f in [*functions, *versions]),
                "FunctionCount": len(functions),
            },
        }

    def _function(self, ctx: RequestContext, reference: str) -> Function:
        """The function an unqualified FunctionName names (its not-found error names
        ``$LATEST``, as AWS's does)."""
        # a name has no colon, a partial ARN two, an ARN six; one more means a qualifier
        if reference.count(":") in (1, 3, 7):
            raise errors.function_only()
        return self._find(ctx, reference, LATEST)

    def unreserved(self, account: str, region: str) -> int:
        """The account's unreserved concurrency: its quota less every reservation and the
        provisioned concurrency of the functions without one."""
        claimed = 0
        for function in self._functions.in_region(account, region):
            if function.reserved_concurrency is not None:
                claimed += function.reserved_concurrency
            else:
                claimed += self._provisioned.total(account, region, function.name)
        return limits.ACCOUNT_CONCURRENCY - claimed
