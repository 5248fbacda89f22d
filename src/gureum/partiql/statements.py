"""The statement grammar, and ``parse_statement``, the package's entry point.

SELECT (* | path, ...) FROM table[.index] [WHERE expr] [ORDER BY key [ASC|DESC], ...]
INSERT INTO table VALUE {tuple}
UPDATE table (SET path = expr, ... | REMOVE path, ...)+ [WHERE expr] [RETURNING ...]
FROM table [WHERE expr] (SET ... | REMOVE ...)+ [RETURNING ...]     (PartiQL's form)
DELETE FROM table [WHERE expr] [RETURNING ALL OLD *]
EXISTS(SELECT ...)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import ast
from .errors import (
    ALIASING,
    EXPECTED_DATA_MANIPULATION,
    EXPECTED_SIMPLE_PATH,
    INSERT_FORMAT,
    INVALID_TABLE_NAME,
    LEFTOVER,
    RETURNING_IN_INSERT,
    RETURNING_NOT_STAR,
    STAR_AND_OTHERS,
    TOO_MANY_FROM_COMPONENTS,
    UNEXPECTED_PATH_COMPONENT,
    PartiQLError,
    at,
    not_well_formed,
)
from .expressions import RESERVED, ExpressionParser
from .tokens import IDENT, QUOTED

_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]{3,255}")
_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class ParsedStatement:
    statement: ast.Statement
    parameters: int  # how many ``?`` it has


@lru_cache(maxsize=_CACHE_SIZE)
def parse_statement(source: str) -> ParsedStatement:
    """The statement ``source`` stands for; raises ``PartiQLError`` with DynamoDB's text.

    Cached by text: a statement sent again with other parameters is not parsed again (a
    refused one is parsed again, which costs as little as refusing it)."""
    parser = _StatementParser(source)
    return ParsedStatement(parser.statement(), parser.params)


class _StatementParser(ExpressionParser):
    def statement(self) -> ast.Statement:
        word = self.peek().upper
        parsed: ast.Statement
        if word == "SELECT":
            parsed = self.select()
        elif word == "INSERT":
            parsed = self.insert()
        elif word == "UPDATE":
            parsed = self.update()
        elif word == "DELETE":
            parsed = self.delete()
        elif word == "FROM":
            parsed = self.from_first_update()
        elif word == "EXISTS" and self.peek(1).text == "(":
            parsed = self.exists()
        else:
            raise self.not_a_statement()
        self.end()
        return parsed

    def not_a_statement(self) -> PartiQLError:
        """A bare expression is refused as an operation DynamoDB does not run."""
        try:
            expression = self.expression()
        except PartiQLError:
            return not_well_formed(EXPECTED_DATA_MANIPULATION)
        if isinstance(expression, ast.IsType) and self.at_end_of_input():
            return PartiQLError("Unsupported operation: IsType")
        return not_well_formed(EXPECTED_DATA_MANIPULATION)

    def end(self) -> None:
        if self.at_punct(";"):
            self.index += 1
        if not self.at_end_of_input() or self.at_punct(";"):
            raise not_well_formed(LEFTOVER)

    # -- SELECT --------------------------------------------------------------------------
    def select(self) -> ast.Select:
        self.index += 1  # SELECT
        if self.at_keyword("DISTINCT"):
            raise PartiQLError("Unsupported token in expression: DISTINCT")
        projection = self.projection()
        if not self.accept_keyword("FROM"):
            raise self.unexpected()
        table, index = self.source_names()
        where = self.expression() if self.accept_keyword("WHERE") else None
        order_by: list[tuple[ast.Path, bool]] = []
        if self.at_keyword("ORDER") and self.peek(1).upper == "BY":
            self.index += 2
            while True:
                key = self.primary()
                if not isinstance(key, ast.Path):
                    raise not_well_formed(LEFTOVER)
                descending = self.accept_keyword("DESC")
                if not descending:
                    self.accept_keyword("ASC")
                order_by.append((key, descending))
                if not self.at_punct(","):
                    break
                self.index += 1
        return ast.Select(projection, table, index, where, tuple(order_by))

    def projection(self) -> tuple[ast.Path, ...] | None:
        star = False
        paths: list[ast.Path] = []
        while True:
            if self.at_punct("*"):
                self.index += 1
                star = True
            else:
                start = self.position()
                item = self.additive()
                if not isinstance(item, ast.Path):
                    raise at(UNEXPECTED_PATH_COMPONENT, start)
                if self.at_keyword("AS") or (
                    self.peek().kind in (IDENT, QUOTED) and self.peek().upper not in RESERVED
                ):
                    raise PartiQLError(ALIASING)
                paths.append(item)
            if not self.at_punct(","):
                break
            self.index += 1
        if star and paths:
            raise PartiQLError(STAR_AND_OTHERS)
        return None if star else tuple(paths)

    def source_names(self) -> tuple[str, str | None]:
        """``table`` or ``table.index`` after FROM, then a refused alias if one follows."""
        names = [self.simple_name()]
        while self.at_punct("."):
            self.index += 1
            names.append(self.simple_name())
        if self.at_punct("["):
            raise PartiQLError("Invalid list expression in source.")
        if len(names) > 2:
            raise PartiQLError(TOO_MANY_FROM_COMPONENTS)
        self.refuse_alias()
        for name in names:
            if not _TABLE_NAME.fullmatch(name):
                raise PartiQLError(INVALID_TABLE_NAME)
        return names[0], names[1] if len(names) == 2 else None

    def simple_name(self) -> str:
        token = self.peek()
        if token.kind == QUOTED or (token.kind == IDENT and token.upper not in RESERVED):
            self.index += 1
            return token.value
        raise self.unexpected()

    def refuse_alias(self) -> None:
        token = self.peek()
        if token.upper == "AS" or (token.kind in (IDENT, QUOTED) and token.upper not in RESERVED):
            raise PartiQLError(ALIASING)

    # -- INSERT --------------------------------------------------------------------------
    def insert(self) -> ast.Insert:
        self.index += 1  # INSERT
        if not self.accept_keyword("INTO"):
            raise self.unexpected()
        table = self.table_name()
        if not self.accept_keyword("VALUE"):
            raise not_well_formed(LEFTOVER)
        self.right_operand()
        value = self.expression()
        returning = self.returning()
        if returning is not None:
            raise PartiQLError(RETURNING_IN_INSERT)
        if not isinstance(value, ast.TupleLit):
            raise PartiQLError(INSERT_FORMAT)
        return ast.Insert(table, value, returning)

    def table_name(self) -> str:
        if self.at_end_of_input() or self.at_keyword("WHERE"):
            raise not_well_formed(EXPECTED_SIMPLE_PATH)
        name = self.simple_name()
        if self.at_punct("."):
            raise PartiQLError(
                "FROM clause may only contain a single table name in data manipulation statements"
            )
        if not _TABLE_NAME.fullmatch(name):
            raise PartiQLError(INVALID_TABLE_NAME)
        return name

    # -- UPDATE, DELETE, EXISTS ----------------------------------------------------------
    def update(self) -> ast.Update:
        self.index += 1  # UPDATE
        table = self.table_name()
        self.refuse_alias()
        actions = self.update_actions()
        where = self.expression() if self.accept_keyword("WHERE") else None
        return ast.Update(table, actions, where, self.returning())

    def from_first_update(self) -> ast.Update:
        self.index += 1  # FROM
        table = self.table_name()
        self.refuse_alias()
        where = self.expression() if self.accept_keyword("WHERE") else None
        actions = self.update_actions()
        return ast.Update(table, actions, where, self.returning())

    def update_actions(self) -> tuple[ast.SetAssign | ast.Remove, ...]:
        actions: list[ast.SetAssign | ast.Remove] = []
        while self.at_keyword("SET", "REMOVE"):
            removing = self.advance().upper == "REMOVE"
            while True:
                target = self.primary()
                if not isinstance(target, ast.Path):
                    raise not_well_formed(EXPECTED_SIMPLE_PATH)
                if removing:
                    actions.append(ast.Remove(target))
                else:
                    self.expect_punct("=")
                    self.right_operand()
                    actions.append(ast.SetAssign(target, self.expression()))
                if not self.at_punct(","):
                    break
                self.index += 1
        if not actions:
            raise not_well_formed(LEFTOVER)
        return tuple(actions)

    def delete(self) -> ast.Delete:
        self.index += 1  # DELETE
        if not self.accept_keyword("FROM"):
            raise self.unexpected()
        table = self.table_name()
        self.refuse_alias()
        where = self.expression() if self.accept_keyword("WHERE") else None
        return ast.Delete(table, where, self.returning())

    def exists(self) -> ast.Exists:
        self.index += 2  # EXISTS (
        if not self.at_keyword("SELECT"):
            raise self.unexpected()
        select = self.select()
        self.expect_punct(")")
        return ast.Exists(select)

    def returning(self) -> ast.Returning | None:
        if not self.accept_keyword("RETURNING"):
            return None
        which = self.peek().upper
        age = self.peek(1).upper
        if which not in ("ALL", "MODIFIED") or age not in ("OLD", "NEW"):
            raise self.unexpected()
        self.index += 2
        if not self.at_punct("*"):
            raise PartiQLError(RETURNING_NOT_STAR)
        self.index += 1
        if self.at_punct(","):
            raise PartiQLError(
                "Invalid syntax with multiple returning elements in RETURNING clause"
            )
        return ast.Returning(f"{which} {age}")
