"""DynamoDB Streams: the change log of stream-enabled tables, read through the Streams API."""
