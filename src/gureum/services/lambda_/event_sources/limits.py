"""AWS Lambda's documented limits and defaults of event source mappings for DynamoDB streams."""

# "BatchSize ... Amazon DynamoDB Streams - Default 100. Max 10,000."
DEFAULT_BATCH_SIZE = 100
MAX_BATCH_SIZE = 10000
# "MaximumBatchingWindowInSeconds": default 0 for streams, at most 300.
DEFAULT_BATCHING_WINDOW_SECONDS = 0
# "ParallelizationFactor": 1 to 10, default 1.
DEFAULT_PARALLELIZATION = 1
# "MaximumRetryAttempts": -1 (infinite, the default) to 10,000.
DEFAULT_RETRY_ATTEMPTS = -1
# "MaximumRecordAgeInSeconds": -1 (infinite, the default), or 60 to 604,800.
DEFAULT_RECORD_AGE_SECONDS = -1
MIN_RECORD_AGE_SECONDS = 60
# "TumblingWindowInSeconds": 0 (the default) to 900.
DEFAULT_TUMBLING_WINDOW_SECONDS = 0
# "Your state can be a maximum of 1 MB per shard. If it exceeds that size, Lambda terminates
# the window early."
MAX_WINDOW_STATE_BYTES = 1024 * 1024
# ListEventSourceMappings: "MaxItems ... 1 to 10,000"; [gureum] a page without it holds 100.
DEFAULT_LIST_ITEMS = 100
# The starting positions valid for DynamoDB streams (AT_TIMESTAMP is Kinesis only).
STARTING_POSITIONS = ("TRIM_HORIZON", "LATEST")
FUNCTION_RESPONSE_TYPES = ("ReportBatchItemFailures",)

# [gureum] the poller: how often, at most, commits wake the readers of idle shards, how long
# an idle shard waits for a commit at the most before it reads again, how often a mapping looks for
# new shards, how long a mapping whose function or stream is gone waits before trying again.
CHANGE_TICK_SECONDS = 0.005
IDLE_POLL_SECONDS = 0.5
SHARD_SCAN_SECONDS = 1.0
PROBLEM_RETRY_SECONDS = 1.0
# [gureum] a throttled invocation (no free slot of the function) is tried again after this.
THROTTLE_RETRY_SECONDS = 0.05
# [gureum] the wait before retrying a failed batch grows by this much per attempt, up to a cap.
RETRY_BACKOFF_SECONDS = 0.05
MAX_RETRY_BACKOFF_SECONDS = 1.0
# [gureum] a window is taken as over this long after its end, so that a record written just
# before the end still reaches its lane first.
WINDOW_CLOSE_GRACE_SECONDS = 0.25
# [gureum] how often a window past its end looks again whether the reader reached the tip.
WINDOW_BACKLOG_POLL_SECONDS = 0.05
# [gureum] records read ahead of delivery, per shard, at most (in batches).
READ_AHEAD_BATCHES = 4
