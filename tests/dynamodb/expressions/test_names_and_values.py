"""ExpressionAttributeNames (#names) and ExpressionAttributeValues (:values): unused and
undefined placeholders, reserved words (case-insensitive), invalid placeholder keys, empty
maps, invalid values, and mixing expression with legacy (non-expression) parameters.

Sources: the AWS developer guide ("Expression attribute names", "Expression attribute values",
"Reserved words in DynamoDB"), and what peers recorded from real DynamoDB: dynalite
``test/{getItem,putItem,updateItem,deleteItem,query,scan}.js`` and ``validations/index.js``
texts, the nubo-db and paritysuite conformance suites (``tier3/error-messages``,
``tier3/limits/reservedWords.test.ts``).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]


def fresh() -> Item:
    return {"p": {"S": new_key()}}


def error(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


def error_of_client(exc: ClientError) -> tuple[str, str]:
    err = exc.response["Error"]
    return err["Code"], err["Message"]


def unused_keys(message: str, kind: str) -> set[str]:
    """The placeholders an 'unused in expressions' message lists (in no fixed order)."""
    prefix = f"Value provided in {kind} unused in expressions: keys: {{"
    assert message.startswith(prefix)
    assert message.endswith("}")
    return set(message[len(prefix) : -1].split(", "))


# --- unused placeholders ----------------------------------------------------------------------


def operations(table: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """One well-formed request per operation, using placeholder #x (and :x where it can)."""
    return {
        "get_item": (
            "get_item",
            {"TableName": table, "Key": fresh(), "ProjectionExpression": "#x"},
        ),
        "put_item": (
            "put_item",
            {"TableName": table, "Item": fresh(), "ConditionExpression": "#x <> :x"},
        ),
        "delete_item": (
            "delete_item",
            {"TableName": table, "Key": fresh(), "ConditionExpression": "#x <> :x"},
        ),
        "update_item": (
            "update_item",
            {"TableName": table, "Key": fresh(), "UpdateExpression": "SET #x = :x"},
        ),
        "query": (
            "query",
            {
                "TableName": table,
                "KeyConditionExpression": "p = :x",
                "FilterExpression": "#x <> :x",
            },
        ),
        "scan": ("scan", {"TableName": table, "FilterExpression": "#x <> :x"}),
    }


@pytest.mark.parametrize(
    "operation", ["get_item", "put_item", "delete_item", "update_item", "query", "scan"]
)
def test_unused_name(ddb: Any, table_s: str, operation: str) -> None:
    method, params = operations(table_s)[operation]
    params["ExpressionAttributeNames"] = {"#x": "x", "#unused": "someattr"}
    if operation != "get_item":
        params["ExpressionAttributeValues"] = {":x": {"S": "v"}}
    assert error(getattr(ddb, method), **params) == (
        "ValidationException",
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
    )


@pytest.mark.parametrize("operation", ["put_item", "delete_item", "update_item", "query", "scan"])
def test_unused_value(ddb: Any, table_s: str, operation: str) -> None:
    method, params = operations(table_s)[operation]
    params["ExpressionAttributeNames"] = {"#x": "x"}
    params["ExpressionAttributeValues"] = {":x": {"S": "v"}, ":unused": {"S": "extra"}}
    assert error(getattr(ddb, method), **params) == (
        "ValidationException",
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
    )


def test_several_unused_names(ddb: Any, table_s: str) -> None:
    code, message = error(
        ddb.update_item,
        TableName=table_s,
        Key=fresh(),
        UpdateExpression="remove a set b = list_append(b, if_not_exists(a, :a))",
        ConditionExpression="a = :b",
        ExpressionAttributeValues={":a": {"L": []}, ":b": {"S": "a"}},
        ExpressionAttributeNames={"#a": "a", "#b": "b"},
    )
    assert code == "ValidationException"
    assert unused_keys(message, "ExpressionAttributeNames") == {"#a", "#b"}


def test_several_unused_values(ddb: Any, table_s: str) -> None:
    code, message = error(
        ddb.update_item,
        TableName=table_s,
        Key=fresh(),
        UpdateExpression="remove a",
        ConditionExpression="a = :b",
        ExpressionAttributeValues={":a": {"S": "a"}, ":b": {"S": "a"}, ":c": {"S": "a"}},
    )
    assert code == "ValidationException"
    assert unused_keys(message, "ExpressionAttributeValues") == {":a", ":c"}


