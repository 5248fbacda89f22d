"""The expression grammar: a precedence ladder of small methods.

    expression  := or
    or          := and (OR and)*
    and         := not (AND not)*
    not         := NOT not | predicate
    predicate   := additive [comparison | [NOT] BETWEEN | [NOT] IN | [NOT] LIKE | IS [NOT] type]
    additive    := multiplicative (('+' | '-' | '||') multiplicative)*
    multiplicative := unary (('*' | '/' | '%') unary)*
    unary       := ('-' | '+') unary | primary
    primary     := literal | ? | path | call | ( expression ) | [list] | <<bag>> | {tuple}

``ExpressionParser`` keeps the token cursor; ``statements.py`` builds on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ast
from .errors import (
    EMPTY_PATH_COMPONENT,
    EXPECTED_TYPE_NAME,
    INVALID_PATH_DOT,
    MISSING_RIGHT_HAND_SIDE,
    UNEXPECTED_KEYWORD,
    UNEXPECTED_OPERATOR,
    UNEXPECTED_PATH_COMPONENT,
    UNEXPECTED_TERM,
    UNPIVOT_PATH,
    WILDCARD_PATH,
    PartiQLError,
    Position,
    at,
    not_well_formed,
)
from .tokens import EOF, IDENT, NUMBER, PARAM, PUNCT, QUOTED, STRING, Token, position, tokenize

if TYPE_CHECKING:
    from collections.abc import Callable

# Keywords that join terms: where a term should start they are "Unexpected operator".
OPERATOR_KEYWORDS = frozenset({"AND", "OR", "IS", "IN", "LIKE", "BETWEEN", "ESCAPE"})
# Keywords that can neither start a term nor name a path step without quotes.
_RESERVED_WORDS = """
    ALL AS ASC AT BY CASE CAST CROSS DELETE DESC DISTINCT ELSE END EXCEPT EXISTS FROM FULL
    GROUP HAVING INNER INSERT INTERSECT INTO JOIN LEFT LIMIT OFFSET ON ORDER OUTER PIVOT REMOVE
    RETURNING RIGHT SELECT SET THEN UNION UNPIVOT UPDATE VALUE VALUES WHEN WHERE
