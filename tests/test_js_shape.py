"""The front end's shape (app/static/js, not vendor/): no function longer than a screenful
or three, and every page's switch on event types names each type vocab.js lists.

The pages are read with a small JavaScript scanner, so that a brace in a string, a
template literal, a regular expression or a comment is not taken for code."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[1] / "app" / "static" / "js"
PAGES = sorted(JS.glob("*.js"))
MAX_FUNCTION_LINES = 150

# After these words a "/" starts a regular expression, not a division.
_BEFORE_EXPRESSION = {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void",
                      "throw", "case", "do", "else", "yield", "await"}
# Words that take "( ... ) {" without being a function.
_CONTROL = {"if", "for", "while", "switch", "catch", "with", "await", "return", "typeof"}
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_NUMBER = re.compile(r"\.?\d[\w.]*")


@dataclass(frozen=True)
class Token:
    kind: str  # "name", "number", "string", "template", "regex" or "punct"
    text: str
    line: int


class ScanError(ValueError):
    pass


def _string_end(source: str, start: int) -> int:
    """Index just past the quoted string that starts at `start`."""
    quote = source[start]
    i = start + 1
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == quote:
            return i + 1
        if source[i] == "\n":
            break
        i += 1
    raise ScanError(f"unterminated string at offset {start}")


def _template_end(source: str, start: int) -> tuple[int, bool]:
    """From inside a template literal: the index past its closing backtick (False) or past
    the "${" of its next substitution (True)."""
    i = start
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == "`":
            return i + 1, False
        if source.startswith("${", i):
            return i + 2, True
        i += 1
    raise ScanError(f"unterminated template literal at offset {start}")


def _regex_end(source: str, start: int) -> int:
    """Index just past the regular expression literal (and its flags) at `start`."""
    i = start + 1
    in_class = False
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n":
            break
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "/" and not in_class:
            i += 1
            while i < len(source) and (source[i].isalnum() or source[i] == "_"):
                i += 1
            return i
        i += 1
    raise ScanError(f"unterminated regular expression at offset {start}")


def _regex_may_start(tokens: list[Token]) -> bool:
    if not tokens:
        return True
    last = tokens[-1]
    if last.kind == "name":
        return last.text in _BEFORE_EXPRESSION
    if last.kind != "punct":
        return False
    return last.text not in (")", "]", "}")


def scan(source: str) -> list[Token]:
    """The tokens of a JavaScript module that matter for its shape: names, brackets and
    punctuation; strings, template text and regular expressions each as one token."""
    tokens: list[Token] = []
    # One entry per open "{": True when it is a template literal's "${".
    braces: list[bool] = []
    i, line = 0, 1

    def take(kind: str, end: int) -> None:
        nonlocal i, line
        tokens.append(Token(kind, source[i:end], line))
        line += source.count("\n", i, end)
        i = end

    def template_from(start: int) -> None:
        nonlocal i
        end, substitution = _template_end(source, start)
        take("template", end)
        if substitution:
            braces.append(True)

    while i < len(source):
        c = source[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            i = len(source) if end < 0 else end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            if end < 0:
                raise ScanError(f"unterminated comment at line {line}")
            line += source.count("\n", i, end)
            i = end + 2
        elif c in "'\"":
            take("string", _string_end(source, i))
        elif c == "`":
            template_from(i + 1)
        elif c == "}" and braces and braces[-1]:
            braces.pop()
            template_from(i + 1)  # the template goes on after its substitution
        elif c == "/" and _regex_may_start(tokens):
            take("regex", _regex_end(source, i))
        elif match := _NAME.match(source, i):
            take("name", match.end())
        elif match := _NUMBER.match(source, i):
            take("number", match.end())
        elif source.startswith("=>", i):
            take("punct", i + 2)
        else:
            if c == "{":
                braces.append(False)
            elif c == "}" and braces:
                braces.pop()
            take("punct", i + 1)
    if braces:
        raise ScanError("unclosed brace at the end of the module")
    return tokens


def matching(tokens: list[Token]) -> dict[int, int]:
    """For each opening bracket's index, the index of the bracket that closes it."""
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[int] = []
    found: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if token.kind != "punct":
            continue
        if token.text in "([{":
            stack.append(index)
        elif token.text in pairs:
            if not stack or tokens[stack[-1]].text != pairs[token.text]:
                raise ScanError(f"unbalanced {token.text!r} at line {token.line}")
            found[stack.pop()] = index
    if stack:
        raise ScanError(f"unclosed {tokens[stack[-1]].text!r} at line {tokens[stack[-1]].line}")
    return found


@dataclass(frozen=True)
class Function:
    name: str
    first: int  # line
    last: int

    @property
    def lines(self) -> int:
        return self.last - self.first + 1


def _is(tokens: list[Token], index: int, text: str) -> bool:
    return 0 <= index < len(tokens) and tokens[index].kind == "punct" and tokens[index].text == text


def _named(tokens: list[Token], index: int) -> str:
    """The name a function starting at `index` is given: `name = …`, `name: …`, or none."""
    if index >= 2 and tokens[index - 1].text in ("=", ":") \
            and tokens[index - 2].kind in ("name", "string"):
        return tokens[index - 2].text.strip("'\"")
    return "(anonymous)"