def test_placeholder_used_in_any_expression_of_the_request_counts(
    ddb: Any, table_s: str, read: Any
) -> None:
    key = fresh()
    ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET #a = :v",
        ConditionExpression="attribute_not_exists(#b) AND :v <> :w",
        ExpressionAttributeNames={"#a": "a", "#b": "b"},
        ExpressionAttributeValues={":v": {"N": "1"}, ":w": {"N": "2"}},
    )
    assert read(key) == {**key, "a": {"N": "1"}}


# --- undefined placeholders -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params", "kind", "placeholder"),
    [
        ("update_item", {"UpdateExpression": "SET attr1 = :v"}, "UpdateExpression", ":v"),
        ("update_item", {"UpdateExpression": "SET #c = :a"}, "UpdateExpression", "#c"),
        ("put_item", {"ConditionExpression": "#a = :a"}, "ConditionExpression", "#a"),
        ("delete_item", {"ConditionExpression": "a = :a"}, "ConditionExpression", ":a"),
        ("scan", {"FilterExpression": "(#P between :lo and :hi)"}, "FilterExpression", "#P"),
        ("scan", {"FilterExpression": "#_ > a"}, "FilterExpression", "#_"),
        ("scan", {"FilterExpression": ":_ > a"}, "FilterExpression", ":_"),
        ("get_item", {"ProjectionExpression": "a, #b"}, "ProjectionExpression", "#b"),
    ],
)
def test_undefined_placeholder(
    ddb: Any, table_s: str, method: str, params: dict[str, Any], kind: str, placeholder: str
) -> None:
    request: dict[str, Any] = {"TableName": table_s, **params}
    if method in ("update_item", "delete_item", "get_item"):
        request["Key"] = fresh()
    if method == "put_item":
        request["Item"] = fresh()
    if placeholder.startswith("#"):
        detail = (
            "An expression attribute name used in the document path is not defined; "
            f"attribute name: {placeholder}"
        )
    else:
        detail = (
            f"An expression attribute value used in expression is not defined; attribute "
            f"value: {placeholder}"
        )
    assert error(getattr(ddb, method), **request) == (
        "ValidationException",
        f"Invalid {kind}: {detail}",
    )


def test_names_substitute_whole_path_elements(ddb: Any, table_s: str, put: Any) -> None:
    key = put(
        **{
            "a.b": {"S": "dotted"},
            "a": {"M": {"b": {"S": "nested"}}},
            "x-y": {"S": "dash"},
            "1st": {"S": "digit"},
        }
    )
    response = ddb.get_item(
        TableName=table_s,
        Key=key,
        ConsistentRead=True,
        ProjectionExpression="#dotted, #a.#b, #dash, #digit",
        ExpressionAttributeNames={
            "#dotted": "a.b",
            "#a": "a",
            "#b": "b",
            "#dash": "x-y",
            "#digit": "1st",
        },
    )
    assert response["Item"] == {
        "a.b": {"S": "dotted"},
        "a": {"M": {"b": {"S": "nested"}}},
        "x-y": {"S": "dash"},
        "1st": {"S": "digit"},
    }


def test_one_value_placeholder_used_many_times(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(a={"N": "1"}, b={"N": "1"})
    ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET c = :v, d = :v + :v",
        ConditionExpression="a = :v AND b = :v",
        ExpressionAttributeValues={":v": {"N": "1"}},
    )
    assert read(key) == {**key, "a": {"N": "1"}, "b": {"N": "1"}, "c": {"N": "1"}, "d": {"N": "2"}}


# --- reserved words ---------------------------------------------------------------------------

