"""The prompt library: facilitation structures shipped as TOML files in this package.

Each ``<key>.toml`` file holds one structure: the fields of `LibraryPrompt`
plus an integer ``order``, its place in the library as a meeting would use it.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.rooms.vocab import Collects

KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class LibraryError(ValueError):
    """A prompt library file is missing, unreadable or invalid."""


class Step(BaseModel):
    """One step of a structure, with its timing as a facilitator would write it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1)
    minutes: str = Field(min_length=1)


class LibraryPrompt(BaseModel):
    """A facilitation structure the facilitator can push as a prompt."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    text: str = Field(min_length=1, max_length=280)
    collects: Collects
    duration_s: int = Field(gt=0)
    self_commit: bool = False
    steps: tuple[Step, ...] = Field(min_length=1)
    guidance: str = Field(min_length=1)


class _PromptFile(LibraryPrompt):
    """What a data file holds: the prompt and its place in the library."""

    order: int


def load_from(folder: Traversable) -> tuple[LibraryPrompt, ...]:
    """Read and validate every ``*.toml`` file in `folder`, ordered by their ``order``.

    Raises `LibraryError` naming the file at fault when one cannot be read,
    fails validation, or has a key other than its file name.
    """
    entries = sorted(
        (e for e in folder.iterdir() if e.name.endswith(".toml") and e.is_file()),
        key=lambda e: e.name,
    )
    loaded = [_read(entry) for entry in entries]
    loaded.sort(key=lambda f: (f.order, f.key))
    return tuple(LibraryPrompt.model_validate(f.model_dump(exclude={"order"})) for f in loaded)


def _read(entry: Traversable) -> _PromptFile:
    try:
        with entry.open("rb") as stream:
            data = tomllib.load(stream)
        prompt = _PromptFile.model_validate(data)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LibraryError(f"{entry.name}: cannot read prompt file: {exc}") from exc
    except ValidationError as exc:
        raise LibraryError(f"{entry.name}: invalid prompt file: {exc}") from exc
    stem = entry.name.removesuffix(".toml")
    if prompt.key != stem:
        raise LibraryError(f"{entry.name}: key {prompt.key!r} must equal the file name {stem!r}")
    return prompt


@lru_cache(maxsize=1)
def load_library() -> tuple[LibraryPrompt, ...]:
    """The shipped library, in the order a meeting would use it."""
    return load_from(files("app.prompts"))


def get_prompt(key: str) -> LibraryPrompt | None:
    """The library prompt with this key, or None if there is none."""
    return next((p for p in load_library() if p.key == key), None)
