"""The prompt library: facilitation structures as data files plus a loader."""

from app.prompts.library import (
    LibraryError,
    LibraryPrompt,
    Step,
    get_prompt,
    load_from,
    load_library,
)

__all__ = [
    "LibraryError",
    "LibraryPrompt",
    "Step",
    "get_prompt",
    "load_from",
    "load_library",
]
