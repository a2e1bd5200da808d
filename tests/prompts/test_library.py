from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.prompts.library import (
    LibraryError,
    LibraryPrompt,
    Step,
    get_prompt,
    load_from,
    load_library,
)

SPEC_STRUCTURES = {
    "winfy": ("request", False),
    "do-differently": ("request", False),
    "ask-for-help": ("ask", False),
    "offers": ("offer", False),
    "fifteen-percent": ("offer", True),
    "commitments": ("offer", True),
    "matters-arising": ("review", False),  # SPEC §10
}


def prompt_file(key: str = "example", order: int = 1, **fields: str) -> str:
    """A valid data file's TOML, with top-level lines replaced or added by `fields`."""
    lines = {
        "key": f'"{key}"',
        "order": str(order),
        "title": '"Example"',
        "summary": '"An example structure."',
        "text": '"What would you like to say?"',
        "collects": '"any"',
        "duration_s": "300",
        "guidance": '"Run it."',
        **fields,
    }
    head = "\n".join(f"{name} = {value}" for name, value in lines.items())
    return head + '\n\n[[steps]]\ntitle = "Do it"\nminutes = "5"\n'


def shipped_file_stems() -> set[str]:
    folder = files("app.prompts")
    return {
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    }


def test_every_shipped_file_loads_as_a_valid_prompt() -> None:
    library = load_library()
    assert len(library) == len(shipped_file_stems())
    for prompt in library:
        assert LibraryPrompt.model_validate(prompt.model_dump()) == prompt


def test_keys_are_unique_and_match_file_names() -> None:
    keys = [prompt.key for prompt in load_library()]
    assert len(keys) == len(set(keys))
    assert set(keys) == shipped_file_stems()


@pytest.mark.parametrize("prompt", load_library(), ids=lambda p: p.key)
def test_participant_text_fits_a_prompt(prompt: LibraryPrompt) -> None:
    assert 1 <= len(prompt.text) <= 280
    assert prompt.text == prompt.text.strip()
    assert "\n" not in prompt.text


@pytest.mark.parametrize("prompt", load_library(), ids=lambda p: p.key)
def test_guidance_is_paragraphs_without_hard_line_breaks(prompt: LibraryPrompt) -> None:
    """A line left unjoined in the TOML would show as a stray break on the console."""
    paragraphs = prompt.guidance.split("\n\n")
    for paragraph in paragraphs:
        assert paragraph
        assert paragraph == paragraph.strip()
        assert "\n" not in paragraph
    assert "\n" not in prompt.summary


@pytest.mark.parametrize(("key", "expected"), SPEC_STRUCTURES.items())
def test_spec_structures_collect_what_the_spec_says(key: str, expected: tuple[str, bool]) -> None:
    prompt = get_prompt(key)
    assert prompt is not None
    assert (prompt.collects, prompt.self_commit) == expected


def test_library_is_in_meeting_order_with_commitments_last() -> None:
    assert [prompt.key for prompt in load_library()] == [
        "matters-arising",  # a partnership's meetings open with it
        "do-differently",
        "winfy",
        "ask-for-help",
        "offers",
        "fifteen-percent",
        "commitments",
    ]


def test_winfy_steps_follow_the_spec_timings() -> None:
    winfy = get_prompt("winfy")
    assert winfy is not None
    assert [step.minutes for step in winfy.steps] == [
        "3",
        "5–15",
        "15",
        "5–10",
        "10",
        "15",
    ]
    for phrase in ("Yes", "No", "I'll try", "Unclear", "What?", "So what?", "Now what?"):
        assert phrase in winfy.guidance


def test_get_prompt_of_an_unknown_key_is_none() -> None:
    assert get_prompt("no-such-structure") is None


def test_get_prompt_returns_the_library_entry() -> None:
    assert get_prompt("commitments") is load_library()[-1]


def test_library_prompts_are_frozen() -> None:
    prompt = load_library()[0]
    with pytest.raises(ValidationError):
        prompt.text = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Step(title="x", minutes="1", extra="no")  # type: ignore[call-arg]


def test_load_from_orders_by_the_order_field_not_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "alpha.toml").write_text(prompt_file("alpha", order=2), "utf-8")
    (tmp_path / "beta.toml").write_text(prompt_file("beta", order=1), "utf-8")
    (tmp_path / "notes.txt").write_text("not a prompt", "utf-8")
    assert [prompt.key for prompt in load_from(tmp_path)] == ["beta", "alpha"]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param('key = "broken"\ntitle = ', id="not-toml"),
        pytest.param(prompt_file("broken", collects='"wish"'), id="bad-collects"),
        pytest.param(prompt_file("broken", text='""'), id="empty-text"),
        pytest.param(prompt_file("broken", text=f'"{"x" * 281}"'), id="long-text"),
        pytest.param(prompt_file("broken", colour='"red"'), id="unknown-field"),
        pytest.param(prompt_file("broken", order='"first"'), id="bad-order"),
        pytest.param(prompt_file("other"), id="key-not-file-name"),
        pytest.param(prompt_file("broken").split("[[steps]]")[0], id="no-steps"),
    ],
)
def test_a_malformed_file_is_refused_with_its_name(tmp_path: Path, content: str) -> None:
    (tmp_path / "fine.toml").write_text(prompt_file("fine"), "utf-8")
    (tmp_path / "broken.toml").write_text(content, "utf-8")
    with pytest.raises(LibraryError, match=r"broken\.toml"):
        load_from(tmp_path)
