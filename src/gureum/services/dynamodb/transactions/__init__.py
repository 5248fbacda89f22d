"""TransactWriteItems and TransactGetItems; ``operations.TransactionOperations`` holds the
handlers, ``conflicts`` the items held by transactions in flight."""