# The list of the AWS developer guide, "Reserved words in DynamoDB" (573 words).
_RESERVED_TEXT = (
    "ABORT ABSOLUTE ACTION ADD AFTER AGENT AGGREGATE ALL ALLOCATE ALTER ANALYZE AND ANY "
    "ARCHIVE ARE ARRAY AS ASC ASCII ASENSITIVE ASSERTION ASYMMETRIC AT ATOMIC ATTACH "
    "ATTRIBUTE AUTH AUTHORIZATION AUTHORIZE AUTO AVG BACK BACKUP BASE BATCH BEFORE BEGIN "
    "BETWEEN BIGINT BINARY BIT BLOB BLOCK BOOLEAN BOTH BREADTH BUCKET BULK BY BYTE CALL "
    "CALLED CALLING CAPACITY CASCADE CASCADED CASE CAST CATALOG CHAR CHARACTER CHECK CLASS "
    "CLOB CLOSE CLUSTER CLUSTERED CLUSTERING CLUSTERS COALESCE COLLATE COLLATION COLLECTION "
    "COLUMN COLUMNS COMBINE COMMENT COMMIT COMPACT COMPILE COMPRESS CONDITION CONFLICT "
    "CONNECT CONNECTION CONSISTENCY CONSISTENT CONSTRAINT CONSTRAINTS CONSTRUCTOR CONSUMED "
    "CONTINUE CONVERT COPY CORRESPONDING COUNT COUNTER CREATE CROSS CUBE CURRENT CURSOR CYCLE "
    "DATA DATABASE DATE DATETIME DAY DEALLOCATE DEC DECIMAL DECLARE DEFAULT DEFERRABLE "
    "DEFERRED DEFINE DEFINED DEFINITION DELETE DELIMITED DEPTH DEREF DESC DESCRIBE DESCRIPTOR "
    "DETACH DETERMINISTIC DIAGNOSTICS DIRECTORIES DISABLE DISCONNECT DISTINCT DISTRIBUTE DO "
    "DOMAIN DOUBLE DROP DUMP DURATION DYNAMIC EACH ELEMENT ELSE ELSEIF EMPTY ENABLE END EQUAL "
    "EQUALS ERROR ESCAPE ESCAPED EVAL EVALUATE EXCEEDED EXCEPT EXCEPTION EXCEPTIONS EXCLUSIVE "
    "EXEC EXECUTE EXISTS EXIT EXPLAIN EXPLODE EXPORT EXPRESSION EXTENDED EXTERNAL EXTRACT "
    "FAIL FALSE FAMILY FETCH FIELDS FILE FILTER FILTERING FINAL FINISH FIRST FIXED FLATTERN "
    "FLOAT FOR FORCE FOREIGN FORMAT FORWARD FOUND FREE FROM FULL FUNCTION FUNCTIONS GENERAL "
    "GENERATE GET GLOB GLOBAL GO GOTO GRANT GREATER GROUP GROUPING HANDLER HASH HAVE HAVING "
    "HEAP HIDDEN HOLD HOUR IDENTIFIED IDENTITY IF IGNORE IMMEDIATE IMPORT IN INCLUDING "
    "INCLUSIVE INCREMENT INCREMENTAL INDEX INDEXED INDEXES INDICATOR INFINITE INITIALLY "
    "INLINE INNER INNTER INOUT INPUT INSENSITIVE INSERT INSTEAD INT INTEGER INTERSECT "
    "INTERVAL INTO INVALIDATE IS ISOLATION ITEM ITEMS ITERATE JOIN KEY KEYS LAG LANGUAGE "
    "LARGE LAST LATERAL LEAD LEADING LEAVE LEFT LENGTH LESS LEVEL LIKE LIMIT LIMITED LINES "
    "LIST LOAD LOCAL LOCALTIME LOCALTIMESTAMP LOCATION LOCATOR LOCK LOCKS LOG LOGED LONG LOOP "
    "LOWER MAP MATCH MATERIALIZED MAX MAXLEN MEMBER MERGE METHOD METRICS MIN MINUS MINUTE "
    "MISSING MOD MODE MODIFIES MODIFY MODULE MONTH MULTI MULTISET NAME NAMES NATIONAL NATURAL "
    "NCHAR NCLOB NEW NEXT NO NONE NOT NULL NULLIF NUMBER NUMERIC OBJECT OF OFFLINE OFFSET OLD "
    "ON ONLINE ONLY OPAQUE OPEN OPERATOR OPTION OR ORDER ORDINALITY OTHER OTHERS OUT OUTER "
    "OUTPUT OVER OVERLAPS OVERRIDE OWNER PAD PARALLEL PARAMETER PARAMETERS PARTIAL PARTITION "
    "PARTITIONED PARTITIONS PATH PERCENT PERCENTILE PERMISSION PERMISSIONS PIPE PIPELINED "
    "PLAN POOL POSITION PRECISION PREPARE PRESERVE PRIMARY PRIOR PRIVATE PRIVILEGES PROCEDURE "
    "PROCESSED PROJECT PROJECTION PROPERTY PROVISIONING PUBLIC PUT QUERY QUIT QUORUM RAISE "
    "RANDOM RANGE RANK RAW READ READS REAL REBUILD RECORD RECURSIVE REDUCE REF REFERENCE "
    "REFERENCES REFERENCING REGEXP REGION REINDEX RELATIVE RELEASE REMAINDER RENAME REPEAT "
    "REPLACE REQUEST RESET RESIGNAL RESOURCE RESPONSE RESTORE RESTRICT RESULT RETURN "
    "RETURNING RETURNS REVERSE REVOKE RIGHT ROLE ROLES ROLLBACK ROLLUP ROUTINE ROW ROWS RULE "
    "RULES SAMPLE SATISFIES SAVE SAVEPOINT SCAN SCHEMA SCOPE SCROLL SEARCH SECOND SECTION "
    "SEGMENT SEGMENTS SELECT SELF SEMI SENSITIVE SEPARATE SEQUENCE SERIALIZABLE SESSION SET "
    "SETS SHARD SHARE SHARED SHORT SHOW SIGNAL SIMILAR SIZE SKEWED SMALLINT SNAPSHOT SOME "
    "SOURCE SPACE SPACES SPARSE SPECIFIC SPECIFICTYPE SPLIT SQL SQLCODE SQLERROR SQLEXCEPTION "
    "SQLSTATE SQLWARNING START STATE STATIC STATUS STORAGE STORE STORED STREAM STRING STRUCT "
    "STYLE SUB SUBMULTISET SUBPARTITION SUBSTRING SUBTYPE SUM SUPER SYMMETRIC SYNONYM SYSTEM "
    "TABLE TABLESAMPLE TEMP TEMPORARY TERMINATED TEXT THAN THEN THROUGHPUT TIME TIMESTAMP "
    "TIMEZONE TINYINT TO TOKEN TOTAL TOUCH TRAILING TRANSACTION TRANSFORM TRANSLATE "
    "TRANSLATION TREAT TRIGGER TRIM TRUE TRUNCATE TTL TUPLE TYPE UNDER UNDO UNION UNIQUE UNIT "
    "UNKNOWN UNLOGGED UNNEST UNPROCESSED UNSIGNED UNTIL UPDATE UPPER URL USAGE USE USER USERS "
    "USING UUID VACUUM VALUE VALUED VALUES VARCHAR VARIABLE VARIANCE VARINT VARYING VIEW "
    "VIEWS VIRTUAL VOID WAIT WHEN WHENEVER WHERE WHILE WINDOW WITH WITHIN WITHOUT WORK "
    "WRAPPED WRITE YEAR ZONE "
)
RESERVED_WORDS = _RESERVED_TEXT.split()


