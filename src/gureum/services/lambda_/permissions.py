"""Resource-based policies of functions: AddPermission, RemovePermission, GetPolicy.

A function, each published version and each alias has a policy of its own (AWS keeps them
apart: publishing a version copies nothing, and ``$LATEST`` takes no qualified policy), stored
as catalog records of kind ``lambda-policy``. A policy has a RevisionId of its own, new at each
change; before a qualifier has a policy, AddPermission's RevisionId is checked against the
function's or alias's. Statements are rendered as AWS renders them (key order included), and
the policy is removed with its last statement. gureum records policies but does not enforce
them: every caller may invoke every function, as with IAM disabled.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.arns import make_arn
from gureum.core.errors import ServiceError
from gureum.services.lambda_ import errors
from gureum.services.lambda_.functions import LATEST, function_arn
from gureum.services.lambda_.qualified_store import QualifiedStore
from gureum.services.lambda_.references import split_reference

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.lambda_.aliases import AliasStore
    from gureum.services.lambda_.functions import Function
    from gureum.services.lambda_.versions import Finder, VersionStore
    from gureum.storage.engine import Engine

POLICY_KIND = "lambda-policy"
_PREFIX = "lambda:policy:"
_ACCOUNT = re.compile(r"\d{12}")
_ALIAS_NAME = re.compile(r"(?!\d+$)[a-zA-Z0-9_-]+")
# service principals, as in "s3.amazonaws.com" (and the China partition's ".amazonaws.com.cn")
_SERVICE = re.compile(r"[a-z0-9.-]+\.amazonaws\.com(\.cn)?")


@dataclass(slots=True)
class Policy:
    account: str
    region: str
    function: str
    qualifier: str  # "": the function's own (unqualified) policy
    statements: list[dict[str, Any]] = field(default_factory=list)
    revision_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    entry_id: int = 0

    def document(self) -> str:
        return _json({"Version": "2012-10-17", "Id": "default", "Statement": self.statements})


class PolicyStore(QualifiedStore[Policy]):
    """Every policy, by (account, region, function, qualifier), kept in the engine's catalog."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, POLICY_KIND, _PREFIX, Policy)

    def save(self, policy: Policy) -> None:
        """Store a changed policy under a new RevisionId; one without statements is removed."""
        policy.revision_id = str(uuid.uuid4())
        if policy.statements:
            self.put(policy)
        else:
            self.forget(policy.account, policy.region, policy.function, policy.qualifier)


