"""The one tokenizer for every expression kind.

DynamoDB's lexer: names are a letter then letters, digits or '_'; ``#name`` and ``:value``
placeholders continue with letters, digits or '_'; list indexes are digit runs. Any other
character becomes a one-character token of its own, which the parser then reports as a
syntax error (``SET _a`` fails on token "_").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = "name"  # identifier: attribute name, function name or keyword
HASH = "hash"  # #placeholder
VALUE = "value"  # :placeholder
NUMBER = "number"  # digits (list index)
PUNCT = "punct"  # ( ) [ ] , . = <> < <= > >= + -
ERROR = "error"  # a character no token starts with
EOF = "eof"

_TOKEN = re.compile(
    r"(?P<ws>[ \t\r\n]+)"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<hash>#[A-Za-z0-9_]+)"
    r"|(?P<value>:[A-Za-z0-9_]+)"
    r"|(?P<number>[0-9]+)"
    r"|(?P<punct><>|<=|>=|[()\[\],.=<>+\-])"
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


def tokenize(source: str) -> list[Token]:
    """All tokens of ``source``, whitespace dropped, ending with an EOF token."""
    tokens: list[Token] = []
    position = 0
    length = len(source)
    match = _TOKEN.match
    while position < length:
        found = match(source, position)
        if found is None:
            tokens.append(Token(ERROR, source[position], position, position + 1))
            position += 1
            continue
        kind = found.lastgroup
        end = found.end()
        if kind != "ws":
            assert kind is not None
            tokens.append(Token(kind, found.group(), position, end))
        position = end
    tokens.append(Token(EOF, "<EOF>", length, length))
    return tokens


def syntax_error_text(source: str, tokens: list[Token], index: int) -> str:
    """DynamoDB's ``Syntax error; token: "<tok>", near: "<text>"`` for the token at ``index``.

    ``near`` is the source from the previous token through the next one (observed on AWS:
    'a-b' -> token "-", near "a-b"; 'INVALID SYNTAX HERE' -> token "INVALID", near
    "INVALID SYNTAX"); at the end of input it runs to the end of the text.
    """
    token = tokens[index]
    start = tokens[index - 1].start if index > 0 else token.start
    if token.kind == EOF or tokens[index + 1].kind == EOF:
        end = len(source)
    else:
        end = tokens[index + 1].end
    return f'Syntax error; token: "{token.text}", near: "{source[start:end]}"'