def functions(source: str) -> list[Function]:
    """Every function in a module: declarations, function expressions, methods (getters
    and setters too) and arrow functions with a block body, each with its line span."""
    tokens = scan(source)
    close = matching(tokens)
    found: list[Function] = []
    for index, token in enumerate(tokens):
        if token.kind == "name" and _is(tokens, index + 1, "=>") and _is(tokens, index + 2, "{"):
            found.append(Function(_named(tokens, index), token.line, tokens[close[index + 2]].line))
        if not _is(tokens, index, "("):
            continue
        after = close[index] + 1
        if _is(tokens, after, "=>") and _is(tokens, after + 1, "{"):
            found.append(Function(_named(tokens, index), token.line, tokens[close[after + 1]].line))
            continue
        if not _is(tokens, after, "{") or index == 0:
            continue
        before = tokens[index - 1]
        start = index - 1
        if before.kind == "name" and before.text == "function":
            name = _named(tokens, start)
        elif before.kind == "name" and before.text not in _CONTROL:
            name = before.text
            if index >= 2 and tokens[index - 2].text == "function":
                start = index - 2
            elif index >= 3 and tokens[index - 2].text == "*" \
                    and tokens[index - 3].text == "function":
                start = index - 3
        elif _is(tokens, index - 1, "]"):
            name = "[computed]"
        else:
            continue
        found.append(Function(name, tokens[start].line, tokens[close[after]].line))
    return found


# --- the scanner itself -----------------------------------------------------------------------

def _body(lines: int) -> str:
    return "\n".join(f"  step({n});" for n in range(lines - 2))


def test_the_scanner_finds_every_kind_of_function() -> None:
    source = """
function declared(a) {
  return a;
}
const expressed = function (b) {
  return b;
};
const arrow = (c) => {
  return c;
};
const short = (d) => d;
list.map(e => {
  return e;
});
class Wall {
  render(store) {
    return store;
  }
  get seq() { return 1; }
  static make() { return new Wall(); }
}
const object = { method() { return 1; }, on: { click: () => { go(); } } };
if (ready) { start(); }
for (const x of xs) { use(x); }
"""
    found = {(f.name, f.first, f.lines) for f in functions(source)}
    assert found == {
        ("declared", 2, 3), ("expressed", 5, 3), ("arrow", 8, 3), ("(anonymous)", 12, 3),
        ("render", 16, 3), ("seq", 19, 1), ("make", 20, 1), ("method", 22, 1), ("click", 22, 1),
    }


def test_braces_in_strings_templates_regexes_and_comments_are_not_code() -> None:
    source = """
function tricky() {
  const a = "}";
  const b = '{ {';
  const c = `} ${ { x: "}" }.x } ${`nested ${"}"}`} {`;
  const d = /[}{]+\\/}/g.test(a);
  const e = a.length / 2 / 1;  // a division, not a regex: }
  /* } } } */
  return `${a}${b}`;
}
function after() {
  return 1;
}
"""
    found = {(f.name, f.first, f.last) for f in functions(source)}
    assert ("tricky", 2, 10) in found
    assert ("after", 11, 13) in found


def test_a_function_over_the_limit_is_reported_and_one_at_it_is_not() -> None:
    at_limit = f"function fits() {{\n{_body(MAX_FUNCTION_LINES)}\n}}\n"
    over = f"export function tooLong() {{\n{_body(MAX_FUNCTION_LINES + 1)}\n}}\n"
    assert [f.lines for f in functions(at_limit)] == [MAX_FUNCTION_LINES]
    assert long_functions({"fits.js": at_limit}) == []
    assert long_functions({"long.js": over}) == [
        f"long.js:1 tooLong ({MAX_FUNCTION_LINES + 1} lines)"]


def test_the_scanner_refuses_what_it_cannot_read() -> None:
    with pytest.raises(ScanError):
        functions("function open() {\n  return `unfinished;\n}\n")


# --- the pages -----------------------------------------------------------------------------

def long_functions(sources: dict[str, str]) -> list[str]:
    return [f"{name}:{f.first} {f.name} ({f.lines} lines)"
            for name, source in sources.items() for f in functions(source)
            if f.lines > MAX_FUNCTION_LINES]


def test_the_pages_are_all_read() -> None:
    """Every module scans, and the scanner sees their functions (so the next test can fail)."""
    assert len(PAGES) > 20
    counts = {path.name: len(functions(path.read_text(encoding="utf-8"))) for path in PAGES}
    assert sum(counts.values()) > 300, counts


def test_no_function_in_the_pages_is_longer_than_150_lines() -> None:
    """A closure holding a whole page hides its state: split it into named pieces."""
    sources = {path.name: path.read_text(encoding="utf-8") for path in PAGES}
    assert long_functions(sources) == []


# --- switches on event type ----------------------------------------------------------------