def test_every_reserved_word_is_rejected(ddb: Any, table_s: str) -> None:
    assert len(RESERVED_WORDS) == 573
    wrong = []
    for word in RESERVED_WORDS:
        spelling = word.lower() if len(word) % 2 else word.capitalize()
        try:
            ddb.get_item(TableName=table_s, Key=fresh(), ProjectionExpression=f"a.{spelling}")
        except ClientError as exc:
            got = error_of_client(exc)
            expected = (
                "ValidationException",
                "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved "
                f"keyword: {spelling}",
            )
            if got != expected:
                wrong.append((spelling, got))
        else:
            wrong.append((spelling, "accepted"))
    assert wrong == []


@pytest.mark.parametrize(
    "word",
    [
        "status",
        "Status",
        "STATUS",
        "sTaTuS",
        "name",
        "data",
        "count",
        "items",
        "size",
        "timestamp",
        "user",
        "year",
        "value",
        "key",
        "abort",
        "absolute",
        "zone",
        "order",
        "group",
        "comment",
    ],
)
def test_reserved_word_in_update_expression(ddb: Any, table_s: str, word: str) -> None:
    assert error(
        ddb.update_item,
        TableName=table_s,
        Key=fresh(),
        UpdateExpression=f"SET {word} = :v",
        ExpressionAttributeValues={":v": {"S": "x"}},
    ) == (
        "ValidationException",
        f"Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: {word}",
    )


