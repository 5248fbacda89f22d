"""The errors of the DynamoDB Streams API, with their texts.

Texts marked ``[gureum]`` were not confirmed against AWS; the others are AWS's.
"""

from __future__ import annotations

from gureum.core.errors import ServiceError, constraint_violations, validation_error


def stream_not_found(arn: str) -> ServiceError:
    return ServiceError(
        "ResourceNotFoundException", f"Requested resource not found: Stream: {arn} not found"
    )


def shard_not_found() -> ServiceError:
    # also a shard trimmed away after the retention period
    return ServiceError(
        "ResourceNotFoundException", "Requested resource not found: Shard does not exist"
    )


def invalid_stream_arn(arn: str) -> ServiceError:
    # [gureum]
    return validation_error(f"Invalid StreamArn: {arn}")


def invalid_iterator() -> ServiceError:
    return validation_error("Invalid ShardIterator.")


def expired_iterator() -> ServiceError:
    # AWS's, as the DynamoDB Streams Kinesis adapter quotes it from a real answer
    # (spring-integration-aws #59)
    return ServiceError("ExpiredIteratorException", "Shard iterator has expired")


def trimmed() -> ServiceError:
    # [gureum] (the documented meaning of the error, as text)
    return ServiceError(
        "TrimmedDataAccessException", "The data you are trying to access has been trimmed"
    )


def sequence_number_required(iterator_type: str) -> ServiceError:
    # [gureum]
    return validation_error(f"SequenceNumber is required for ShardIteratorType {iterator_type}")


def sequence_number_forbidden(iterator_type: str) -> ServiceError:
    # [gureum]
    return validation_error(
        f"SequenceNumber must not be specified for ShardIteratorType {iterator_type}"
    )


def invalid_sequence_number(number: str) -> ServiceError:
    # [gureum]
    return validation_error(f"Invalid SequenceNumber: {number}")


def sequence_number_out_of_range(number: str, shard_id: str) -> ServiceError:
    # [gureum]
    return validation_error(f"SequenceNumber {number} is not in the range of shard {shard_id}")


def limit_too_high(value: int, member: str, maximum: int) -> ServiceError:
    # [gureum] (the front end's constraint text, for a maximum the model does not carry)
    return constraint_violations(
        [
            f"Value '{value}' at '{member}' failed to satisfy constraint: "
            f"Member must have value less than or equal to {maximum}"
        ]
    )
