"""Documentation stays true: settings, CLI commands and saved queries are in the README."""

from __future__ import annotations

import re

import pytest

from kg.cli import cli
from kg.config import REPO_ROOT, SETTINGS_HELP

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SETTINGS_HELP))
def test_every_setting_is_documented(name: str) -> None:
    assert re.search(rf"\|\s*`{name}`\s*\|", README), f"setting {name} missing from README"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_cli_command_is_documented(command: str) -> None:
    assert f"kg {command}" in README, f"`kg {command}` missing from README"


def test_every_saved_query_is_documented() -> None:
    catalog = pytest.importorskip("kg.query.catalog")
    names = [q.name for q in catalog.load_catalog()]
    assert len(names) >= 15
    missing = [n for n in names if f"`{n}`" not in README]
    assert not missing, f"saved queries missing from README: {missing}"


def test_readme_names_the_two_commands_and_ci_runs_the_test_one() -> None:
    assert "make run" in README and "make test" in README
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_changelog_exists() -> None:
    assert (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8").startswith("# Changelog")
