"""PartiQL statements run over the DynamoDB operations (statements parsed by
:mod:`gureum.partiql`); ``operations.PartiQLOperations`` holds the handlers."""
