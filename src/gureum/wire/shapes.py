"""Input validation of JSON-protocol requests, as the AWS front end (Coral) does it.

Before an AWS service's own code sees a request, Coral deserializes the JSON body into the
operation's input shape and validates it against the shape's constraints. This module repeats
that from botocore's service model (``service-2.json``), failing the way Coral fails:

1. **SerializationException** for the first JSON value of the wrong type, in document order
   (Coral's deserializer stops there): ``NUMBER_VALUE cannot be converted to String``, ``Unexpected
   field type``, ... (texts and their choice in :mod:`gureum.wire.shape_messages`).
2. **ValidationException** listing the violated constraints (``required``, length, value range,
   ``enum``, ``pattern``) of the whole request: ``2 validation errors detected: Value 'ab' at
   'indexName' failed to satisfy constraint: ...; ...``. Coral orders a structure's violations by
   the iteration order of a Java ``HashMap`` of its lower-camel member names, lists elements by
   index and map entries in document order, and lists (and counts) at most ten.

Nothing semantic is checked here: key schemas, expressions and attribute-value rules are the
service's. Shapes named in ``types_only`` (DynamoDB's ``AttributeValue``) get JSON type checks
only, done without recursion so any nesting depth is safe; shapes in ``unchecked`` are not looked
at at all. JSON ``null`` means absent and unknown members are ignored, as on AWS.

Some checks the model describes are no longer the front end's: AWS moved them into the service,
which words them its own way and makes them first (DynamoDB's "The parameter 'TableName' is
required but was not present in the request"). A service names such top-level input members in
``service_checks``; their checks run once the JSON types are known good and before any
constraint is reported.

``validate`` leaves the body as Coral would hand it to the service, changing it in place:
members whose value is ``null`` are removed, integer/long members given a fraction or a number
too large are truncated and wrapped like Java's ``BigDecimal.intValue()``/``longValue()``, and
boolean members given one of the strings Coral accepts (``true``/``false``/``yes``/``no``/``1``/
``0``, any case) hold the bool.

Each operation's input shape is compiled on first use into nested closures that only check (a
warm PutItem costs a few microseconds). When they meet a violation they give up, and a slower
interpretive pass over the same body builds the detailed, ordered messages.

This module is the entry point; the work is done by

* :mod:`~gureum.wire.shape_model` — the model loader and the shapes built from it;
* :mod:`~gureum.wire.shape_types` — JSON types, their errors and coercions, for every pass;
* :mod:`~gureum.wire.shape_walk` — the non-recursive types-only walk;
* :mod:`~gureum.wire.shape_checks` — the compiled checks (fast pass);
* :mod:`~gureum.wire.shape_violations` — the interpretive pass that words the violations;
* :mod:`~gureum.wire.shape_messages` — Coral's texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from gureum.core.errors import ServiceError, validation_error
from gureum.wire import shape_messages as msg
from gureum.wire.shape_checks import CheckCompiler, Checker, Violation
from gureum.wire.shape_model import Shape, ShapeModel, load_service_model
from gureum.wire.shape_types import TOP, type_error
from gureum.wire.shape_violations import violations

__all__ = ["ServiceCheck", "ShapeValidator", "load_service_model"]

ServiceCheck = Callable[[Any], "ServiceError | None"]
"""A service's own check of one input member: given its value (None when absent), the error to
answer, or None to go on with the model's checks."""
_OwnChecks = tuple[tuple[str, ServiceCheck], ...]


class ShapeValidator:
    """Checks request bodies of one service against its botocore model, as Coral does.

    ``types_only`` names shapes whose values get JSON type checks but no constraint checks
    (shapes on a cycle of the model are added to them, so no check ever recurses without bound);
    ``unchecked`` names shapes accepted as they are, for a service that validates them itself.
    ``service_checks`` maps ``"<InputShape>.<Member>"`` (a top-level member of an operation's
    input) to the check the service makes of it itself, ahead of the model's constraints: its
    error wins over every constraint violation of the request, and a member it accepts is then
    checked against the model as usual.
    ``java_package`` is the package of Coral's generated classes, which some texts name
    (derived from the model's endpoint prefix and API version when not given).
    """

    def __init__(
        self,
        model: dict[str, Any],
        *,
        types_only: Iterable[str] = ("AttributeValue",),
        unchecked: Iterable[str] = (),
        service_checks: Mapping[str, ServiceCheck] | None = None,
        java_package: str | None = None,
    ) -> None:
        self._shapes = ShapeModel(
            model, types_only=types_only, unchecked=unchecked, java_package=java_package
        )
        self._service_checks = dict(service_checks or {})
        self._compiler = CheckCompiler()
        self._operations: dict[str, tuple[Checker, Shape, _OwnChecks] | None] = {}

    def validate(self, operation: str, body: Any) -> None:
        """Raise the SerializationException or ValidationException Coral would answer to
        ``body`` (parsed JSON) for ``operation`` (or the error of a service check); otherwise
        normalize it in place and return. Operations the model does not have are not checked."""
        entry = self._operations.get(operation)
        if entry is None:
            if operation in self._operations:
                return
            entry = self._prepare(operation)
            if entry is None:
                return
        check, shape, own = entry
        if type(body) is not dict:
            raise type_error(body, shape, TOP)
        try:
            check(body)
        except Violation:
            pass
        else:
            _run_own(own, body)
            return
        self._explain(shape, body, own)  # outside the handler: no chained Violation

    def _prepare(self, operation: str) -> tuple[Checker, Shape, _OwnChecks] | None:
        shape = self._shapes.input_shape(operation)
        if shape is None:
            self._operations[operation] = None
            return None
        own = tuple(
            (member, check)
            for key, check in self._service_checks.items()
            for owner, _, member in [key.partition(".")]
            if owner == shape.name
        )
        entry = (self._compiler.compile(shape, TOP), shape, own)
        self._operations[operation] = entry
        return entry

    @staticmethod
    def _explain(shape: Shape, body: dict[str, Any], own: _OwnChecks) -> None:
        """The compiled checks met a violation: raise the errors Coral would, in its order."""
        found = violations(shape, body)  # raises on a wrong JSON type
        _run_own(own, body)
        if found:
            raise validation_error(msg.summary(found))


def _run_own(own: _OwnChecks, body: dict[str, Any]) -> None:
    """The service's own checks of top-level members, in order; the first error is raised."""
    for member, check in own:
        error = check(body.get(member))
        if error is not None:
            raise error
