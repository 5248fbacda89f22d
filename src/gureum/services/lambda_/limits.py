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
# [gureum] concurrent executions of one function locally (AWS's account default is 1,000,
# shared by all functions); past it Invoke answers TooManyRequestsException.
CONCURRENCY_PER_FUNCTION = 10
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
