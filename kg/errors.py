"""Errors raised by the ``kg`` package: one base class, one subclass per kind of trouble.

The web app maps these onto HTTP replies (``webapp/errors.py``); the CLI onto messages and
exit codes. Nothing in ``kg`` catches bare ``Exception``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from kg.i18n import DEFAULT_LANG, Message, translate

__all__ = [
    "ForbiddenQueryError",
    "IngestError",
    "KgError",
    "LoadError",
    "NotFoundError",
    "NotReadyError",
    "QueryError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "ReadOnlyError",
    "StoreError",
    "UnsupportedFormatError",
    "ValidationError",
    "Violation",
]


class KgError(Exception):
    """Base class of every error the package raises on purpose.

    An error meant for people is made with :meth:`of`: a key of the catalogue
    (:mod:`kg.i18n`) and its values, so that the web app shows it in the page's language
    (:meth:`text`) while ``str()`` (logs, the command line) gives the Swedish text.

    >>> err = KgError.of("error.param.page", name="sida", most=10000)
    >>> str(err)
    "parametern 'sida' måste vara ett heltal 1–10000"
    >>> err.text("en")
    "the parameter 'sida' must be a whole number 1–10000"
    """

    key: str | None = None
    params: dict[str, Any] = {}  # noqa: RUF012 - replaced per instance by of()

    @classmethod
    def of(cls, key: str, **params: Any) -> Self:
        """An error whose message is the catalogue's ``key`` with ``params`` filled in."""
        err = cls(translate(key, DEFAULT_LANG, **params))
        err.key, err.params = key, params
        return err

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message in ``lang`` (as ``str()`` when the error has no catalogue key and was
        not made with a :class:`kg.i18n.Message`)."""
        if self.key:
            return translate(self.key, lang, **self.params)
        first = self.args[0] if len(self.args) == 1 else None
        return first.text(lang) if isinstance(first, Message) else str(self)

    def as_message(self) -> str:
        """The message to keep for showing later: a :class:`kg.i18n.Message` (shown in the
        page's language) when the error has a key or was made with one, else its text."""
        if self.key:
            return Message(self.key, **self.params)
        first = self.args[0] if len(self.args) == 1 else None
        return first if isinstance(first, Message) else str(self)


class LoadError(KgError):
    """A data file could not be read or parsed.

    Args:
        path: the file.
        message: what went wrong, in the parser's words.
        line: 1-based line, when known.
        column: 1-based column, when known.

    >>> str(LoadError(Path("data/x.ttl"), "Unexpected end of file", line=3, column=9))
    'data/x.ttl:3:9: Unexpected end of file'
    """

    def __init__(
        self, path: Path | str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = Path(path)
        self.message = message
        self.line = line
        self.column = column
        where = str(self.path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Violation:
    """One SHACL violation, located as precisely as we can."""

    focus: str
    message: str
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file else ""
        prop = f" {self.path}" if self.path else ""
        val = f" (value {self.value})" if self.value else ""
        return f"{where}<{self.focus}>{prop}: {self.message}{val}"


@dataclass
class ValidationError(KgError):
    """The data does not conform to the SHACL shapes."""

    violations: list[Violation] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{len(self.violations)} SHACL violation(s)"
        return "\n".join([head, *(f"  {v}" for v in self.violations[:50])])


class QueryError(KgError):
    """A query could not be answered."""


class QuerySyntaxError(QueryError):
    """The SPARQL text does not parse.

    >>> str(QuerySyntaxError("expected one of ...", line=1, column=25))
    'SPARQL syntax error at line 1, column 25: expected one of ...'
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        where = ""
        if line is not None:
            where = f" at line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"SPARQL syntax error{where}: {message}")

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The parser's message (as the parser gave it) after a heading in ``lang``."""
        if self.line is None:
            return translate("error.syntax", lang, message=self.message)
        if self.column is None:
            return translate("error.syntax_line", lang, line=self.line, message=self.message)
        return translate("error.syntax_at", lang, line=self.line, column=self.column,
                         message=self.message)


class QueryTimeoutError(QueryError):
    """A query ran past its time limit."""


class ForbiddenQueryError(QueryError):
    """A query asks for something the public endpoint does not do (``SERVICE`` to an
    endpoint that is not on the allow-list): answered with 400, never run."""


class ReadOnlyError(QueryError):
    """An update was sent where only queries are allowed."""


class StoreError(KgError):
    """The store could not be opened, read or written."""


class NotReadyError(StoreError):
    """A value of a new data version is still being computed in the background (analytics,
    the path finder's graph); ask again after ``retry_after`` seconds."""

    retry_after = 5


class NotFoundError(KgError):
    """No such entity, query or resource."""


class IngestError(KgError):
    """A document given for ingest cannot be read; the message (``ingest.err.*``) is meant for
    the person who gave it: what is wrong and what to do."""


class UnsupportedFormatError(KgError):
    """A format name, extension or media type we do not know."""