def event_types() -> tuple[str, ...]:
    """vocab.js's EVENT_TYPES, as the pages import it."""
    text = (JS / "vocab.js").read_text(encoding="utf-8")
    match = re.search(r"export const EVENT_TYPES = Object\.freeze\((\[.*?\])\);", text)
    assert match, "vocab.js no longer exports EVENT_TYPES as a frozen array"
    return tuple(json.loads(match.group(1)))


@dataclass(frozen=True)
class Switch:
    line: int
    labels: tuple[str, ...]  # the string case labels, in order
    default_throws: bool     # a default clause that throws


def switches(source: str) -> list[Switch]:
    """Every `switch` in a module with its own string case labels (not a nested switch's)."""
    tokens = scan(source)
    close = matching(tokens)
    found: list[Switch] = []
    for index, token in enumerate(tokens):
        if token.kind != "name" or token.text != "switch" or not _is(tokens, index + 1, "("):
            continue
        body = close[index + 1] + 1
        labels: list[str] = []
        default_throws = False
        depth = 0
        clause: str | None = None
        for inner in tokens[body + 1:close[body]]:
            if inner.kind == "punct" and inner.text in "([{":
                depth += 1
            elif inner.kind == "punct" and inner.text in ")]}":
                depth -= 1
            elif depth == 0 and inner.kind == "name" and inner.text in ("case", "default"):
                clause = inner.text
            elif clause == "case" and inner.kind == "string":
                labels.append(inner.text[1:-1])
                clause = None
            elif clause == "default" and inner.kind == "name" and inner.text == "throw":
                default_throws = True
        found.append(Switch(token.line, tuple(labels), default_throws))
    return found


def event_switches() -> dict[str, list[Switch]]:
    """The switches on event type, by module: those with an event type among their labels."""
    types = set(event_types())
    found: dict[str, list[Switch]] = {}
    for path in PAGES:
        for switch in switches(path.read_text(encoding="utf-8")):
            if types & set(switch.labels):
                found.setdefault(path.name, []).append(switch)
    return found


def test_the_switch_reader_sees_labels_and_a_throwing_default() -> None:
    source = """
switch (change.type) {
  case "a.b": { go(); break; }
  case "c.d":
    switch (other) { case "inner": break; default: break; }
    break;
  default:
    throw new Error(`unknown change: ${change.type}`);
}
switch (key) { case "x": break; default: break; }
"""
    assert switches(source) == [Switch(2, ("a.b", "c.d"), True), Switch(5, ("inner",), False),
                                Switch(10, ("x",), False)]


def test_the_pages_that_follow_events_are_the_ones_checked() -> None:
    """The reader finds each module's switch on events (so the next test can fail)."""
    assert set(event_switches()) >= {"store.js", "board-news.js", "console.js", "phone-notices.js",
                                     "phone-mine.js", "console-runsheet.js"}


def test_every_switch_on_event_type_names_every_type_and_throws_on_others() -> None:
    """RoomStore passes on only the types it knows (vocab.js's list); each page's switch
    names all of them, the ones it ignores too, so a new type is a decision in every page."""
    types = event_types()
    problems = []
    for name, found in event_switches().items():
        for switch in found:
            missing = [t for t in types if t not in switch.labels]
            if missing:
                problems.append(f"{name}:{switch.line} does not name {', '.join(missing)}")
            if not switch.default_throws:
                problems.append(f"{name}:{switch.line} does not throw on a type it does not name")
    assert problems == []


# --- one live connection, and its words from vocab.js ----------------------------------------

def imports(source: str) -> set[str]:
    """The modules a module imports (static `import … from "./x.js"` and `import("./x.js")`)."""
    tokens = scan(source)
    found = set()
    for index, token in enumerate(tokens):
        if token.kind == "name" and token.text in ("from", "import") \
                and index + 1 < len(tokens) and tokens[index + 1].kind == "string":
            found.add(tokens[index + 1].text[1:-1].removeprefix("./"))
        if token.kind == "name" and token.text == "import" and _is(tokens, index + 1, "(") \
                and index + 2 < len(tokens) and tokens[index + 2].kind == "string":
            found.add(tokens[index + 2].text[1:-1].removeprefix("./"))
    return found


def test_only_the_store_opens_the_live_connection() -> None:
    """Pages hear of events only through RoomStore.follow, which alone imports live.js."""
    users = {path.name for path in PAGES if "live.js" in imports(path.read_text(encoding="utf-8"))}
    assert users == {"store.js"}
    assert "vocab.js" in imports((JS / "live.js").read_text(encoding="utf-8"))


def close_codes() -> set[str]:
    text = (JS / "vocab.js").read_text(encoding="utf-8")
    match = re.search(r"export const CLOSE = Object\.freeze\((\{.*?\})\);", text)
    assert match, "vocab.js no longer exports CLOSE as a frozen object"
    return {str(code) for code in json.loads(match.group(1)).values()}


def test_close_codes_are_named_from_vocab_js_only() -> None:
    """A bare 4404 in code or in a comment is a second definition that can drift."""
    codes = close_codes()
    assert {"4401", "4404"} <= codes
    bare = [f"{path.name}:{number}" for path in PAGES if path.name != "vocab.js"
            for number in re.findall(r"\b\d{4}\b", path.read_text(encoding="utf-8"))
            if number in codes]
    assert bare == []
