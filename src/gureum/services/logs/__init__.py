"""Amazon CloudWatch Logs: log groups, log streams and their events."""
