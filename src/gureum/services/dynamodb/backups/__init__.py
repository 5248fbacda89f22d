"""On-demand backups, restores and point-in-time recovery; ``operations.BackupOperations``
and ``point_in_time.PointInTimeOperations`` hold the handlers."""
