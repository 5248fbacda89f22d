"""Event source mappings: Lambda reading DynamoDB streams (the API in :mod:`.operations`, the
delivery in :mod:`.poller`)."""
