"""DynamoDB Streams' documented limits."""

# ListStreams and DescribeStream: "The upper limit is 100."
MAX_LIST_LIMIT = 100
# GetRecords: "The upper limit is 1000."
MAX_RECORDS_LIMIT = 1000
# "A shard iterator expires 15 minutes after it is returned to the requester."
ITERATOR_LIFETIME_SECONDS = 15 * 60.0
# "All data in DynamoDB Streams is subject to a 24 hour lifetime."
RETENTION_SECONDS = 24 * 3600.0
# "Shards are ephemeral: They are created and deleted automatically, as needed." DynamoDB
# rolls a stream's shard over about every 4 hours (observed, not documented); the server's
# --shard-lifetime sets it.
DEFAULT_SHARD_LIFETIME_SECONDS = 4 * 3600.0