@pytest.mark.parametrize(
    ("method", "params", "kind", "word"),
    [
        ("put_item", {"ConditionExpression": "status = :val"}, "ConditionExpression", "status"),
        ("scan", {"FilterExpression": ":val < abOrT"}, "FilterExpression", "abOrT"),
        ("scan", {"FilterExpression": "a.Name = :val"}, "FilterExpression", "Name"),
        ("get_item", {"ProjectionExpression": "pk, status"}, "ProjectionExpression", "status"),
        ("get_item", {"ProjectionExpression": "a.abORt"}, "ProjectionExpression", "abORt"),
        ("update_item", {"UpdateExpression": "REMOVE Absolute"}, "UpdateExpression", "Absolute"),
        (
            "update_item",
            {"UpdateExpression": "SET a.#c = :val, b.data = :val"},
            "UpdateExpression",
            "data",
        ),
    ],
)
def test_reserved_word_in_every_expression_kind(
    ddb: Any, table_s: str, method: str, params: dict[str, Any], kind: str, word: str
) -> None:
    request: dict[str, Any] = {"TableName": table_s, **params}
    if method == "put_item":
        request["Item"] = fresh()
    elif method != "scan":
        request["Key"] = fresh()
    if ":val" in str(params):
        request["ExpressionAttributeValues"] = {":val": {"S": "x"}}
    if "#c" in str(params):
        request["ExpressionAttributeNames"] = {"#c": "c"}
    assert error(getattr(ddb, method), **request) == (
        "ValidationException",
        f"Invalid {kind}: Attribute name is a reserved keyword; reserved keyword: {word}",
    )


def test_reserved_words_work_through_names(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    names = {"#status": "status", "#name": "name", "#count": "count", "#data": "data"}
    ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET #status = :s, #name = :n, #count = :c, #data = :d",
        ExpressionAttributeNames=names,
        ExpressionAttributeValues={
            ":s": {"S": "on"},
            ":n": {"S": "ada"},
            ":c": {"N": "2"},
            ":d": {"S": "x"},
        },
    )
    got = ddb.get_item(
        TableName=table_s,
        Key=key,
        ConsistentRead=True,
        ProjectionExpression="#status, #name, #count, #data",
        ExpressionAttributeNames=names,
    )
    assert got["Item"] == {
        "status": {"S": "on"},
        "name": {"S": "ada"},
        "count": {"N": "2"},
        "data": {"S": "x"},
    }
    assert read(key)["status"] == {"S": "on"}


@pytest.mark.parametrize("word", ["statuses", "named", "datum", "counts", "p", "myname"])
def test_words_that_are_not_reserved(ddb: Any, table_s: str, word: str, read: Any) -> None:
    key = fresh()
    ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression=f"SET {word}x = :v",
        ExpressionAttributeValues={":v": {"S": "ok"}},
    )
    assert read(key)[f"{word}x"] == {"S": "ok"}


# --- invalid placeholder keys and empty maps --------------------------------------------------


@pytest.mark.parametrize("key", ["a", "#a-b", "#", "a#", "#a.b", "#a b"])
def test_invalid_name_placeholder(ddb: Any, table_s: str, key: str) -> None:
    assert error(
        ddb.get_item,
        TableName=table_s,
        Key=fresh(),
        ProjectionExpression="x",
        ExpressionAttributeNames={key: "a"},
    ) == (
        "ValidationException",
        f'ExpressionAttributeNames contains invalid key: Syntax error; key: "{key}"',
    )


@pytest.mark.parametrize("key", ["a", "b", ":a-b", ":", "a:"])
def test_invalid_value_placeholder(ddb: Any, table_s: str, key: str) -> None:
    assert error(
        ddb.scan,
        TableName=table_s,
        FilterExpression="x = :v",
        ExpressionAttributeValues={":v": {"S": "a"}, key: {"S": "b"}},
    ) == (
        "ValidationException",
        f'ExpressionAttributeValues contains invalid key: Syntax error; key: "{key}"',
    )


def test_empty_names(ddb: Any, table_s: str) -> None:
    assert error(
        ddb.scan,
        TableName=table_s,
        FilterExpression="a = :v",
        ExpressionAttributeNames={},
        ExpressionAttributeValues={":v": {"S": "x"}},
    ) == (
        "ValidationException",
        "ExpressionAttributeNames must not be empty",
    )


