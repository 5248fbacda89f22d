"""``gureum logs FUNCTION``: print a Lambda function's log from a running gureum (its
CloudWatch Logs group: the LoggingConfig's LogGroup, ``/aws/lambda/FUNCTION`` unless set), and
with ``--follow`` keep printing new events as they come."""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gureum.config import DEFAULT_HOST, DEFAULT_PORT

if TYPE_CHECKING:
    import argparse

HELP = """\
Print the log of a Lambda function running in gureum: every invocation's START, output, END
and REPORT lines, oldest first. --follow keeps printing new lines until Ctrl-C."""

# How often --follow asks for new events (seconds)
FOLLOW_INTERVAL = 0.5


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "logs", help="print a Lambda function's log", description=HELP, allow_abbrev=False
    )
    parser.add_argument("function", metavar="FUNCTION", help="the function's name")
    parser.add_argument(
        "--follow", "-f", action="store_true", help="keep printing new lines until Ctrl-C"
    )
    parser.add_argument(
        "--since",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="start this many seconds ago (default 3600)",
    )
    parser.add_argument(
        "--endpoint",
        default=os.environ.get("GUREUM_ENDPOINT", f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"),
        help=f"the gureum to ask (GUREUM_ENDPOINT; default http://{DEFAULT_HOST}:{DEFAULT_PORT})",
    )
    parser.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION", "us-east-1"),
        help="the function's region (AWS_REGION; default us-east-1)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import botocore.session
    from botocore.config import Config
    from botocore.exceptions import ClientError, EndpointConnectionError

    session = botocore.session.get_session()

    def client(service: str) -> Any:
        return session.create_client(
            service,
            endpoint_url=args.endpoint,
            region_name=args.region,
            aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
            aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
            config=Config(retries={"max_attempts": 0}),
        )

    logs = client("logs")
    start = int((time.time() - args.since) * 1000)
    seen: set[str] = set()
    try:
        group, streams = _log_group(client("lambda"), args.function)
        while True:
            try:
                start = _print_new(logs, group, streams, start, seen)
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                    raise
                if not args.follow:
                    print(f"gureum logs: no log yet for function {args.function}", file=sys.stderr)
                    return 1
            if not args.follow:
                return 0
            time.sleep(FOLLOW_INTERVAL)
    except EndpointConnectionError:
        print(f"gureum logs: no gureum answers at {args.endpoint}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


def _log_group(client: Any, function: str) -> tuple[str, str]:
    """The function's log group, and what its log streams' names hold there: in a custom
    group (which other functions may share) ``/<function>[``, else nothing in particular. A
    function that is gone leaves its log in the default group."""
    from botocore.exceptions import ClientError

    default = f"/aws/lambda/{function}"
    try:
        config = client.get_function_configuration(FunctionName=function)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        return default, ""
    group: str = config.get("LoggingConfig", {}).get("LogGroup", default)
    return group, ("" if group == default else f"/{config['FunctionName']}[")


def _print_new(client: Any, group: str, streams: str, start: int, seen: set[str]) -> int:
    """Print the group's events from ``start`` (milliseconds) not printed yet, of the log
    streams whose names hold ``streams``; returns where the next call starts (events of the
    same millisecond may still arrive, hence ``seen``)."""
    params: dict[str, Any] = {"logGroupName": group, "startTime": start}
    while True:
        page = client.filter_log_events(**params)
        for event in page["events"]:
            if event["eventId"] in seen or streams not in event["logStreamName"]:
                continue
            seen.add(event["eventId"])
            start = max(start, event["timestamp"])
            stamp = datetime.fromtimestamp(event["timestamp"] / 1000, UTC)
            print(f"{stamp:%Y-%m-%dT%H:%M:%S.%f}"[:-3] + f"Z {event['message']}", flush=True)
        token = page.get("nextToken")
        if not token:
            return start
        params["nextToken"] = token
