# gureum — developer commands. `make run` serves gureum; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: serve gureum on 127.0.0.1:4566, data kept in ./.gureum
run: $(STAMP)
	$(BIN)/gureum serve

## test: the whole test suite (boto3 and the AWS CLI against a real gureum process)
test: $(STAMP)
	$(BIN)/python -m pytest

## lint: ruff (lint + format check) and mypy --strict
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

## bench: the load benchmark (see bench/README.md): the anchor workloads, gureum's feature workloads, Lambda Invoke, stream-to-function delay
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/features.py
	$(BIN)/python bench/lambda_invoke.py
	$(BIN)/python bench/stream_delay.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