def test_empty_values(ddb: Any, table_s: str) -> None:
    assert error(
        ddb.update_item,
        TableName=table_s,
        Key=fresh(),
        UpdateExpression="REMOVE a",
        ExpressionAttributeValues={},
    ) == (
        "ValidationException",
        "ExpressionAttributeValues must not be empty",
    )


# --- invalid values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        (
            {},
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        ),
        (
            {"S": "a", "N": "1"},
            "Supplied AttributeValue has more than one datatypes set, must "
            "contain exactly one of the supported datatypes",
        ),
        (
            {"NULL": False},
            "One or more parameter values were invalid: Null attribute value types "
            "must have the value of true",
        ),
        ({"SS": []}, "One or more parameter values were invalid: An string set  may not be empty"),
        ({"NS": []}, "One or more parameter values were invalid: An number set  may not be empty"),
        (
            {"SS": ["a", "a"]},
            "One or more parameter values were invalid: Input collection [a, a] "
            "contains duplicates.",
        ),
        ({"N": "b"}, "The parameter cannot be converted to a numeric value: b"),
        ({"NS": ["1", "1"]}, "Input collection contains duplicates"),
    ],
)
def test_invalid_value(ddb: Any, table_s: str, value: Item, detail: str) -> None:
    assert error(
        ddb.update_item,
        TableName=table_s,
        Key=fresh(),
        UpdateExpression="SET a = :b",
        ExpressionAttributeValues={":b": value},
    ) == (
        "ValidationException",
        f"ExpressionAttributeValues contains invalid value: {detail} for key :b",
    )


def test_empty_string_value_is_allowed_outside_keys(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET a = :e, b = :eb",
        ExpressionAttributeValues={":e": {"S": ""}, ":eb": {"B": b""}},
    )
    assert read(key) == {**key, "a": {"S": ""}, "b": {"B": b""}}


# --- names and values without expressions; mixing with legacy parameters ----------------------


def test_names_without_an_expression(ddb: Any, table_s: str) -> None:
    assert error(
        ddb.get_item, TableName=table_s, Key=fresh(), ExpressionAttributeNames={"#a": "a"}
    ) == (
        "ValidationException",
        "ExpressionAttributeNames can only be specified when using expressions",
    )


@pytest.mark.parametrize(
    ("method", "extra", "message"),
    [
        ("put_item", {}, "ConditionExpression is null"),
        ("delete_item", {}, "ConditionExpression is null"),
        ("update_item", {}, "UpdateExpression and ConditionExpression are null"),
        ("scan", {}, "FilterExpression is null"),
        (
            "query",
            {
                "KeyConditions": {
                    "p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]}
                }
            },
            "FilterExpression and KeyConditionExpression are null",
        ),
    ],
)
def test_values_without_an_expression(
    ddb: Any, table_s: str, method: str, extra: dict[str, Any], message: str
) -> None:
    request: dict[str, Any] = {
        "TableName": table_s,
        "ExpressionAttributeValues": {":a": {"S": "a"}},
        **extra,
    }
    if method == "put_item":
        request["Item"] = fresh()
    elif method in ("delete_item", "update_item"):
        request["Key"] = fresh()
    assert error(getattr(ddb, method), **request) == (
        "ValidationException",
        f"ExpressionAttributeValues can only be specified when using expressions: {message}",
    )


def test_values_with_only_a_projection(ddb: Any, table_s: str) -> None:
    assert error(
        ddb.scan,
        TableName=table_s,
        ProjectionExpression="a",
        ExpressionAttributeValues={":a": {"S": "a"}},
    ) == (
        "ValidationException",
        "ExpressionAttributeValues can only be specified when using expressions: "
        "FilterExpression is null",
    )


MIXED = "Can not use both expression and non-expression parameters in the same request"


