"""The shape of the code stays the shape the README's "Where things are" describes.

The layers themselves are import-linter contracts (pyproject.toml, run by scripts/test);
this checks what that cannot: that no module or function grows back into the kind of
several-jobs-at-once block a newcomer has to read whole before changing one rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"

MAX_MODULE_LINES = 320  # "about 300": a module is one subject, readable in one sitting
MAX_FUNCTION_LINES = 60

# Alembic migrations are history, written once and never changed again.
SOURCES = sorted(p for p in APP.rglob("*.py") if "migrations" not in p.parts)
ROOMS = [p for p in SOURCES if "rooms" in p.parts]


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _length(f: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return (f.end_lineno or f.lineno) - f.lineno + 1


def test_the_scan_finds_every_module_and_measures_functions() -> None:
    # A scan that found nothing would pass everything.
    assert len(ROOMS) > 20
    longest = max(_length(f) for p in SOURCES for f in _functions(ast.parse(p.read_text())))
    assert longest > 20


@pytest.mark.parametrize("module", ROOMS, ids=lambda p: str(p.relative_to(APP)))
def test_no_room_module_does_several_jobs(module: Path) -> None:
    lines = len(module.read_text().splitlines())
    assert lines <= MAX_MODULE_LINES, f"{module.relative_to(APP)} has {lines} lines"


def test_no_function_is_longer_than_a_screen() -> None:
    long = [
        f"{p.relative_to(APP)}:{f.lineno} {f.name} ({_length(f)} lines)"
        for p in SOURCES for f in _functions(ast.parse(p.read_text()))
        if _length(f) > MAX_FUNCTION_LINES
    ]
    assert not long, "\n".join(long)
