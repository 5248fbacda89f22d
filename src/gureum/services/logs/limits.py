"""CloudWatch Logs' documented limits (PutLogEvents, the Describe and Get operations)."""

# PutLogEvents: "The maximum batch size is 1,048,576 bytes. This size is calculated as the sum
# of all event messages in UTF-8, plus 26 bytes for each log event."
MAX_BATCH_BYTES = 1_048_576
EVENT_OVERHEAD_BYTES = 26
# "The maximum number of log events in a batch is 10,000." (also the model's list maximum)
MAX_BATCH_EVENTS = 10_000
# "A batch of log events in a single request cannot span more than 24 hours."
MAX_BATCH_SPAN_MS = 24 * 3600 * 1000
# "None of the log events in the batch can be more than 2 hours in the future."
MAX_FUTURE_MS = 2 * 3600 * 1000
# "None of the log events in the batch can be more than 14 days in the past."
MAX_AGE_MS = 14 * 24 * 3600 * 1000
# DescribeLogGroups / DescribeLogStreams: "the default is up to 50 items" (and the maximum)
MAX_DESCRIBE_LIMIT = 50
# GetLogEvents / FilterLogEvents: "the default is as many log events as can fit in a response
# size of 1 MB (up to 10,000 log events)"
MAX_EVENTS_LIMIT = 10_000
MAX_RESPONSE_BYTES = 1_048_576
# PutRetentionPolicy: "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
# 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653."
RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
    2922, 3288, 3653,
)  # fmt: skip
DAY_MS = 24 * 3600 * 1000
# The request body limit of the service's endpoint ([gureum]: generous, JSON escapes grow a
# 1 MB batch well past 1 MB; the batch itself is checked against MAX_BATCH_BYTES).
MAX_REQUEST_BYTES = 16 * 1024 * 1024
# [gureum] how often events past their group's retention are deleted (AWS: "within 72 hours")
RETENTION_SWEEP_SECONDS = 60.0
