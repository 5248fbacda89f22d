"""DynamoDB's documented service quotas and API limits, in one place.

Each value names its source: the "Service, account, and table quotas in Amazon DynamoDB" page
of the DynamoDB Developer Guide, unless said otherwise.
"""

from __future__ import annotations

# Item size: "The maximum item size in DynamoDB is 400 KB, which includes both attribute name
# binary length (UTF-8 length) and attribute value lengths (again binary length)."
MAX_ITEM_SIZE = 400 * 1024
# "The maximum size of any item collection for a table which has one or more local secondary
# indexes is 10 GB."
MAX_ITEM_COLLECTION_BYTES = 10 * 1024**3
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

# Time to Live. UpdateTimeToLive (API reference): "It can take up to one hour for the change to
# fully process. Any additional UpdateTimeToLive calls for the same table during this one hour
# duration result in a ValidationException." (gureum serve --ttl-change-window changes it.)
TTL_CHANGE_WINDOW_SECONDS = 3600
# "The TTL attribute value must be a datetimestamp with an expiration of no more than five years
# in the past" (developer guide, "Using DynamoDB Time to Live"); older values never expire. Five
# years of 365 days: the exact cut-off is not documented.
TTL_MAX_PAST_SECONDS = 5 * 365 * 24 * 3600

# Point-in-time recovery. PointInTimeRecoverySpecification.RecoveryPeriodInDays (1 to 35, the
# range checked by the front end): "If no value is provided, the value will default to 35."
PITR_DEFAULT_RECOVERY_PERIOD_DAYS = 35
# "LatestRestorableDateTime is typically 5 minutes before the current time." gureum has no
# such lag: a table can be restored to any moment up to now.
PITR_RESTORE_LAG_SECONDS = 0.0
# "If you delete a table with point-in-time recovery enabled, a system backup is automatically
# created and is retained for 35 days" (developer guide, "Before you begin using point-in-time
# recovery").
SYSTEM_BACKUP_RETENTION_SECONDS = 35 * 24 * 3600

# Transactions ("Amazon DynamoDB Transactions: How it works"): "TransactWriteItems ... groups up
# to 100 write actions"; TransactGetItems "groups up to 100 Get actions" (the wire layer enforces
# TransactItems' length from botocore's model); "The aggregate size of the items in the
# transaction cannot exceed 4 MB." (both operations).
MAX_TRANSACTION_ACTIONS = 100
MAX_TRANSACTION_BYTES = 4 * 1024 * 1024
# ClientRequestToken (TransactWriteItems API reference): "A client request token is valid for 10
# minutes after the first request that uses it is completed."
IDEMPOTENCY_WINDOW_SECONDS = 10 * 60
