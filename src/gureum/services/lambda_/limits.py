"""AWS Lambda's documented limits and defaults."""

# "Function timeout: 900 seconds (15 minutes)"; default 3 seconds.
MAX_TIMEOUT_SECONDS = 900
DEFAULT_TIMEOUT_SECONDS = 3
# "Function memory allocation: 128 MB to 10,240 MB, in 1-MB increments"; default 128 MB.
MIN_MEMORY_MB = 128
MAX_MEMORY_MB = 10240
DEFAULT_MEMORY_MB = 128
# "/tmp directory storage: between 512 MB and 10,240 MB"; default 512 MB.
DEFAULT_EPHEMERAL_STORAGE_MB = 512
# ListFunctions: "MaxItems ... between 1 and 10,000"; a page without MaxItems holds up to 50.
DEFAULT_LIST_ITEMS = 50
# "Deployment package (.zip file archive) size: 50 MB (zipped, when uploading directly)" — the
# base64 body of such a request is about 4/3 of it.
MAX_REQUEST_BYTES = 70 * 1024 * 1024
# The Python runtimes gureum can run (its runner executes the handler with a local Python).
SUPPORTED_RUNTIMES = ("python3.9", "python3.10", "python3.11", "python3.12", "python3.13")
# Runtimes whose deprecation blocks function creation and updates on AWS.
BLOCKED_RUNTIMES = frozenset(
    {
        "nodejs",
        "nodejs4.3",
        "nodejs6.10",
        "nodejs8.10",
        "nodejs10.x",
        "nodejs12.x",
        "nodejs14.x",
        "python2.7",
        "python3.6",
        "python3.7",
        "python3.8",
        "java8",
        "dotnetcore1.0",
        "dotnetcore2.0",
        "dotnetcore2.1",
        "dotnetcore3.1",
        "dotnet6",
        "ruby2.5",
        "ruby2.7",
        "go1.x",
        "nodejs4.3-edge",
    }
)
# "Concurrent executions: 1,000" per account and Region (the default quota), shared by every
# function without a reservation; a reservation may not leave fewer than 100 unreserved.
ACCOUNT_CONCURRENCY = 1000
MIN_UNRESERVED_CONCURRENCY = 100
# GetAccountSettings' AccountLimit: "Function and layer storage: 75 GB"; "Deployment package
# (.zip file archive) size: 50 MB (zipped, when uploading directly), 250 MB (unzipped)".
TOTAL_CODE_SIZE_BYTES = 75 * 1024 * 1024 * 1024
CODE_SIZE_ZIPPED_BYTES = 50 * 1024 * 1024
CODE_SIZE_UNZIPPED_BYTES = 250 * 1024 * 1024
# "You can add up to five layers to a Lambda function. The total unzipped size of the function
# and all layers cannot exceed the unzipped deployment package size quota of 250 MB."
MAX_LAYERS_PER_FUNCTION = 5
# ListLayers / ListLayerVersions: "MaxItems ... Maximum value of 50".
MAX_LAYER_LIST_ITEMS = 50
# RoutingConfig: "You can ... route traffic to up to two function versions" (one additional).
MAX_ALIAS_ADDITIONAL_VERSIONS = 1
# "The Init phase is limited to 10 seconds."
INIT_TIMEOUT_SECONDS = 10.0
# [gureum] a worker's address space (RLIMIT_AS) is MemorySize plus this much for the
# interpreter and its shared libraries (virtual, not resident, memory).
INTERPRETER_ALLOWANCE_MB = 1024
# "LogType: Tail ... the last 4 KB of the execution log"
LOG_TAIL_BYTES = 4 * 1024
# "Invocation payload (request and response): 6 MB each for synchronous ... 256 KB for
# asynchronous"
MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024
MAX_ASYNC_PAYLOAD_BYTES = 256 * 1024
# Event filtering: "By default, you can define up to five different filters for a single event
# source mapping" (a quota AWS raises to 10 on request).
MAX_FILTERS = 5
# EventBridge's numeric matching "is limited to values between -5.0e9 and +5.0e9 inclusive".
MAX_NUMERIC_FILTER_VALUE = 5.0e9
# [gureum] how deeply a filter pattern's objects may nest (AWS documents no depth; the limit of
# 4,096 characters a pattern has is the model's, checked by the front end).
MAX_FILTER_PATTERN_DEPTH = 64
# Asynchronous invocation: "Retry attempts - ... between 0 and 2" (default 2); "Maximum age of
# event - ... up to 6 hours" (MaximumEventAgeInSeconds 60 to 21600, default 21600); Lambda waits
# "one minute between the first two attempts, and two minutes between the second and third"
# (gureum's --async-retry-delay sets the first wait; the second is twice it).
DEFAULT_ASYNC_RETRY_ATTEMPTS = 2
DEFAULT_MAX_EVENT_AGE_SECONDS = 21600
ASYNC_RETRY_DELAY_SECONDS = 60.0
# ListFunctionEventInvokeConfigs: "MaxItems ... Maximum value of 50".
DEFAULT_EVENT_INVOKE_CONFIG_LIST_ITEMS = 50
# [gureum] how often a hot-reload function's folder is looked at for changes, at most
FOLDER_CHECK_SECONDS = 0.25

# Tags per function or event source mapping (TagResource, CreateFunction's Tags)
MAX_TAGS = 50

# LoggingConfig with the JSON format and no levels: AWS shows ApplicationLogLevel and
# SystemLogLevel INFO (as LocalStack's tests recorded them on AWS).
DEFAULT_LOG_LEVEL = "INFO"

# ListProvisionedConcurrencyConfigs: "MaxItems ... Maximum value of 50".
MAX_PROVISIONED_CONCURRENCY_LIST_ITEMS = 50

# A function's name (an ARN naming it may be up to 140 characters)
MAX_FUNCTION_NAME_LENGTH = 64

# Provisioned workers started at once (each start forks on the event loop)
PROVISIONED_STARTS_AT_ONCE = 2
