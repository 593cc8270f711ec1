"""Which characters content may hold, their names in messages, and where a value's character is in the file."""

from __future__ import annotations

import re
import unicodedata

# Characters no text of a hub may hold: C0 controls other than tab and newline (CR is a line
# ending, turned into a newline before anything else reads the file), DEL, the C1 controls
# (NEL among them), lone surrogates (only a YAML escape can make one) and the non-characters
# U+FFFE, U+FFFF. They are invisible, XML refuses most of them (the feed and the calendar), and
# encoding a surrogate fails; YAML counts NEL as a line break where editors do not.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Line and paragraph separators: YAML counts them as line breaks, editors show none, so every
# line number after one would be wrong. Refused in front matter; harmless in a body.
SEPARATORS = re.compile("[\u2028\u2029]")
# Invisible characters that make one name look like another, or reorder what is shown (bidi
# controls, as in "Trojan Source"): refused in names, titles and handles. Zero-width joiners are
# refused too except where a script needs them (see `_needed_joiner`).
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\U0001d173-\U0001d17a\U000e0000-\U000e007f]")

_NAMES = {
    "\x00": "a NUL character", "\t": "a tab", "\n": "a line break", "\x0b": "a vertical tab",
    "\x0c": "a form feed", "\x1b": "an escape character", "\x7f": "a delete character",
    "\x85": "a next-line character (NEL)", "\u2028": "a line separator", "\u2029": "a paragraph separator",
    "\u00ad": "a soft hyphen", "\u034f": "a combining grapheme joiner", "\u061c": "an Arabic letter mark",
    "\u200b": "a zero-width space", "\u200c": "a zero-width non-joiner", "\u200d": "a zero-width joiner",
    "\u200e": "a left-to-right mark", "\u200f": "a right-to-left mark",
    "\u202a": "a left-to-right embedding", "\u202b": "a right-to-left embedding",
    "\u202c": "a pop directional formatting", "\u202d": "a left-to-right override",
    "\u202e": "a right-to-left override", "\u2060": "a word joiner", "\u2066": "a left-to-right isolate",
    "\u2067": "a right-to-left isolate", "\u2068": "a first strong isolate",
    "\u2069": "a pop directional isolate", "\u3164": "a Hangul filler", "\ufeff": "a zero-width no-break space",
    "\ufffe": "a non-character", "\uffff": "a non-character",
}


def describe(char: str) -> str:
    """'a zero-width space U+200B': the character's name as an editor can search for it."""
    code = ord(char)
    name = _NAMES.get(char)
    if name is None:
        if 0xD800 <= code <= 0xDFFF:
            name = "a lone surrogate"
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            name = "a control character"
        elif 0xE0000 <= code <= 0xE007F:
            name = "an invisible tag character"
        else:
            name = "an invisible character"
    return f"{name} U+{code:04X}"


def first_forbidden(value: str, invisible: bool = False) -> int | None:
    """Index of the first character `value` may not hold (invisible ones too when asked), or None.
    Nearly every value is printable, which str.isprintable decides at C speed."""
    if value.isprintable():
        return None
    found = FORBIDDEN.search(value)
    best = found.start() if found else None
    if invisible:
        for match in INVISIBLE.finditer(value):
            if best is not None and match.start() > best:
                break
            if not _needed_joiner(value, match.start()):
                best = match.start()
                break
    return best


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")


def _needed_joiner(value: str, index: int) -> bool:
    """A zero-width (non-)joiner that a script needs, as IDNA's rule (RFC 5892, CONTEXTJ) allows:
    after a virama (Devanagari and other Indic scripts), or a non-joiner between two Arabic-script
    letters (Persian names). Anywhere else it only hides a difference."""
    char = value[index]
    if char not in "\u200c\u200d" or index == 0:
        return False
    before = value[index - 1]
    if unicodedata.combining(before) == 9:
        return True
    after = value[index + 1] if index + 1 < len(value) else ""
    return char == "\u200c" and bool(_ARABIC.match(before)) and bool(after and _ARABIC.match(after))


_ESCAPED = re.compile(r'\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0abtnvfreN_LP"/\\ \t])')
_SHORT = {"0": "\x00", "a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c", "r": "\r",
          "e": "\x1b", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}


