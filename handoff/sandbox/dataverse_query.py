"""OData query options the sandbox understands: $select, $filter, $orderby, $top, $count.

$filter supports comparisons (eq ne gt ge lt le) of a column with a literal, contains/startswith/
endswith, not, and/or with parentheses. String comparisons are case-insensitive, as in Dataverse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from handoff.sandbox.dataverse_schema import BOOL, DATETIME, INT, PICKLIST, STATE, STATUS, Entity, query_error

Predicate = Callable[[dict[str, Any]], bool]

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_./]*")
_COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCTIONS = {"contains", "startswith", "endswith"}


def parse_query_string(raw: str) -> dict[str, str]:
    """Split a raw query string; `+` means a space, as in any form-encoded URL."""
    options: dict[str, str] = {}
    for part in raw.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        options[unquote_plus(name)] = unquote_plus(value)
    return options


@dataclass
class Token:
    kind: str  # "str" "num" "guid" "date" "ident" "(" ")" ","
    value: Any
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "(),":
            tokens.append(Token(ch, ch, i))
            i += 1
            continue
        if ch == "'":
            start, i, chars = i, i + 1, []
            while True:
                if i >= len(text):
                    raise query_error(f"There is an unterminated literal at position {i} in '{text}'.")
                if text[i] == "'":
                    if i + 1 < len(text) and text[i + 1] == "'":
                        chars.append("'")
                        i += 2
                        continue
                    i += 1
                    break
                chars.append(text[i])
                i += 1
            tokens.append(Token("str", "".join(chars), start))
            continue
        for kind, pattern in (("guid", _GUID), ("date", _DATE), ("num", _NUMBER), ("ident", _IDENT)):
            match = pattern.match(text, i)
            if match and (kind != "date" or "-" in match.group()):
                end = match.end()
                if end < len(text) and (text[end].isalnum() or text[end] == "_") and kind != "ident":
                    continue
                value: Any = match.group()
                if kind == "num":
                    value = float(value) if "." in value else int(value)
                tokens.append(Token(kind, value, i))
                i = end
                break
        else:
            # Not a token we know; the parser reports it, after the whole text has been scanned for
            # an unterminated literal (that error wins, as in OData's lexer).
            end = i + 1
            while end < len(text) and not text[end].isspace() and text[end] not in "'(),":
                end += 1
            tokens.append(Token("junk", text[i:end], i))
            i = end
    return tokens


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.lower()
    return value


def _as_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _compare(op: str, left: Any, right: Any, kind: str) -> bool:
    if op == "eq":
        if left is None or right is None:
            return left is None and right is None
    if op == "ne":
        if left is None or right is None:
            return (left is None) != (right is None)
    if left is None or right is None:
        return False
    if kind == DATETIME:
        left, right = _as_datetime(left), _as_datetime(right)
        if left is None or right is None:
            return False
    else:
        left, right = _norm(left), _norm(right)
    try:
        return {
            "eq": left == right,
            "ne": left != right,
            "gt": left > right,
            "ge": left >= right,
            "lt": left < right,
            "le": left <= right,
        }[op]
    except TypeError:
        return False


class _Parser:
    def __init__(self, text: str, entity: Entity) -> None:
        self.text = text
        self.entity = entity
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise query_error(f"Expression expected at position {len(self.text)} in '{self.text}'.")
        self.i += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token and token.kind == "ident" and token.value == word:
            self.i += 1
            return True
        return False

    def expect(self, kind: str) -> Token:
        token = self.take()
        if token.kind != kind:
            raise query_error(f"Syntax error at position {token.pos} in '{self.text}'.")
        return token

    def parse(self) -> Predicate:
        predicate = self.parse_or()
        token = self.peek()
        if token is not None:
            raise query_error(f"Syntax error at position {token.pos} in '{self.text}'.")
        return predicate

    def parse_or(self) -> Predicate:
        parts = [self.parse_and()]
        while self.keyword("or"):
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else (lambda r: any(p(r) for p in parts))

    def parse_and(self) -> Predicate:
        parts = [self.parse_unary()]
        while self.keyword("and"):
            parts.append(self.parse_unary())
        return parts[0] if len(parts) == 1 else (lambda r: all(p(r) for p in parts))

    def parse_unary(self) -> Predicate:
        if self.keyword("not"):
            inner = self.parse_unary()
            return lambda r: not inner(r)
        token = self.peek()
        if token is not None and token.kind == "(":
            self.take()
            inner = self.parse_or()
            self.expect(")")
            return inner
        return self.parse_comparison()

    def column(self, token: Token) -> tuple[str, str]:
        if token.kind != "ident":
            raise query_error(f"Syntax error at position {token.pos} in '{self.text}'.")
        column = self.entity.column(token.value)
        if column is None:
            raise query_error(f"Could not find a property named '{token.value}' on type '{self.entity.type_name}'.")
        return column.name, column.kind

    def literal(self) -> Any:
        token = self.take()
        if token.kind in ("str", "num", "guid", "date"):
            return token.value
        if token.kind == "ident" and token.value in ("null", "true", "false"):
            return {"null": None, "true": True, "false": False}[token.value]
        raise query_error(f"Syntax error at position {token.pos} in '{self.text}'.")

    def parse_comparison(self) -> Predicate:
        token = self.take()
        if token.kind == "ident" and token.value in _FUNCTIONS:
            function = token.value
            self.expect("(")
            name, _ = self.column(self.take())
            self.expect(",")
            needle = self.literal()
            self.expect(")")
            if not isinstance(needle, str):
                raise query_error(f"Syntax error at position {token.pos} in '{self.text}'.")
            needle = needle.lower()

            def call(record: dict[str, Any]) -> bool:
                value = record.get(name)
                if not isinstance(value, str):
                    return False
                value = value.lower()
                if function == "contains":
                    return needle in value
                if function == "startswith":
                    return value.startswith(needle)
                return value.endswith(needle)

            return call
        name, kind = self.column(token)
        op = self.take()
        if op.kind != "ident" or op.value not in _COMPARISONS:
            raise query_error(f"Syntax error at position {op.pos} in '{self.text}'.")
        value = self.literal()
        numeric = kind in (PICKLIST, STATE, STATUS, INT)
        if value is not None and (
            (numeric and not isinstance(value, int | float))
            or (kind == BOOL and not isinstance(value, bool))
            or (not numeric and kind != BOOL and isinstance(value, bool | int | float))
        ):
            raise query_error(
                "A binary operator with incompatible types was detected. Found operand types "
                f"'{_edm(kind)}' and '{_edm_of(value)}' for operator kind '{_OP_NAMES[op.value]}'."
            )
        op_name = op.value
        return lambda r: _compare(op_name, r.get(name), value, kind)


_OP_NAMES = {
    "eq": "Equal",
    "ne": "NotEqual",
    "gt": "GreaterThan",
    "ge": "GreaterThanOrEqual",
    "lt": "LessThan",
    "le": "LessThanOrEqual",
}


def _edm(kind: str) -> str:
    return {
        PICKLIST: "Edm.Int32",
        STATE: "Edm.Int32",
        STATUS: "Edm.Int32",
        INT: "Edm.Int32",
        BOOL: "Edm.Boolean",
        DATETIME: "Edm.DateTimeOffset",
    }.get(kind, "Edm.String")


def _edm_of(value: Any) -> str:
    if isinstance(value, bool):
        return "Edm.Boolean"
    if isinstance(value, int):
        return "Edm.Int32"
    if isinstance(value, float):
        return "Edm.Decimal"
    return "Edm.String"


def parse_filter(text: str, entity: Entity) -> Predicate:
    return _Parser(text, entity).parse()


@dataclass
class Query:
    select: list[str] | None = None
    predicate: Predicate | None = None
    orderby: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    top: int | None = None
    count: bool = False
    expand: str | None = None


def parse_select(text: str, entity: Entity) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if entity.column(name) is None:
            raise query_error(f"Could not find a property named '{name}' on type '{entity.type_name}'.")
    return names


def parse_query(options: dict[str, str], entity: Entity) -> Query:
    query = Query()
    if "$select" in options:
        query.select = parse_select(options["$select"], entity)
    if "$filter" in options:
        query.predicate = parse_filter(options["$filter"], entity)
    if "$orderby" in options:
        for clause in options["$orderby"].split(","):
            words = clause.split()
            if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
                raise query_error(f"Syntax error in '$orderby={options['$orderby']}'.")
            if entity.column(words[0]) is None:
                raise query_error(f"Could not find a property named '{words[0]}' on type '{entity.type_name}'.")
            query.orderby.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    if "$top" in options:
        try:
            query.top = int(options["$top"])
        except ValueError:
            raise query_error(
                f"Invalid value '{options['$top']}' for $top query option found. "
                "The $top query option requires a non-negative integer value."
            ) from None
        if query.top < 0:
            raise query_error(
                f"Invalid value '{query.top}' for $top query option found. "
                "The $top query option requires a non-negative integer value."
            )
    query.count = options.get("$count", "").lower() == "true"
    query.expand = options.get("$expand")
    return query


def order(records: list[dict[str, Any]], orderby: list[tuple[str, bool]]) -> list[dict[str, Any]]:
    """Stable multi-key sort; nulls first ascending, as SQL Server sorts them."""
    for name, descending in reversed(orderby):

        def key(record: dict[str, Any], name: str = name) -> tuple[int, Any]:
            value = record.get(name)
            if value is None:
                return (0, "")
            return (1, _norm(value))

        records = sorted(records, key=key, reverse=descending)
    return records
