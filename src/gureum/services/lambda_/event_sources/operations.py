"""The event source mapping operations of the Lambda API (CreateEventSourceMapping,
GetEventSourceMapping, ListEventSourceMappings, UpdateEventSourceMapping,
DeleteEventSourceMapping), for DynamoDB stream sources. Checks run in AWS's order: the
request's values, then the function, then the stream, then conflicts."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from gureum.core.arns import parse_arn
from gureum.core.errors import ServiceError
from gureum.services.lambda_ import errors as lambda_errors
from gureum.services.lambda_.event_sources import errors, limits
from gureum.services.lambda_.event_sources.filters import compile_filter_criteria
from gureum.services.lambda_.event_sources.model import Mapping, MappingStore
from gureum.services.lambda_.functions import function_arn
from gureum.services.lambda_.paging import marker_page
from gureum.services.lambda_.references import split_reference
from gureum.services.lambda_.tags import check_count

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.lambda_.event_sources.poller import Poller
    from gureum.services.lambda_.service import LambdaService
    from gureum.services.lambda_.tags import Tagged

    Handler = Callable[[RequestContext, dict[str, Any]], dict[str, Any]]


class EventSourceMappings:
    def __init__(self, store: MappingStore, lambda_: LambdaService, poller: Poller, clock: Clock):
        self._store = store
        self._lambda = lambda_
        self._poller = poller
        self._clock = clock
        self.operations: dict[str, Handler] = {
            "CreateEventSourceMapping": self.create_event_source_mapping,
            "GetEventSourceMapping": self.get_event_source_mapping,
            "ListEventSourceMappings": self.list_event_source_mappings,
            "UpdateEventSourceMapping": self.update_event_source_mapping,
            "DeleteEventSourceMapping": self.delete_event_source_mapping,
        }
        lambda_.tags.register("event-source-mapping", self._tagged)

    def create_event_source_mapping(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        source = request.get("EventSourceArn")
        if source is None:
            raise errors.source_required()
        parsed = parse_arn(source)
        if parsed is None or parsed[0] != "dynamodb" or "/stream/" not in parsed[3]:
            raise errors.source_unsupported(source)
        _check_on_failure(request.get("DestinationConfig"))
        position = request.get("StartingPosition")
        if position is None:
            raise errors.starting_position_required()
        if position not in limits.STARTING_POSITIONS:
            raise errors.starting_position_unsupported(source)
        _check_values(request)
        function_name, mapped_arn = self._function(ctx, request["FunctionName"])
        if not self._poller.stream_exists(ctx.account, ctx.region, source):
            raise errors.stream_not_found(source)
        for other in self._store.all():
            if other.event_source_arn == source and other.function_arn == mapped_arn:
                raise errors.mapping_exists(source, function_name, other.uuid)
        mapping = Mapping(
            uuid=str(uuid.uuid4()),
            account=ctx.account,
            region=ctx.region,
            function_arn=mapped_arn,
            event_source_arn=source,
            starting_position=position,
            last_modified=self._clock.now(),
            batch_size=request.get("BatchSize", limits.DEFAULT_BATCH_SIZE),
            batching_window=request.get(
                "MaximumBatchingWindowInSeconds", limits.DEFAULT_BATCHING_WINDOW_SECONDS
            ),
            parallelization=request.get("ParallelizationFactor", limits.DEFAULT_PARALLELIZATION),
            retry_attempts=request.get("MaximumRetryAttempts", limits.DEFAULT_RETRY_ATTEMPTS),
            record_age=request.get("MaximumRecordAgeInSeconds", limits.DEFAULT_RECORD_AGE_SECONDS),
            bisect=bool(request.get("BisectBatchOnFunctionError", False)),
            response_types=list(request.get("FunctionResponseTypes") or []),
            on_failure=_on_failure(request.get("DestinationConfig")),
            filter_criteria=request.get("FilterCriteria") or None,
            tumbling_window=request.get(
                "TumblingWindowInSeconds", limits.DEFAULT_TUMBLING_WINDOW_SECONDS
            ),
            enabled=request.get("Enabled", True) is not False,
            tags=dict(request.get("Tags") or {}),
        )
        check_count(mapping.tags)
        if position == "LATEST":
            # LATEST means the records written after this moment: pin it down now
            self._poller.pin_latest(mapping)
        self._store.add(mapping)
        answer = mapping.configuration()
        mapping.state = "Enabled" if mapping.enabled else "Disabled"
        self._store.save(mapping)
        self._poller.refresh()
        return answer

    def _tagged(self, account: str, region: str, mapping_id: str, arn: str) -> Tagged:
        """The mapping's tags for TagResource, UntagResource and ListTags."""
        mapping = self._store.get(mapping_id)
        if mapping is None or (mapping.account, mapping.region) != (account, region):
            raise lambda_errors.taggable_not_found("event-source-mapping", arn)
        return mapping.tags, lambda: self._store.save(mapping)

    def get_event_source_mapping(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        return self._find(ctx, request["UUID"]).configuration()

    def list_event_source_mappings(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        mappings = [
            m for m in self._store.all() if (m.account, m.region) == (ctx.account, ctx.region)
        ]
        source = request.get("EventSourceArn")
        if source is not None:
            mappings = [m for m in mappings if m.event_source_arn == source]
        name = request.get("FunctionName")
        if name is not None:
            arn = self._function_arn(ctx, name)
            mappings = [m for m in mappings if m.function_arn == arn]
        mappings.sort(key=lambda m: m.uuid)
        page, next_marker = marker_page(
            mappings, lambda m: m.uuid, request, limits.DEFAULT_LIST_ITEMS
        )
        out: dict[str, Any] = {"EventSourceMappings": [m.configuration() for m in page]}
        if next_marker is not None:
            out["NextMarker"] = next_marker
        return out

    def update_event_source_mapping(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        _check_on_failure(request.get("DestinationConfig"))
        _check_values(request)
        mapping = self._find(ctx, request["UUID"])
        if "FunctionName" in request:
            function_name, mapped_arn = self._function(ctx, request["FunctionName"])
            if mapped_arn != mapping.function_arn:
                for other in self._store.all():
                    if other.event_source_arn == mapping.event_source_arn and (
                        other.function_arn == mapped_arn
                    ):
                        raise errors.mapping_exists(
                            other.event_source_arn, function_name, other.uuid
                        )
                mapping.function_arn = mapped_arn
        simple = {
            "BatchSize": "batch_size",
            "MaximumBatchingWindowInSeconds": "batching_window",
            "ParallelizationFactor": "parallelization",
            "MaximumRetryAttempts": "retry_attempts",
            "MaximumRecordAgeInSeconds": "record_age",
            "BisectBatchOnFunctionError": "bisect",
            "TumblingWindowInSeconds": "tumbling_window",
        }
        for member, attribute in simple.items():
            if member in request:
                setattr(mapping, attribute, request[member])
        if "FunctionResponseTypes" in request:
            mapping.response_types = list(request["FunctionResponseTypes"] or [])
        if "DestinationConfig" in request:
            mapping.on_failure = _on_failure(request["DestinationConfig"])
        if "FilterCriteria" in request:
            mapping.filter_criteria = request["FilterCriteria"] or None
        state_after = "Enabled" if mapping.enabled else "Disabled"
        if "Enabled" in request:
            mapping.enabled = request["Enabled"] is not False
            state_after = "Enabled" if mapping.enabled else "Disabled"
            mapping.state = "Enabling" if mapping.enabled else "Disabling"
        else:
            mapping.state = "Updating"
        mapping.last_modified = self._clock.now()
        answer = mapping.configuration()
        mapping.state = state_after
        self._store.save(mapping)
        self._poller.refresh()
        return answer

    def delete_event_source_mapping(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        mapping = self._find(ctx, request["UUID"])
        mapping.state = "Deleting"
        answer = mapping.configuration()
        self._store.remove(mapping)
        self._poller.refresh()
        return answer

    # --- helpers

    def _find(self, ctx: RequestContext, mapping_uuid: str) -> Mapping:
        mapping = self._store.get(mapping_uuid)
        if mapping is None or (mapping.account, mapping.region) != (ctx.account, ctx.region):
            raise errors.mapping_not_found()
        return mapping

    def _function(self, ctx: RequestContext, reference: str) -> tuple[str, str]:
        """(name, ARN to map) of the function a FunctionName names: its unqualified ARN, or
        qualified as the reference is (a version or alias)."""
        try:
            function = self._lambda.resolve(ctx.account, ctx.region, reference)
        except ServiceError as error:
            if error.code == "ResourceNotFoundException":
                raise errors.function_missing() from None
            raise
        arn = function_arn(function.region, function.account, function.name)
        qualifier = split_reference(reference)[3]
        return function.name, f"{arn}:{qualifier}" if qualifier else arn

    def _function_arn(self, ctx: RequestContext, reference: str) -> str:
        """The ARN a FunctionName filter names (the function need not exist any more)."""
        if parse_arn(reference) is not None:
            return reference
        account, _region, name, _qualifier = split_reference(reference)
        return function_arn(ctx.region, account or ctx.account, name)


def _check_values(request: dict[str, Any]) -> None:
    """Constraints the model does not carry (its min/max are checked by the front end)."""
    age = request.get("MaximumRecordAgeInSeconds")
    if age is not None and age != -1 and age < limits.MIN_RECORD_AGE_SECONDS:
        raise errors.record_age_invalid(age)
    for kind in request.get("FunctionResponseTypes") or []:
        if kind not in limits.FUNCTION_RESPONSE_TYPES:
            raise errors.response_type_invalid(kind)
    if "FilterCriteria" in request:
        compile_filter_criteria(request["FilterCriteria"] or None)


def _check_on_failure(config: dict[str, Any] | None) -> None:
    if not config:
        return
    if "OnSuccess" in config:
        raise errors.on_success_unsupported()
    destination = (config.get("OnFailure") or {}).get("Destination")
    if destination is None:
        return
    parsed = parse_arn(destination)
    if parsed is None:
        raise errors.destination_invalid(destination)
    if parsed[0] != "lambda" or not parsed[3].startswith("function:"):
        raise errors.destination_unsupported(destination)


def _on_failure(config: dict[str, Any] | None) -> str | None:
    destination: str | None = ((config or {}).get("OnFailure") or {}).get("Destination")
    return destination or None
