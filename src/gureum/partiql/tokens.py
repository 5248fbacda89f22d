"""The tokenizer of DynamoDB's PartiQL statements.

Bare identifiers (keywords among them, compared case-insensitively), double-quoted
identifiers, single-quoted strings (a doubled quote escapes one), numbers (``5``, ``.5``,
``1.5e-3``), the ``?`` parameter and punctuation. ``--`` line comments and ``/* */`` block
comments are whitespace. What the lexer cannot read (a ``#`` comment, an unterminated block
comment or string, an exponent beyond a 32-bit integer) is refused with DynamoDB's
"wasn't well formed" text and nothing after its colon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Position, not_well_formed

IDENT = "ident"
QUOTED = "quoted"  # "double-quoted identifier"
STRING = "string"  # 'string literal'
NUMBER = "number"
PARAM = "param"  # ?
PUNCT = "punct"
EOF = "eof"

_TOKEN = re.compile(
    r"(?P<space>\s+|--[^\n]*)"
    r"|(?P<comment>/\*)"
    r"|(?P<ident>[A-Za-z_$][A-Za-z0-9_$]*)"
    r"|(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<quoted>\"(?:[^\"]|\"\")*\")"
    r"|(?P<string>'(?:[^']|'')*')"
    r"|(?P<param>\?)"
    r"|(?P<punct><<|>>|<=|>=|<>|!=|\|\||[()\[\]{},.:;*=<>+\-/%])"
)
_EXPONENT = re.compile(r"[eE]([+-]?[0-9]+)$")
_INT32_MIN = -(2**31)
_INT32_MAX = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str  # as written
    value: str  # identifiers and strings unquoted; otherwise as written
    start: int
    end: int

    @property
    def upper(self) -> str:
        """The keyword this bare identifier would be (empty for other tokens)."""
        return self.text.upper() if self.kind == IDENT else ""


def position(source: str, token: Token) -> Position:
    line = source.count("\n", 0, token.start) + 1
    column = token.start - (source.rfind("\n", 0, token.start) + 1) + 1
    return Position(line, column, max(token.end - token.start, 1))


def _check_number(text: str) -> None:
    """DynamoDB reads a number literal as a Java BigDecimal: its exponent, and its scale
    (fraction digits less the exponent), must each fit a 32-bit integer."""
    exponent_match = _EXPONENT.search(text)
    if exponent_match is None:
        return
    written = exponent_match.group(1)
    if len(written.lstrip("+-").lstrip("0")) > 10:
        raise not_well_formed("")  # far beyond 32 bits (and too long to read as an int)
    exponent = int(written)
    mantissa = text[: exponent_match.start()]
    fraction = mantissa.partition(".")[2]
    scale = len(fraction) - exponent
    if not _INT32_MIN <= exponent <= _INT32_MAX or not _INT32_MIN <= scale <= _INT32_MAX:
        raise not_well_formed("")


def tokenize(source: str) -> list[Token]:
    """All tokens of ``source``, comments and whitespace dropped, ending with EOF."""
    tokens: list[Token] = []
    index = 0
    length = len(source)
    match = _TOKEN.match
    while index < length:
        found = match(source, index)
        if found is None:
            raise not_well_formed("")
        kind = found.lastgroup
        end = found.end()
        text = found.group()
        if kind == "comment":
            close = source.find("*/", end)
            if close < 0:
                raise not_well_formed("")
            index = close + 2
            continue
        if kind == "quoted":
            tokens.append(Token(QUOTED, text, text[1:-1].replace('""', '"'), index, end))
        elif kind == "string":
            tokens.append(Token(STRING, text, text[1:-1].replace("''", "'"), index, end))
        elif kind == "number":
            _check_number(text)
            tokens.append(Token(NUMBER, text, text, index, end))
        elif kind != "space":
            assert kind is not None
            tokens.append(Token(kind, text, text, index, end))
        index = end
    tokens.append(Token(EOF, "", "", length, length))
    return tokens
