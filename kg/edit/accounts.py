"""Editors' accounts: name, display name, role and an Argon2 password hash, in one JSON file.

The file (``var/accounts.json``, setting ``accounts_file``) is written atomically (temporary
file, ``fsync``, rename) with mode 0600 and holds no password, only its Argon2id hash
(argon2-cffi). Accounts are made with ``kg user add``; an admin can also manage them in the
browser.

>>> import tempfile
>>> accounts = Accounts(Path(tempfile.mkdtemp()) / "a.json")
>>> _ = accounts.add("anna", "Anna Andersson", "redaktör", "ett långt lösenord")
>>> accounts.verify("anna", "ett långt lösenord").role, accounts.verify("anna", "fel")
('redaktör', None)
>>> "ett långt" in accounts.path.read_text()
False
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kg.edit.model import now_utc
from kg.edit.service import ROLES, Actor
from kg.errors import KgError

__all__ = ["MIN_PASSWORD", "Account", "AccountError", "Accounts"]

MIN_PASSWORD = 10
_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")
_HASHER = PasswordHasher()
_LOCK = threading.Lock()
#: Checked against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY = _HASHER.hash(secrets.token_hex(8))


class AccountError(KgError):
    """An account operation that cannot be done (the message says why: :meth:`text` in the
    page's language, ``str()`` in Swedish)."""


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    role: str
    hash: str
    active: bool = True
    created: str = ""

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.name, self.role)


class Accounts:
    """The accounts file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cache: tuple[float, dict[str, Account]] | None = None

    def _read(self) -> dict[str, Account]:
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return {}
        if self._cache is not None and self._cache[0] == stamp:
            return self._cache[1]
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AccountError.of("auth.err.unreadable", path=str(self.path), problem=str(exc)) from exc
        users = {name: Account(username=name, **data) for name, data in raw.get("users", {}).items()}
        self._cache = (stamp, users)
        return users

    def _write(self, users: dict[str, Account]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"users": {u.username: {k: v for k, v in asdict(u).items() if k != "username"}
                          for u in sorted(users.values(), key=lambda a: a.username)}}
        tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._cache = None

    def all(self) -> list[Account]:
        return sorted(self._read().values(), key=lambda a: a.username)

    def get(self, username: str) -> Account | None:
        account = self._read().get(username)
        return account if account is not None and account.active else None

    def verify(self, username: str, password: str) -> Account | None:
        """The account if the password is right (and the account active), else None."""
        account = self._read().get(username.strip().lower())
        try:
            _HASHER.verify(account.hash if account else _DUMMY, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if account is None or not account.active:
            return None
        if _HASHER.check_needs_rehash(account.hash):
            self.set_password(account.username, password)
        return account

    def add(self, username: str, name: str, role: str, password: str) -> Account:
        """Create an account.

        Raises:
            AccountError: a bad name, role or password, or the name is taken.
        """
        username = username.strip().lower()
        if not _NAME.match(username):
            raise AccountError.of("auth.err.bad_username")
        _check_role(role)
        _check_password(password)
        with _LOCK:
            users = dict(self._read())
            if username in users:
                raise AccountError.of("auth.err.taken", name=username)
            users[username] = Account(username, name.strip() or username, role, _HASHER.hash(password),
                                      True, now_utc())
            self._write(users)
            return users[username]

    def _change(self, username: str, **changes: object) -> Account:
        with _LOCK:
            users = dict(self._read())
            if username not in users:
                raise AccountError.of("auth.err.no_account", name=username)
            old = asdict(users[username])
            old.update(changes)
            users[username] = Account(**old)
            self._write(users)
            return users[username]

    def set_password(self, username: str, password: str) -> Account:
        _check_password(password)
        return self._change(username, hash=_HASHER.hash(password))

    def set_role(self, username: str, role: str) -> Account:
        _check_role(role)
        return self._change(username, role=role)

    def set_active(self, username: str, active: bool) -> Account:
        return self._change(username, active=active)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError.of("auth.err.role", role=role, roles=", ".join(ROLES))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError.of("auth.err.short_password", n=MIN_PASSWORD)
