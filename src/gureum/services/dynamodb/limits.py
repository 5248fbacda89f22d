"""DynamoDB's documented service quotas and API limits, in one place.

Each value names its source: the "Service, account, and table quotas in Amazon DynamoDB" page
of the DynamoDB Developer Guide, unless said otherwise.
"""

from __future__ import annotations

# Item size: "The maximum item size in DynamoDB is 400 KB, which includes both attribute name
# binary length (UTF-8 length) and attribute value lengths (again binary length)."
MAX_ITEM_SIZE = 400 * 1024
# "The maximum length of a partition key value is 2048 bytes."
MAX_PARTITION_KEY_BYTES = 2048
# "The maximum length of a sort key value is 1024 bytes."
MAX_SORT_KEY_BYTES = 1024
# "DynamoDB supports nested attributes up to 32 levels deep."
MAX_NESTING_DEPTH = 32
# Numbers: "Numbers can have up to 38 digits of precision", magnitude 1E-130 .. 9.99..E+125
# (enforced in gureum.expressions.numbers).

# Table names: 3-255 characters of [a-zA-Z0-9_.-]. (Key attribute names of 1-255 characters,
# parallel scans of at most 1,000,000 segments and the other API member bounds are in
# botocore's model, which the wire layer enforces.)
MIN_TABLE_NAME_LENGTH = 3
MAX_TABLE_NAME_LENGTH = 255
# "Maximum number of tables per account per region: 2,500" (adjustable; DescribeLimits reports
# the account-level throughput quotas below).
MAX_TABLES_PER_REGION = 2500
# Secondary indexes: 20 global (default quota) and 5 local secondary indexes per table;
# 100 projected non-key attributes in total across a table's indexes.
MAX_GLOBAL_SECONDARY_INDEXES = 20
MAX_LOCAL_SECONDARY_INDEXES = 5
MAX_PROJECTED_ATTRIBUTES = 100

# DescribeLimits defaults (per account, per region): 80,000 RCU/WCU account-wide, 40,000 per
# table.
ACCOUNT_MAX_READ_CAPACITY_UNITS = 80000
ACCOUNT_MAX_WRITE_CAPACITY_UNITS = 80000
TABLE_MAX_READ_CAPACITY_UNITS = 40000
TABLE_MAX_WRITE_CAPACITY_UNITS = 40000

# API: "BatchGetItem ... can retrieve up to 16 MB of data, which can contain as many as 100
# items"; "BatchWriteItem ... can write up to 16 MB of data, which can comprise as many as 25
# put or delete requests".
MAX_BATCH_GET_KEYS = 100
MAX_BATCH_GET_RESPONSE_BYTES = 16 * 1024 * 1024
MAX_BATCH_WRITE_REQUESTS = 25
# "A single Query/Scan operation can retrieve a maximum of 1 MB of data."
MAX_PAGE_BYTES = 1024 * 1024
# ListTables: "Limit ... The value range is 1 to 100." and it returns at most 100 names.
MAX_LIST_TABLES = 100
# Tags: 50 per resource; key up to 128 characters, value up to 256.
MAX_TAGS_PER_RESOURCE = 50
# Expressions: "The maximum length of any expression string is 4 KB" (checked by the expression
# package, gureum.expressions.parser.MAX_EXPRESSION_BYTES).
# HTTP: "The maximum size of a request is 16 MB" (the front end rejects larger bodies).
MAX_REQUEST_BYTES = 16 * 1024 * 1024

# Capacity unit sizes: a read unit covers 4 KB (strongly consistent; half a unit eventually
# consistent), a write unit 1 KB.
READ_UNIT_BYTES = 4096
WRITE_UNIT_BYTES = 1024
