"""The partnership's pure rules: its members, its register's reference prefix, and the
names of its meetings. Plain functions of what they are given."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.rooms.rules import Refusal
from app.rooms.views import organisation_key

# A partnership board has tens of members, not hundreds; the bound keeps every room view
# of its meetings (which lists them, for the phone's To list) small.
MAX_MEMBERS = 60
PREFIX_RE = re.compile(r"[A-Z][A-Z0-9]{1,5}")


def members(names: Sequence[str]) -> list[str]:
    """The member organisations as they will be kept: each trimmed, in the order given,
    none twice (two spellings of one organisation are refused, not merged silently)."""
    kept: dict[str, str] = {}
    for name in names:
        key = organisation_key(name)
        if key in kept:
            raise Refusal("invalid", "duplicate_member",
                          f"“{kept[key]}” and “{name.strip()}” name the same organisation.")
        kept[key] = name.strip()
    return list(kept.values())


def default_prefix(title: str) -> str:
    """The register's reference prefix when none is given: the initials of the title's
    words (East Partnership Board: EPB), at least two letters, at most four."""
    words = re.findall(r"[A-Za-z0-9]+", title)
    initials = "".join(w[0] for w in words if w[0].isalpha()).upper()[:4]
    if len(initials) >= 2:
        return initials
    letters = "".join(re.findall(r"[A-Za-z]", title)).upper()
    return (letters[:3] if len(letters) >= 2 else "PB")


def meeting_title(partnership_title: str, number: int) -> str:
    return f"{partnership_title} — meeting {number}"[:120]
