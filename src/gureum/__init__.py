"""gureum: a local AWS serverless cloud in pure Python."""

__version__ = "0.1.0"