def locate(lines: list[str], start: tuple[int, int], end: tuple[int, int], char: str) -> tuple[int, int, str]:
    """(line, column, how it is written) of `char` in the source between two marks (0-based line,
    column), all 1-based in the result: as itself, or as a double-quoted escape such as \\x01."""
    for number in range(start[0], min(end[0], len(lines) - 1) + 1):
        text = lines[number]
        first = start[1] if number == start[0] else 0
        last = end[1] if number == end[0] else len(text)
        found = text.find(char, first, last)
        if found >= 0:
            return number + 1, found + 1, ""
        for match in _ESCAPED.finditer(text, first, last):
            code = match.group(1)
            decoded = _SHORT.get(code, code) if len(code) == 1 else chr(int(code[1:], 16))
            if decoded == char:
                return number + 1, match.start() + 1, match.group(0)
    return start[0] + 1, start[1] + 1, ""


_HIDDEN = re.compile(f"{FORBIDDEN.pattern}|{SEPARATORS.pattern}|{INVISIBLE.pattern}|\n")


def escape_for_display(text: str) -> str:
    """`text` with every control, surrogate, separator and invisible character written as \\uXXXX,
    so a message can neither break a terminal or a log nor hide what it quotes."""
    if text.isprintable():
        return text
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group(0)):04X}" if ord(m.group(0)) <= 0xFFFF
                       else f"\\U{ord(m.group(0)):08X}", text)


# ---------------------------------------------------------------------------
# Look-alikes (Unicode's confusables, UTS #39)
# ---------------------------------------------------------------------------

_DATA: dict[str, list[dict[str, str]]] | None = None
_PROTOTYPE: dict[str, str] = {}  # character -> the text every look-alike of it becomes


def _confusables() -> dict[str, list[dict[str, str]]]:
    """confusable-homoglyphs' table of Unicode's confusables.txt (character -> the characters
    it can be mistaken for, both ways), read from the package's data file: importing its module
    also loads a table of scripts and urllib, a tenth of a second `check` does not need."""
    global _DATA
    if _DATA is None:
        from importlib.resources import files  # noqa: PLC0415 - only a hub with two creators needs it
        import json  # noqa: PLC0415

        _DATA = json.loads(files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8"))
    return _DATA


def _prototype(char: str) -> str:
    """One text for every character that looks like `char`: the characters it can be mistaken
    for, and theirs, are one class (Unicode's data maps each to one prototype, so a class is
    that prototype and its look-alikes); a class is named by its prototype of several
    characters where it has one (m -> rn), else by its smallest member."""
    found = _PROTOTYPE.get(char)
    if found is not None:
        return found
    data = _confusables()
    members, queue = {char}, [char]
    while queue:
        for entry in data.get(queue.pop(), ()):
            other = entry["c"].replace("\u200e", "").replace("\u200f", "")  # marks around right-to-left text
            if other and other not in members:
                members.add(other)
                queue.append(other)
    name = min(members, key=lambda m: (len(m) == 1, len(m), m))
    for member in members:
        if len(member) == 1:
            _PROTOTYPE[member] = name
    _PROTOTYPE.setdefault(char, name)
    return name


class _Prototypes(dict):
    """A str.translate table (code point -> prototype) filled on first use of each character:
    translate runs in C and calls back only for a character it has not met."""

    def __missing__(self, code: int) -> str:
        found = self[code] = _prototype(chr(code))
        return found


_TABLE = _Prototypes()


def skeleton(text: str) -> str:
    """What `text` looks like, after UTS #39's skeleton: decomposed, invisible characters dropped,
    every character replaced by its class's prototype; and, since '@Maya' and '@maya' name the
    same account, case folded (then mapped again). Two texts with one skeleton look alike."""
    if not text.isascii():  # ASCII has nothing to decompose and nothing invisible
        text = INVISIBLE.sub("", unicodedata.normalize("NFD", text))
        text = re.sub("[\ufe00-\ufe0f]", "", text)  # variation selectors
    text = " ".join(text.split())
    mapped = text.translate(_TABLE)
    folded = mapped.casefold() if mapped.isascii() else unicodedata.normalize("NFD", mapped).casefold()
    return folded.translate(_TABLE)