@pytest.mark.parametrize(
    ("method", "params", "legacy", "expressions"),
    [
        (
            "get_item",
            {"AttributesToGet": ["a"], "ProjectionExpression": "a"},
            "AttributesToGet",
            "ProjectionExpression",
        ),
        (
            "put_item",
            {
                "Expected": {"a": {"Exists": False}},
                "ConditionExpression": "attribute_not_exists(a)",
            },
            "Expected",
            "ConditionExpression",
        ),
        (
            "delete_item",
            {"ConditionalOperator": "AND", "ConditionExpression": "attribute_not_exists(a)"},
            "ConditionalOperator",
            "ConditionExpression",
        ),
        (
            "update_item",
            {
                "AttributeUpdates": {"a": {"Action": "PUT", "Value": {"S": "v"}}},
                "UpdateExpression": "SET a = :v",
                "ExpressionAttributeValues": {":v": {"S": "v"}},
            },
            "AttributeUpdates",
            "UpdateExpression",
        ),
        (
            "update_item",
            {
                "Expected": {"a": {"Exists": False}},
                "UpdateExpression": "SET a = :v",
                "ExpressionAttributeValues": {":v": {"S": "v"}},
            },
            "Expected",
            "UpdateExpression",
        ),
        (
            "scan",
            {
                "ScanFilter": {"a": {"ComparisonOperator": "NULL"}},
                "FilterExpression": "attribute_not_exists(a)",
            },
            "ScanFilter",
            "FilterExpression",
        ),
        (
            "scan",
            {"AttributesToGet": ["a"], "FilterExpression": "attribute_not_exists(a)"},
            "AttributesToGet",
            "FilterExpression",
        ),
    ],
)
def test_expression_and_legacy_parameters_together(
    ddb: Any, table_s: str, method: str, params: dict[str, Any], legacy: str, expressions: str
) -> None:
    request: dict[str, Any] = {"TableName": table_s, **params}
    if method == "put_item":
        request["Item"] = fresh()
    elif method != "scan":
        request["Key"] = fresh()
    assert error(getattr(ddb, method), **request) == (
        "ValidationException",
        f"{MIXED}: Non-expression parameters: {{{legacy}}} Expression parameters: "
        f"{{{expressions}}}",
    )


def test_query_mixing_lists_every_parameter(ddb: Any, table_s: str) -> None:
    """dynalite test/query.js: both lists, in DynamoDB's member order."""
    assert error(
        ddb.query,
        TableName=table_s,
        Select="SPECIFIC_ATTRIBUTES",
        AttributesToGet=["a"],
        QueryFilter={"a": {"ComparisonOperator": "NULL"}},
        ConditionalOperator="OR",
        KeyConditions={"p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]}},
        ProjectionExpression="a",
        FilterExpression="attribute_exists(a)",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
    ) == (
        "ValidationException",
        f"{MIXED}: Non-expression parameters: {{AttributesToGet, QueryFilter, "
        "ConditionalOperator, KeyConditions} Expression parameters: {ProjectionExpression, "
        "FilterExpression, KeyConditionExpression}",
    )


def test_key_conditions_with_a_filter_expression_are_allowed(ddb: Any, table_sn: str) -> None:
    """Without a KeyConditionExpression, KeyConditions does not count as mixing."""
    p = new_key()
    for c, tag in [("1", "a"), ("2", "b")]:
        ddb.put_item(TableName=table_sn, Item={"p": {"S": p}, "c": {"N": c}, "t": {"S": tag}})
    response = ddb.query(
        TableName=table_sn,
        KeyConditions={"p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": p}]}},
        FilterExpression="t = :t",
        ExpressionAttributeValues={":t": {"S": "b"}},
    )
    assert response["Items"] == [{"p": {"S": p}, "c": {"N": "2"}, "t": {"S": "b"}}]
    assert (response["Count"], response["ScannedCount"]) == (1, 2)


@pytest.mark.parametrize("method", ["update_item", "get_item"])
def test_name_placeholder_for_an_empty_name(ddb: Any, table_s: str, method: str) -> None:
    params: dict[str, Any] = {
        "TableName": table_s,
        "Key": fresh(),
        "ExpressionAttributeNames": {"#DE": ""},
    }
    if method == "update_item":
        params["UpdateExpression"] = "SET #DE = :v"
        params["ExpressionAttributeValues"] = {":v": {"S": "x"}}
    else:
        params["ProjectionExpression"] = "#DE"
    assert error(getattr(ddb, method), **params) == (
        "ValidationException",
        "ExpressionAttributeNames contains invalid value: Empty attribute name for key #DE",
    )