"""
RESERVED = frozenset(_RESERVED_WORDS.split()) | OPERATOR_KEYWORDS
_COMPARISONS = frozenset({"=", "<>", "!=", "<", "<=", ">", ">="})
_INFIX_PUNCT = _COMPARISONS | {"+", "-", "*", "/", "%", "||"}
# PartiQL's type names, by their SQL data type (what DynamoDB's messages name).
TYPE_NAMES = {
    "MISSING": "MISSING", "NULL": "NULL", "BOOL": "BOOLEAN", "BOOLEAN": "BOOLEAN",
    "SMALLINT": "SMALLINT", "INT2": "SMALLINT", "INTEGER2": "SMALLINT", "INT4": "INTEGER4",
    "INTEGER4": "INTEGER4", "INT8": "INTEGER8", "INTEGER8": "INTEGER8", "INT": "INTEGER",
    "INTEGER": "INTEGER", "FLOAT": "FLOAT", "REAL": "REAL", "DECIMAL": "DECIMAL",
    "DEC": "DECIMAL", "NUMERIC": "NUMERIC", "TIMESTAMP": "TIMESTAMP", "CHAR": "CHARACTER",
    "VARCHAR": "CHARACTER_VARYING", "STRING": "STRING", "SYMBOL": "SYMBOL", "CLOB": "CLOB",
    "BLOB": "BLOB", "STRUCT": "STRUCT", "TUPLE": "TUPLE", "LIST": "LIST", "SEXP": "SEXP",
    "BAG": "BAG", "DATE": "DATE", "TIME": "TIME", "ANY": "ANY",
}  # fmt: skip
# [gureum] Nested terms (parentheses, lists, maps, NOT, signs): beyond any real statement
# (items nest 32 levels at most) and well within Python's default stack.
_MAX_DEPTH = 50
_MAX_INDEX = 2**31 - 1


class ExpressionParser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0
        self.params = 0
        self.depth = 0

    # -- cursor --------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != EOF:
            self.index += 1
        return token

    def at_punct(self, *texts: str) -> bool:
        token = self.peek()
        return token.kind == PUNCT and token.text in texts

    def at_keyword(self, *words: str) -> bool:
        return self.peek().upper in words

    def accept_keyword(self, word: str) -> bool:
        if self.peek().upper == word:
            self.index += 1
            return True
        return False

    def position(self, token: Token | None = None) -> Position:
        return position(self.source, token if token is not None else self.peek())

    def expect_punct(self, text: str) -> None:
        if not self.at_punct(text):
            raise self.unexpected()
        self.index += 1

    def at_end_of_input(self) -> bool:
        return self.peek().kind == EOF or self.at_punct(";")

    def unexpected(self) -> PartiQLError:
        """The error for a token where a term should start."""
        token = self.peek()
        if token.kind == EOF or self.at_punct(";", ")", "]", "}", ",", ">>"):
            return not_well_formed(UNEXPECTED_TERM)
        if token.upper in OPERATOR_KEYWORDS or (token.kind == PUNCT and token.text in _INFIX_PUNCT):
            return not_well_formed(UNEXPECTED_OPERATOR)
        if token.upper in RESERVED:
            return not_well_formed(UNEXPECTED_KEYWORD)
        return not_well_formed(UNEXPECTED_TERM)

    def right_operand(self) -> None:
        """Before the right-hand side of an infix operator: it must be there."""
        if self.at_end_of_input():
            raise not_well_formed(MISSING_RIGHT_HAND_SIDE)

    # -- the ladder ----------------------------------------------------------------------
    def nested(self, parse: Callable[[], ast.Expr]) -> ast.Expr:
        """``parse()`` one level deeper; too deep a statement is refused."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise not_well_formed("")
        try:
            return parse()
        finally:
            self.depth -= 1

    def expression(self) -> ast.Expr:
        return self.nested(self.disjunction)

    def disjunction(self) -> ast.Expr:
        left = self.conjunction()
        while self.at_keyword("OR"):
            pos = self.position()
            self.index += 1
            self.right_operand()
            left = ast.Binary("OR", left, self.conjunction(), pos)
        return left

    def conjunction(self) -> ast.Expr:
        left = self.negation()
        while self.at_keyword("AND"):
            pos = self.position()
            self.index += 1
            self.right_operand()
            left = ast.Binary("AND", left, self.negation(), pos)
        return left

    def negation(self) -> ast.Expr:
        if self.accept_keyword("NOT"):
            return ast.Not(self.nested(self.negation))
        return self.predicate()

    def predicate(self) -> ast.Expr:
        left = self.additive()
        token = self.peek()
        pos = self.position()
        if token.kind == PUNCT and token.text in _COMPARISONS:
            self.index += 1
            self.right_operand()
            op = "<>" if token.text == "!=" else token.text
            return ast.Binary(op, left, self.additive(), pos)
        if token.upper == "IS":
            self.index += 1
            negated = self.accept_keyword("NOT")
            return ast.IsType(left, self.type_name(), negated, pos)
        negated = token.upper == "NOT" and self.peek(1).upper in ("BETWEEN", "IN", "LIKE")
        if negated:
            self.index += 1
            pos = self.position()
        if self.accept_keyword("BETWEEN"):
            self.right_operand()
            low = self.additive()
            if not self.accept_keyword("AND"):
                raise self.unexpected()
            self.right_operand()
            return ast.Between(left, low, self.additive(), negated, pos)
        if self.accept_keyword("IN"):
            self.right_operand()
            return ast.In(left, self.in_options(), negated, pos)
        if self.accept_keyword("LIKE"):
            self.right_operand()
            like: ast.Expr = ast.Binary("LIKE", left, self.additive(), pos)
            return ast.Not(like) if negated else like
        return left

    def type_name(self) -> str:
        token = self.peek()
        word = token.upper
        if word == "DOUBLE" and self.peek(1).upper == "PRECISION":
            self.index += 2
            return "DOUBLE_PRECISION"
        if word == "CHARACTER":
            self.index += 1
            return "CHARACTER_VARYING" if self.accept_keyword("VARYING") else "CHARACTER"
        if word not in TYPE_NAMES:
            raise not_well_formed(EXPECTED_TYPE_NAME)
        self.index += 1
        return TYPE_NAMES[word]

    def in_options(self) -> ast.Expr:
        """``IN (a, b)`` reads as the list ``[a, b]``; other right-hand sides as terms."""
        if not self.at_punct("("):
            return self.additive()
        self.index += 1
        items = self.items(")")
        return ast.ListLit(items)

    def additive(self) -> ast.Expr:
        left = self.multiplicative()
        while self.at_punct("+", "-", "||"):
            token = self.advance()
            self.right_operand()
            left = ast.Binary(token.text, left, self.multiplicative(), self.position(token))
        return left

    def multiplicative(self) -> ast.Expr:
        left = self.unary()
        while self.at_punct("*", "/", "%"):
            token = self.advance()
            self.right_operand()
            left = ast.Binary(token.text, left, self.unary(), self.position(token))
        return left

    def unary(self) -> ast.Expr:
        if self.at_punct("-"):
            self.index += 1
            if self.peek().kind == NUMBER:
                return ast.NumberLit("-" + self.advance().text)
            return ast.Negate(self.nested(self.unary))
        if self.at_punct("+"):
            self.index += 1
            return self.nested(self.unary)
        return self.primary()

    # -- terms ---------------------------------------------------------------------------
    def primary(self) -> ast.Expr:
        token = self.peek()
        kind = token.kind
        if kind == NUMBER:
            self.index += 1
            return ast.NumberLit(token.text)
        if kind == STRING:
            self.index += 1
            return ast.StringLit(token.value)
        if kind == PARAM:
            self.index += 1
            self.params += 1
            return ast.Param(self.params - 1)
        if kind == QUOTED:
            self.index += 1
            return self.path_steps(token)
        if kind == IDENT:
            return self.word(token)
        if self.at_punct("("):
            self.index += 1
            inner = self.expression()
            self.expect_punct(")")
            return inner
        if self.at_punct("["):
            self.index += 1
            return ast.ListLit(self.items("]"))
        if self.at_punct("<<"):
            self.index += 1
            return ast.BagLit(self.items(">>"))
        if self.at_punct("{"):
            self.index += 1
            return self.tuple_fields()
        raise self.unexpected()

    def word(self, token: Token) -> ast.Expr:
        upper = token.upper
        literal = {"TRUE": True, "FALSE": False}
        if upper in literal:
            self.index += 1
            return ast.BoolLit(literal[upper])
        if upper == "NULL":
            self.index += 1
            return ast.NullLit()
        if upper == "MISSING":
            self.index += 1
            return ast.MissingLit()
        if upper in RESERVED and not (upper == "EXISTS" and self.peek(1).text == "("):
            raise self.unexpected()  # EXISTS(x) is a call, refused by its name
        self.index += 1
        if self.at_punct("("):
            self.index += 1
            args = self.items(")")
            return ast.Call(token.text, args, self.position(token))
        return self.path_steps(token)

    def items(self, close: str) -> tuple[ast.Expr, ...]:
        """Comma-separated expressions up to ``close`` (consumed); none is allowed."""
        items: list[ast.Expr] = []
        if self.at_punct(close):
            self.index += 1
            return ()
        while True:
            items.append(self.expression())
            if self.at_punct(","):
                self.index += 1
                continue
            self.expect_punct(close)
            return tuple(items)

    def tuple_fields(self) -> ast.TupleLit:
        fields: list[tuple[ast.Expr, ast.Expr]] = []
        if self.at_punct("}"):
            self.index += 1
            return ast.TupleLit(())
        while True:
            key = self.expression()
            self.expect_punct(":")
            fields.append((key, self.expression()))
            if self.at_punct(","):
                self.index += 1
                continue
            self.expect_punct("}")
            return ast.TupleLit(tuple(fields))

    # -- paths ---------------------------------------------------------------------------
    def path_steps(self, root: Token) -> ast.Path:
        if root.value == "":
            raise PartiQLError(EMPTY_PATH_COMPONENT)
        steps: list[str | int] = []
        while True:
            if self.at_punct("."):
                self.index += 1
                steps.append(self.dot_step())
            elif self.at_punct("["):
                self.index += 1
                steps.append(self.bracket_step())
            else:
                return ast.Path(root.value, tuple(steps), self.position(root))

    def dot_step(self) -> str:
        token = self.peek()
        if token.kind == QUOTED or (token.kind == IDENT and token.upper not in RESERVED):
            self.index += 1
            if token.value == "":
                raise PartiQLError(EMPTY_PATH_COMPONENT)
            return token.value
        if self.at_punct("*"):
            raise at(UNPIVOT_PATH, self.position())
        raise not_well_formed(INVALID_PATH_DOT)

    def bracket_step(self) -> str | int:
        token = self.peek()
        pos = self.position()
        if self.at_punct("*"):
            raise at(WILDCARD_PATH, pos)
        negative = self.at_punct("-") and self.peek(1).kind == NUMBER
        if negative:
            self.index += 1
            token = self.peek()
        self.index += 1
        step: str | int
        if token.kind == NUMBER and token.text.isdigit():
            digits = token.text.lstrip("0") or "0"
            written = "-" + digits if negative and digits != "0" else digits
            if written[0] == "-" or len(digits) > 10 or int(digits) > _MAX_INDEX:
                message = f"List index is not within the allowable range; index: [{written}]"
                raise at(message, pos)
            step = int(written)
        elif token.kind == STRING and not negative:
            if token.value == "":
                raise PartiQLError(EMPTY_PATH_COMPONENT)
            step = token.value
        else:
            raise at(UNEXPECTED_PATH_COMPONENT, pos)
        self.expect_punct("]")
        return step
