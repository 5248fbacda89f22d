"""One recursive-descent parser for every expression kind, cached by expression text.

Condition precedence ladder: OR < AND < NOT < comparison / BETWEEN / IN < operand. Syntax
errors and text-only limits (size, operators, IN operands, path depth, list index) raise
``ExpressionError`` here; every check that needs the request's names or values lives in
``resolve``.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NoReturn

from .ast import (
    CONDITION_NODES,
    Action,
    AddAction,
    And,
    Arith,
    Between,
    Compare,
    Cond,
    ConditionAst,
    DeleteAction,
    Func,
    In,
    NameRef,
    Not,
    Operand,
    Or,
    Path,
    PathElem,
    ProjectionAst,
    RemoveAction,
    SetAction,
    SetValue,
    UpdateAst,
    ValueRef,
)
from .errors import ExpressionError
from .tokens import EOF, HASH, NAME, NUMBER, PUNCT, VALUE, Token, syntax_error_text, tokenize

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_EXPRESSION_BYTES = 4096
MAX_OPERATORS = 300
MAX_IN_OPERANDS = 100  # the developer guide's expression quotas; DynamoDB Local's error list
MAX_PATH_DEPTH = 32
MAX_LIST_INDEX = 2**31 - 1
MAX_DEPTH = 1000  # nested parentheses / function calls; keeps recursion bounded
COMPARATORS = frozenset(("=", "<>", "<", "<=", ">", ">="))
CONDITION_KEYWORDS = frozenset(("AND", "OR", "NOT", "BETWEEN", "IN"))
UPDATE_SECTIONS = frozenset(("SET", "REMOVE", "ADD", "DELETE"))

# Up to MAX_DEPTH nesting levels, about five parser frames each; the later phases recurse
# over the tree too. Since 3.11 Python-to-Python calls do not grow the C stack,
# so a higher limit is safe. It is raised once and never lowered (other threads may be deep).
_RECURSION_LIMIT = 10000
if sys.getrecursionlimit() < _RECURSION_LIMIT:
    sys.setrecursionlimit(_RECURSION_LIMIT)


def check_text(label: str, source: str) -> None:
    """The checks DynamoDB makes before parsing: empty, then too long."""
    if source == "":
        raise ExpressionError(f"Invalid {label}: The expression can not be empty;")
    if len(source) > MAX_EXPRESSION_BYTES // 3:
        size = len(source.encode())
        if size > MAX_EXPRESSION_BYTES:
            raise ExpressionError(
                f"Invalid {label}: Expression size has exceeded the maximum allowed size; "
                f"expression size: {size}"
            )


class _Parser:
    def __init__(self, label: str, source: str, keywords: frozenset[str]) -> None:
        check_text(label, source)
        self.label = label
        self.source = source
        self.tokens = tokenize(source)
        self.pos = 0
        self.keywords = keywords
        self.operators = 0
        self.too_many_in: int | None = None  # operand count of the first IN over the limit
        self.depth = 0
        self.redundant_parens = False
        # Nodes already inside one pair of parentheses, by id (the dict keeps them alive).
        self._wrapped: dict[int, object] = {}

    # -- token helpers -------------------------------------------------------------------
    def peek(self) -> Token:
        return self.tokens[self.pos]

    def error(self) -> ExpressionError:
        """The syntax error at the current token."""
        message = syntax_error_text(self.source, self.tokens, self.pos)
        return ExpressionError(f"Invalid {self.label}: {message}")

    def at_punct(self, text: str) -> bool:
        token = self.tokens[self.pos]
        return token.kind == PUNCT and token.text == text

    def at_keyword(self, word: str) -> bool:
        token = self.tokens[self.pos]
        return token.kind == NAME and token.text.upper() == word

    def expect_punct(self, text: str) -> None:
        if not self.at_punct(text):
            raise self.error()
        self.pos += 1

    def expect_end(self) -> None:
        if self.peek().kind != EOF:
            raise self.error()

    # -- paths ---------------------------------------------------------------------------
    def name_elem(self) -> PathElem:
        token = self.peek()
        if token.kind == NAME and token.text.upper() not in self.keywords:
            self.pos += 1
            return token.text
        if token.kind == HASH:
            self.pos += 1
            return NameRef(token.text)
        raise self.error()

    def path(self) -> Path:
        return self.path_rest([self.name_elem()])

    def path_rest(self, elems: list[PathElem]) -> Path:
        while True:
            if self.at_punct("."):
                self.pos += 1
                elems.append(self.name_elem())
            elif self.at_punct("["):
                self.pos += 1
                token = self.peek()
                if token.kind != NUMBER:
                    raise self.error()
                index = int(token.text) if len(token.text) <= 10 else MAX_LIST_INDEX + 1
                if index > MAX_LIST_INDEX:
                    raise ExpressionError(
                        f"Invalid {self.label}: List index is not within the allowable range; "
                        f"index: [{token.text}]"
                    )
                self.pos += 1
                self.expect_punct("]")
                elems.append(index)
            else:
                break
        if len(elems) > MAX_PATH_DEPTH:
            raise ExpressionError(
                f"Invalid {self.label}: The document path has too many nesting levels; "
                f"nesting levels: {len(elems)}"
            )
        return Path(tuple(elems))

    def at_function(self) -> bool:
        token = self.peek()
        if token.kind != NAME:  # (so not EOF: a following token exists)
            return False
        following = self.tokens[self.pos + 1]
        return (
            following.kind == PUNCT
            and following.text == "("
            and token.text.upper() not in self.keywords
        )

    # -- conditions ----------------------------------------------------------------------
    def condition(self) -> ConditionAst:
        root = self.or_(False)
        self.expect_end()
        assert isinstance(root, (Compare, Between, In, And, Or, Not, Func))
        if self.operators > MAX_OPERATORS:
            raise ExpressionError(
                f"Invalid {self.label}: The expression contains too many operators; "
                f"operator count: {self.operators}"
            )
        if self.too_many_in is not None:
            raise ExpressionError(
                f"Invalid {self.label}: The IN operator is provided with too many operands; "
                f"number of operands: {self.too_many_in}"
            )
        return ConditionAst(root, self.redundant_parens)

    # ``paren``: directly inside '(' ... ')', where a bare operand may stand (as in "(a) = :v").
    def or_(self, paren: bool) -> Cond | Operand:
        first = self.and_(paren)
        if not self.at_keyword("OR"):
            return first
        items: list[Cond] = [first]  # type: ignore[list-item]  # and_ gave a condition here
        while self.at_keyword("OR"):
            self.pos += 1
            self.operators += 1
            items.append(self.and_(False))  # type: ignore[arg-type]
        return Or(tuple(items))

    def and_(self, paren: bool) -> Cond | Operand:
        first = self.not_(paren)
        if not self.at_keyword("AND"):
            return first
        items: list[Cond] = [first]  # type: ignore[list-item]
        while self.at_keyword("AND"):
            self.pos += 1
            self.operators += 1
            items.append(self.not_(False))  # type: ignore[arg-type]
        return And(tuple(items))

    def not_(self, paren: bool) -> Cond | Operand:
        if self.at_keyword("NOT"):
            self.pos += 1
            self.operators += 1
            return Not(self.not_(False))  # type: ignore[arg-type]
        return self.comparison(paren)

    def comparison(self, paren: bool) -> Cond | Operand:
        left = self.operand_or_group()
        token = self.peek()
        if token.kind == PUNCT and token.text in COMPARATORS:
            if isinstance(left, CONDITION_NODES):
                raise self.error()
            self.pos += 1
            self.operators += 1
            return Compare(token.text, left, self.operand())
        if self.at_keyword("BETWEEN"):
            if isinstance(left, CONDITION_NODES):
                raise self.error()
            self.pos += 1
            self.operators += 1
            low = self.operand()
            if not self.at_keyword("AND"):
                raise self.error()
            self.pos += 1
            return Between(left, low, self.operand())
        if self.at_keyword("IN"):
            if isinstance(left, CONDITION_NODES):
                raise self.error()
            self.pos += 1
            self.operators += 1
            self.expect_punct("(")
            options = [self.operand()]
            while self.at_punct(","):
                self.pos += 1
                options.append(self.operand())
            self.expect_punct(")")
            if len(options) > MAX_IN_OPERANDS and self.too_many_in is None:
                self.too_many_in = len(options)
            return In(left, tuple(options))
        if isinstance(left, (*CONDITION_NODES, Func)):
            return left
        if paren and token.kind == PUNCT and token.text == ")":
            return left
        raise self.error()

    def operand(self) -> Operand:
        node = self.operand_or_group()
        if isinstance(node, CONDITION_NODES):
            raise self.error()
        return node

    def too_deep(self) -> NoReturn:
        """Nesting beyond MAX_DEPTH (only reachable with degenerate input such as 2000 '(')."""
        balanced = sum(t.text == "(" for t in self.tokens if t.kind == PUNCT) == sum(
            t.text == ")" for t in self.tokens if t.kind == PUNCT
        )
        if balanced and self.tokens[self.pos - 1].text == "(":
            raise ExpressionError(
                f"Invalid {self.label}: The expression has redundant parentheses;"
            )
        if not balanced:
            self.pos = len(self.tokens) - 1
        raise self.error()

    def operand_or_group(self) -> Cond | Operand:
        token = self.peek()
        if token.kind == PUNCT and token.text == "(":
            self.pos += 1
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.too_deep()
            inner = self.or_(True)
            self.depth -= 1
            self.expect_punct(")")
            if id(inner) in self._wrapped:
                self.redundant_parens = True
            self._wrapped[id(inner)] = inner
            if isinstance(inner, Path) and (self.at_punct(".") or self.at_punct("[")):
                return self.path_rest(list(inner.elems))
            return inner
        if token.kind == VALUE:
            self.pos += 1
            return ValueRef(token.text)
        if self.at_function():
            return self.function_call(token.text, self.operand)
        return self.path()

    def function_call(self, name: str, argument: Callable[[], Any]) -> Func:
        """``name(arg, ...)`` with the parser at the name; ``argument`` parses one argument."""
        self.pos += 2
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.too_deep()
        args = [argument()]
        while self.at_punct(","):
            self.pos += 1
            args.append(argument())
        self.depth -= 1
        self.expect_punct(")")
        return Func(name, tuple(args))

    # -- updates -------------------------------------------------------------------------
    def update(self) -> UpdateAst:
        actions: list[Action] = []
        seen: set[str] = set()
        repeated: str | None = None
        while True:
            token = self.peek()
            section = token.text.upper()
            if token.kind != NAME or section not in UPDATE_SECTIONS:
                raise self.error()
            self.pos += 1
            if section in seen and repeated is None:
                repeated = section
            seen.add(section)
            actions.append(self.update_action(section))
            while self.at_punct(","):
                self.pos += 1
                actions.append(self.update_action(section))
            if self.peek().kind == EOF:
                return UpdateAst(tuple(actions), repeated)

    def update_action(self, section: str) -> Action:
        path = self.path()
        if section == "SET":
            self.expect_punct("=")
            return SetAction(path, self.set_value())
        if section == "REMOVE":
            return RemoveAction(path)
        token = self.peek()
        if token.kind != VALUE:
            raise self.error()
        self.pos += 1
        if section == "ADD":
            return AddAction(path, ValueRef(token.text))
        return DeleteAction(path, ValueRef(token.text))

    def set_value(self) -> SetValue:
        if self.at_punct("("):
            self.pos += 1
            left = self.update_operand()
            if self.at_punct("+") or self.at_punct("-"):
                op = self.peek().text
                self.pos += 1
                whole = Arith(op, left, self.update_operand())
                self.expect_punct(")")
                return whole
            self.expect_punct(")")
        else:
            left = self.update_operand()
        if self.at_punct("+") or self.at_punct("-"):
            op = self.peek().text
            self.pos += 1
            return Arith(op, left, self.update_operand())
        return left

    def update_operand(self) -> Operand:
        token = self.peek()
        if token.kind == PUNCT and token.text == "(":
            self.pos += 1
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.too_deep()
            inner = self.update_operand()
            self.depth -= 1
            self.expect_punct(")")
            return inner
        if token.kind == VALUE:
            self.pos += 1
            return ValueRef(token.text)
        if self.at_function():
            return self.function_call(token.text, self.update_operand)
        return self.path()

    # -- projections ---------------------------------------------------------------------
    def projection(self) -> ProjectionAst:
        paths = [self.path()]
        while self.at_punct(","):
            self.pos += 1
            paths.append(self.path())
        self.expect_end()
        return ProjectionAst(tuple(paths))


@lru_cache(maxsize=4096)
def parse_condition(label: str, source: str) -> ConditionAst:
    """Parse a Condition-, Filter- or KeyConditionExpression (``label`` is e.g.
    "ConditionExpression", used in error messages)."""
    return _Parser(label, source, CONDITION_KEYWORDS).condition()


@lru_cache(maxsize=4096)
def parse_update(source: str) -> UpdateAst:
    return _Parser("UpdateExpression", source, UPDATE_SECTIONS).update()


@lru_cache(maxsize=4096)
def parse_projection(source: str) -> ProjectionAst:
    return _Parser("ProjectionExpression", source, frozenset()).projection()