class Permissions:
    """AddPermission, RemovePermission, GetPolicy."""

    def __init__(
        self, policies: PolicyStore, versions: VersionStore, aliases: AliasStore, find: Finder
    ) -> None:
        self._policies = policies
        self._versions = versions
        self._aliases = aliases
        self._find = find
        self.operations = {
            "AddPermission": self.add_permission,
            "RemovePermission": self.remove_permission,
            "GetPolicy": self.get_policy,
        }

    def add_permission(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        qualifier = _qualifier(request)
        if qualifier == LATEST:
            raise errors.latest_policy()
        function = self._find(ctx, request["FunctionName"])
        revision = self._revision_of(function, qualifier)
        principal = _principal(request["Principal"])
        policy = self._policies.get(function.account, function.region, function.name, qualifier)
        if policy is None:
            policy = Policy(function.account, function.region, function.name, qualifier)
        else:
            revision = policy.revision_id
        wanted = request.get("RevisionId")
        if wanted is not None and wanted != revision:
            raise errors.policy_revision_mismatch()
        sid = request["StatementId"]
        if any(s["Sid"] == sid for s in policy.statements):
            raise errors.statement_exists(sid)
        resource = function.unqualified_arn + (f":{qualifier}" if qualifier else "")
        statement = _statement(sid, principal, request["Action"], resource, request)
        policy.statements.append(statement)
        self._policies.save(policy)
        return {"Statement": _json(statement)}

    def remove_permission(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        qualifier = _qualifier(request)
        try:
            function = self._find(ctx, request["FunctionName"])
        except ServiceError as error:
            if error.code != "ResourceNotFoundException":
                raise
            account, region, name, _ = split_reference(request["FunctionName"])
            arn = function_arn(region or ctx.region, account or ctx.account, name)
            raise errors.no_policy_found(arn) from None
        self._revision_of(function, qualifier)
        policy = self._policies.get(function.account, function.region, function.name, qualifier)
        if policy is None:
            raise errors.no_policy()
        wanted = request.get("RevisionId")
        if wanted is not None and wanted != policy.revision_id:
            raise errors.policy_revision_mismatch()
        sid = request["StatementId"]
        kept = [s for s in policy.statements if s["Sid"] != sid]
        if len(kept) == len(policy.statements):
            raise errors.statement_not_found(sid)
        policy.statements = kept
        self._policies.save(policy)
        return {}

    def get_policy(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        qualifier = _qualifier(request)
        try:
            function = self._find(ctx, request["FunctionName"])
            self._revision_of(function, qualifier)
        except ServiceError as error:
            if error.code != "ResourceNotFoundException":
                raise
            raise errors.resource_not_found() from None
        policy = self._policies.get(function.account, function.region, function.name, qualifier)
        if policy is None:
            raise errors.resource_not_found()
        return {"Policy": policy.document(), "RevisionId": policy.revision_id}

    def _revision_of(self, function: Function, qualifier: str) -> str:
        """The RevisionId of the function, version or alias ``qualifier`` names (raising
        AWS's not-found errors)."""
        account, region, name = function.account, function.region, function.name
        if not qualifier or qualifier == LATEST:
            return function.revision_id
        arn = f"{function.unqualified_arn}:{qualifier}"
        if qualifier.isdigit():
            version = self._versions.get(account, region, name, qualifier)
            if version is None:
                raise errors.function_not_found(arn)
            return version.revision_id
        if not _ALIAS_NAME.fullmatch(qualifier):  # such as "a-$-b": no version, no alias
            raise errors.function_not_found(arn)
        alias = self._aliases.get(account, region, name, qualifier)
        if alias is None:
            raise errors.alias_not_found_get(arn)
        return alias.revision_id


def _qualifier(request: dict[str, Any]) -> str:
    """The Qualifier, or the one the FunctionName carries (they must agree); "" for none."""
    suffix = split_reference(request["FunctionName"])[3]
    qualifier: str | None = request.get("Qualifier")
    if qualifier is not None and suffix is not None and qualifier != suffix:
        raise errors.qualifier_mismatch()
    return qualifier or suffix or ""


def _principal(principal: str) -> str | dict[str, str]:
    """The statement's Principal, as AWS writes it for each kind of principal."""
    if principal == "*":
        return "*"
    if _ACCOUNT.fullmatch(principal):
        return {"AWS": make_arn("iam", "", principal, "root")}
    if principal.startswith("arn:"):
        return {"AWS": principal}
    if _SERVICE.fullmatch(principal):
        return {"Service": principal}
    raise errors.invalid_principal()


def _statement(
    sid: str, principal: str | dict[str, str], action: str, resource: str, request: dict[str, Any]
) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal,
        "Action": action,
        "Resource": resource,
    }
    equals = {
        key: request[member]
        for member, key in (
            ("SourceAccount", "AWS:SourceAccount"),
            ("FunctionUrlAuthType", "lambda:FunctionUrlAuthType"),
            ("PrincipalOrgID", "aws:PrincipalOrgID"),
            ("EventSourceToken", "lambda:EventSourceToken"),
        )
        if request.get(member)
    }
    condition: dict[str, Any] = {}
    if equals:
        condition["StringEquals"] = equals
    if request.get("SourceArn"):
        condition["ArnLike"] = {"AWS:SourceArn": request["SourceArn"]}
    if condition:
        statement["Condition"] = condition
    return statement


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()
