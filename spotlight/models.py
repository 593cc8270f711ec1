"""The content kinds of the SPEC as typed field tables, and the parser that applies them.

Every value is read from the YAML node's source text, never from YAML's implicit typing,
so `NO` stays Norway's code, `on` stays a word and `@0123` stays a handle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import langcodes
import pycountry
import yaml

from .characters import describe, first_forbidden, locate
from .diagnostics import Report, did_you_mean
from .sources import FILE_FIELD, SLUG_RE, Source, key_problem

# ---------------------------------------------------------------------------
# Controlled vocabularies
# ---------------------------------------------------------------------------

CONTENT_WARNINGS: dict[str, str] = {
    "suicide": "suicide",
    "self-harm": "self-harm",
    "eating-disorders": "eating disorders",
    "substance-use": "substance use",
    "abuse": "abuse",
    "sexual-violence": "sexual violence",
    "death-and-grief": "death and grief",
    "trauma": "trauma",
}
# Topics that safe-messaging guidance treats as sensitive: flagged for human review.
SENSITIVE_WARNINGS = ("suicide", "self-harm", "eating-disorders")

PLATFORMS: dict[str, str] = {
    "tiktok": "TikTok", "instagram": "Instagram", "youtube": "YouTube", "podcast": "Podcast",
    "website": "Website", "newsletter": "Newsletter", "threads": "Threads", "bluesky": "Bluesky",
    "mastodon": "Mastodon", "twitch": "Twitch", "other": "Link",
}
RESOURCE_KINDS: dict[str, str] = {
    "helpline": "Helpline", "text-line": "Text line", "chat": "Chat", "website": "Website",
    "guide": "Guide", "tool": "Tool", "directory": "Directory", "training": "Training",
}
CONTACT_METHODS: dict[str, str] = {"call": "Call", "text": "Text", "chat": "Chat", "web": "Website", "email": "Email"}
# Where a creator speaks from (issue 13): the first thing a reader needs to judge what they hear.
PERSPECTIVES: dict[str, str] = {
    "lived-experience": "Lived experience", "peer-supporter": "Peer supporter",
    "licensed-professional": "Licensed professional", "organization": "Organization",
}
COMPENSATION: dict[str, str] = {"paid": "Paid", "unpaid": "Unpaid"}
STATUSES = ("published", "draft")
# Resource kinds whose whole point is a way to reach someone.
KINDS_NEEDING_CONTACTS = ("helpline", "text-line", "chat")


class FieldError(Exception):
    def __init__(self, line: int, message: str, hint: str = "", char: tuple[yaml.Node, str] | None = None):
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint
        self.char = char  # (node, character): the message ends with where it is, found by report_field_error


def report_field_error(ctx: "Ctx", label: str, err: FieldError) -> None:
    line, message = err.line, err.message
    if err.char is not None:  # name the line and column where the editor can find the character
        node, char = err.char
        lines = ctx.item.text.split("\n")
        line, column, written = locate(lines, (node.start_mark.line, node.start_mark.column),
                                       (node.end_mark.line, node.end_mark.column), char)
        message += f" (written {written})" if written else ""
        message += f" at column {column}"
    ctx.report.error(ctx.item.path, line, label, message, err.hint)


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def is_empty(node: yaml.Node) -> bool:
    # A plain scalar's style is None from PyYAML's parser and '' from libyaml's.
    return isinstance(node, yaml.ScalarNode) and not node.style and node.value in ("", "~", "null", "Null", "NULL")


@dataclass
class Ctx:
    """What a field parser needs besides the node: where it is and what it may refer to."""

    root: Path
    item: "Item"
    report: Report
    # Files the item names that were looked for (asset paths), so a cached item can be checked again.
    looked_for: list[str] = field(default_factory=list)
    # Fields written with no value: a rule that requires a field only sometimes must see them too.
    empty: set[str] = field(default_factory=set)


# ---------------------------------------------------------------------------
# Field types
# ---------------------------------------------------------------------------

# The longest value of any field without a smaller limit of its own (a web address, a path).
MAX_VALUE_LENGTH = 2000


class FieldType:
    label = "text"
    max_value_length = MAX_VALUE_LENGTH

    def parse(self, node: yaml.Node, name: str, ctx: Ctx) -> Any:
        raise NotImplementedError

    def schema(self) -> dict:
        return {"type": "string"}

    def scalar(self, node: yaml.Node, what: str | None = None, invisible: bool = False) -> str:
        """The node's text, if it is one value of text that any output can carry (no control
        characters, no lone surrogates; with `invisible`, none of the characters that do not show)."""
        if isinstance(node, yaml.ScalarNode):
            value = node.value
            if len(value) > self.max_value_length:
                raise FieldError(line_of(node), f"is {len(value):,} characters long; at most "
                                 f"{self.max_value_length:,} are allowed", "shorten it")
            index = None if value.isprintable() else first_forbidden(value, invisible)
            if index is not None:
                char = value[index]
                hint = ("retype it without that character: it does not show, and makes the text look like another"
                        if first_forbidden(char) is None else
                        "remove it: it does not show, and pages, feeds and calendars cannot carry it")
                raise FieldError(line_of(node), describe(char), hint, char=(node, char))
            return value.strip()
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a group of fields"
        raise FieldError(line_of(node), f"expected {what or 'a single ' + self.label}, found {kind}",
                         "write one value after the colon")


@dataclass
class Text(FieldType):
    max_length: int | None = None
    sentence: bool = False
    label: str = "text"
    # Names and titles tell items apart: characters that do not show are refused in them.
    identity: bool = False

    def parse(self, node, name, ctx):
        value = " ".join(self.scalar(node, invisible=self.identity).split())
        if not value:
            raise FieldError(line_of(node), "is empty", "write a value or remove the line")
        if self.max_length and len(value) > self.max_length:
            raise FieldError(line_of(node), f"is {len(value)} characters long; at most {self.max_length} are allowed",
                             "shorten it")
        if self.sentence and re.search(r"[.!?]\s+[A-Z]", value.rstrip(".!? ")):
            ctx.report.warning(ctx.item.path, line_of(node), name, "looks like more than one sentence",
                               "keep the summary to one sentence; put the rest in the body")
        return value

    def schema(self):
        # Spaces alone are "empty" to parse(): at least one character that is not a space.
        out: dict = {"type": "string", "minLength": 1, "pattern": r"\S"}
        if self.max_length:
            out["maxLength"] = self.max_length
        return out


@dataclass
class Pattern(FieldType):
    regex: str = ""
    label: str = "text"
    expected: str = ""
    example: str = ""

    def parse(self, node, name, ctx):
        value = self.scalar(node, invisible=True)  # handles and hashtags: name a hidden character
        if not re.fullmatch(self.regex, value):
            raise FieldError(line_of(node), f"'{value}' is not {self.expected}", f"write it like {self.example}")
        return value

    def schema(self):
        # parse() uses fullmatch; a JSON Schema pattern matches anywhere unless anchored.
        return {"type": "string", "pattern": f"^(?:{self.regex})$"}


@dataclass
class Choice(FieldType):
    vocabulary: dict[str, str] | tuple[str, ...] = ()
    label: str = "term"

    def parse(self, node, name, ctx):
        value = self.scalar(node)
        if value not in self.vocabulary:
            raise FieldError(line_of(node), f"'{value}' is not a known {self.label}", did_you_mean(value, self.vocabulary))
        return value

    def schema(self):
        return {"type": "string", "enum": list(self.vocabulary)}


@dataclass
class Ref(FieldType):
    """A slug of another item; resolved (and checked for visibility) by validate.py."""

    kind: str = ""
    label: str = "slug"

    def __post_init__(self):
        self.label = f"{self.kind} slug"

    max_value_length = 100

    def parse(self, node, name, ctx):
        value = self.scalar(node, f"one {self.kind} slug")
        if not SLUG_RE.match(value):
            raise FieldError(line_of(node), f"'{value}' is not a {self.kind} slug",
                             f"use the {self.kind}'s file name without .md")
        ctx.item.refs.append((name, self.kind, value, line_of(node)))
        return value

    def schema(self):
        return {"type": "string", "pattern": SLUG_RE.pattern}


# https://host/anything with no whitespace, brackets or user part: what urlsplit would accept.
_PLAIN_HTTPS = re.compile(r"https://[^\s/?#\[\]@\\]+(?:[/?#]\S*)?")


def web_address_problem(value: str) -> tuple[str, str] | None:
    """(message, fix) if `value` is not an https address that goes where it says, else None."""
    if _PLAIN_HTTPS.fullmatch(value):
        return None  # the usual case, decided without urlsplit (a tenth of reading a creator)
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed [ in the host part
        return f"'{value}' is not a web address", "check the address after https://"
    if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in value):
        hint = "start it with https://"
        if parts.scheme == "http":
            hint = "use the https:// address"
        elif parts.scheme == "https":
            hint = "remove the spaces; write a space as %20"
        return f"'{value}' is not an https:// web address", hint
    if "@" in parts.netloc:
        # https://example.org@evil.example/ goes to evil.example: the part before @ is a user name.
        user, _, host = parts.netloc.rpartition("@")
        return (f"'{value}' goes to {host or 'no site'}: '{user}@' before it is a user name, not part of the site",
                f"remove '{user}@'; a web address here carries no user name or password")
    return None


@dataclass
class Url(FieldType):
    label: str = "web address"

    def parse(self, node, name, ctx):
        value = self.scalar(node, invisible=True)
        problem = web_address_problem(value)
        if problem is not None:
            raise FieldError(line_of(node), *problem)
        return value

    def schema(self):
        # What parse() accepts: https (in any case), a host without spaces or a user name, then
        # anything without spaces. Decided by hand where urlsplit decides in parse(), so
        # tests/test_checkers.py compares the two on addresses that tell them apart.
        return {"type": "string", "format": "uri",
                "pattern": r"^[Hh][Tt][Tt][Pp][Ss]://(\[[0-9A-Fa-f:.]+\]|[^\s/?#@\[\]]+)([/?#]\S*)?$"}


class Bool(FieldType):
    label = "true or false"

    def parse(self, node, name, ctx):
        value = self.scalar(node).lower()
        if value not in ("true", "false"):
            raise FieldError(line_of(node), f"'{self.scalar(node)}' is not true or false", "write true or false")
        return value == "true"

    def schema(self):
        return {"type": "boolean"}


# Dates a hub can mean. Outside them, a moment moved to another time zone or a day added to
# an end date can leave what Python's dates hold, and `build` would stop where `check` passed.
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


def _in_range(value: date, text: str, node: yaml.Node) -> None:
    if not EARLIEST <= value <= LATEST:
        raise FieldError(line_of(node), f"'{text}' is outside the dates Spotlight accepts "
                         f"({EARLIEST.isoformat()} to {LATEST.isoformat()})", "check the year")


class Date(FieldType):
    label = "date"

    def parse(self, node, name, ctx):
        value = self.scalar(node)
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            raise FieldError(line_of(node), f"'{value}' is not a date", "write it as YYYY-MM-DD, e.g. 2027-05-01") from None
        _in_range(day, value, node)
        return day

    def schema(self):
        return {"type": "string", "format": "date"}


class DateTime(FieldType):
    label = "date and time with offset"
    allow_date = False

    def parse(self, node, name, ctx):
        value = self.scalar(node)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            if self.allow_date:
                try:
                    day = date.fromisoformat(value)
                except ValueError:
                    raise FieldError(line_of(node), f"'{value}' is not a real date", "check the month and day") from None
                _in_range(day, value, node)
                return day
            raise FieldError(line_of(node), f"'{value}' is a date without a time",
                             f"add a time and offset, e.g. {value}T09:00:00-04:00")
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", value):
                raise ValueError
            moment = datetime.fromisoformat(value.replace(" ", "T", 1))
        except ValueError:
            raise FieldError(line_of(node), f"'{value}' is not a date and time",
                             "write it like 2027-05-01T09:00:00-04:00") from None
        if moment.tzinfo is None:
            raise FieldError(line_of(node), f"'{value}' has no time zone offset",
                             f"add one, e.g. {value}-04:00 or {value}Z")
        _in_range(moment.date(), value, node)
        return moment

    def schema(self):
        return {"type": "string", "format": "date-time"}


class DateOrDateTime(DateTime):
    label = "date, or date and time with offset"
    allow_date = True

    def schema(self):
        return {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}


class Region(FieldType):
    label = "region"

    def parse(self, node, name, ctx):
        value = self.scalar(node)
        if value == "global" or (len(value) == 2 and value.isupper() and pycountry.countries.get(alpha_2=value)):
            return value
        hint = "use an ISO 3166-1 alpha-2 code such as US, GB, CA, or 'global'"
        if value.upper() == "UK":
            hint = "the ISO code for the United Kingdom is 'GB'"
        elif len(value) == 2 and pycountry.countries.get(alpha_2=value.upper()):
            hint = f"write it in capitals: '{value.upper()}'"
        else:
            try:
                found = pycountry.countries.lookup(value)
                hint = f"the ISO code for {found.name} is '{found.alpha_2}'"
            except LookupError:
                pass
        raise FieldError(line_of(node), f"'{value}' is not a region code", hint)

    def schema(self):
        # Every code parse() accepts: ISO 3166-1 alpha-2 as pycountry knows it, and global.
        return {"type": "string", "enum": [*sorted(c.alpha_2 for c in pycountry.countries), "global"]}


@lru_cache(maxsize=4096)
def _standard_tag(value: str) -> str | None:
    """The tag in its standard form, or None if it is not a BCP 47 tag. A hub uses a few dozen
    tags thousands of times; langcodes' checks are the slow part of reading a creator."""
    if langcodes.tag_is_valid(value) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        return langcodes.standardize_tag(value)
    return None


class Language(FieldType):
    label = "language tag"

    def parse(self, node, name, ctx):
        value = self.scalar(node)
        standard = _standard_tag(value)
        if standard is not None:
            return standard
        hint = "use a BCP 47 tag such as en, es, fr-CA"
        try:
            found = langcodes.find(value)
            hint = f"the tag for {found.display_name()} is '{found.to_tag()}'"
        except (LookupError, ValueError):
            pass
        raise FieldError(line_of(node), f"'{value}' is not a BCP 47 language tag", hint)

    def schema(self):
        return {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"}


class Asset(FieldType):
    label = "path under content/assets/"

    def parse(self, node, name, ctx):
        value = self.scalar(node).removeprefix("content/assets/")
        if ".." in Path(value).parts or value.startswith("/"):
            raise FieldError(line_of(node), f"'{value}' is outside content/assets/", "put the file in content/assets/")
        path = ctx.root / "content" / "assets" / value
        ctx.looked_for.append(str(path))
        if not path.is_file():
            raise FieldError(line_of(node), f"there is no file content/assets/{value}",
                             "add the image to content/assets/ or fix the path")
        return value


@dataclass
class ListOf(FieldType):
    of: FieldType = field(default_factory=Text)
    min_items: int = 0

    @property
    def label(self):  # type: ignore[override]
        return f"list of {self.of.label}" + ("" if isinstance(self.of, Group) else "s")

    def parse(self, node, name, ctx):
        if not isinstance(node, yaml.SequenceNode):
            example = self.scalar(node) if isinstance(node, yaml.ScalarNode) else "value"
            raise FieldError(line_of(node), f"expected a list, found a single value",
                             f"write it as a list: [{example}] or one '- {example}' line per item")
        if len(node.value) < self.min_items:
            raise FieldError(line_of(node), f"needs at least {self.min_items} item(s)", "add one")
        values = []
        for index, child in enumerate(node.value):
            label = f"{name}[{index}]"
            try:
                values.append(self.of.parse(child, label, ctx))
            except FieldError as err:
                report_field_error(ctx, label, err)
        return values

    def schema(self):
        out = {"type": "array", "items": self.of.schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        return out


@dataclass
class Group(FieldType):
    """A mapping with its own fields, e.g. a link {platform, url}."""

    fields: dict[str, "Field"] = field(default_factory=dict)
    label: str = "group"

    def __post_init__(self):
        self.label = "{" + ", ".join(self.fields) + "}"

    def parse(self, node, name, ctx):
        if not isinstance(node, yaml.MappingNode):
            needed = ", ".join(f for f, spec in self.fields.items() if spec.required is True)
            raise FieldError(line_of(node), f"expected fields ({needed}), found a single value",
                             f"write it as {{{', '.join(f + ': ...' for f in self.fields if self.fields[f].required is True)}}}")
        return parse_fields(node, self.fields, ctx, prefix=f"{name}.")

    def schema(self):
        return object_schema(self.fields)


# ---------------------------------------------------------------------------
# Fields and kinds
# ---------------------------------------------------------------------------

@dataclass
class Field:
    type: FieldType
    doc: str
    required: bool | str = False  # True, False, or a sentence saying when it is required
    example: Any = None


def text(n=None, **kw) -> Text:
    return Text(max_length=n, **kw)


def name_text(n: int) -> Text:
    """A name or title: what readers tell items apart by, so no character in it may be invisible."""
    return Text(max_length=n, identity=True)


HANDLE = Pattern(r"@[A-Za-z0-9._]{1,30}", "handle", "a handle starting with @", '"@maya.talks" (in quotes)')
HASHTAG = Pattern(r"#\w{1,80}", "hashtag", "a hashtag starting with #", '"#MHAM2027" (in quotes)')
SLUGS = lambda kind, n=0: ListOf(Ref(kind), n)  # noqa: E731

COMMON: dict[str, Field] = {
    "status": Field(Choice(STATUSES, "status"), "`published` (default) or `draft`; drafts never appear in a normal build", example="published"),
    "publish_at": Field(DateTime(), "before this moment the item does not exist in the output", example="2027-05-01T09:00:00-04:00"),
    "expire_at": Field(DateTime(), "after this moment the item does not exist in the output", example="2027-06-30T23:59:00-04:00"),
    "content_warnings": Field(ListOf(Choice(CONTENT_WARNINGS, "content warning")),
                              "subjects readers are warned about: " + ", ".join(CONTENT_WARNINGS), example=["eating-disorders"]),
}

LINK = Group({
    "platform": Field(Choice(PLATFORMS, "platform"), ", ".join(PLATFORMS), True, "tiktok"),
    "url": Field(Url(), "https address", True, "https://example.com/@maya"),
})
CONTACT = Group({
    "method": Field(Choice(CONTACT_METHODS, "contact method"), ", ".join(CONTACT_METHODS), True, "text"),
    "value": Field(name_text(120), "number (short code, or international with +), https address or email", True, "741741"),
    "keyword": Field(name_text(40), "word to text, shown to the reader (text lines)", example="HOME"),
    "press": Field(Pattern(r"[0-9*#]{1,4}", "key", "one key or a few (digits, * or #)", '"1"'),
                   "key to press at the recorded menu after calling, shown to the reader (calls)", example="1"),
    "instructions": Field(text(200), "one line on how to use it", example="Text HOME to 741741 from anywhere in the US."),
})
CREDENTIAL = Group({
    "credential": Field(text(150), "the licence or qualification, as the licensing body names it", True,
                        "Licensed Clinical Social Worker (LCSW)"),
    "licensed_in": Field(text(120), "where it is held: state, province or country", True, "New York State, US"),
    "verify_url": Field(Url(), "https address of the licensing body's public record, where readers can check it",
                        True, "https://example.org/license-lookup"),
})
AFFILIATION = Group({
    "organization": Field(Ref("organization"), "organization slug", True, "nami"),
    "role": Field(text(150), "the creator's tie to it: volunteer, employee, board member, paid ambassador...",
                  True, "Volunteer support-group facilitator"),
})
# Another way into the same line (a language, a group of people, sign language): its own contacts
# and where that route is documented, since routes change on their own schedule.
ROUTE = Group({
    "name": Field(name_text(80), "what the route is, as readers look for it", True, "Veterans Crisis Line"),
    "audience": Field(text(200), "who it is for", example="Veterans, service members and their families"),
    "language": Field(Language(), "BCP 47 tag when the route is in another language than the page", example="es"),
    "contacts": Field(ListOf(CONTACT, 1), "list of {method, value, keyword, press, instructions}", True,
                      [{"method": "call", "value": "988", "press": "1"}]),
    "source": Field(text(300), "where this route is documented (the public page or release checked)", True,
                    "veteranscrisisline.net"),
})
# One thing that happens when a reader reaches out, with where it is documented: it answers fears
# (who picks up, whether the police come) only as far as a named source says.
FACT = Group({
    "fact": Field(text(400), "one plain sentence", True, "A trained counsellor answers and listens."),
    "source": Field(text(300), "where it is documented", True, "988lifeline.org \"What to expect\" page"),
})
PARTNER = Group({
    "organization": Field(Ref("organization"), "organization slug", True, "nami"),
    "contribution": Field(text(300), "what the partner contributes or receives", True, "Advertising credits to share its support resources."),
})


@dataclass
class Kind:
    name: str
    folder: str
    title_field: str
    fields: dict[str, Field]
    rules: list[Callable[["Item", Ctx], None]] = field(default_factory=list)


def _alt_required(image: str, alt: str) -> Callable[["Item", Ctx], None]:
    def rule(item: "Item", ctx: Ctx) -> None:
        if item.data.get(image) and alt not in item.lines:
            ctx.report.error(item.path, item.lines.get(image, 1), alt, f"is required when `{image}` is set",
                             f"describe the image in a few words: {alt}: ...")
    return rule


def _resource_rules(item: "Item", ctx: Ctx) -> None:
    kind = item.data.get("kind")
    if kind in KINDS_NEEDING_CONTACTS and "contacts" not in item.lines:
        ctx.report.error(item.path, item.lines.get("kind", 1), "contacts", f"is required for a {kind}",
                         "add at least one {method, value}")
    if item.data.get("crisis") and "last_verified" not in item.lines:
        ctx.report.error(item.path, item.lines.get("crisis", 1), "last_verified", "is required when `crisis` is true",
                         "add the date you last checked the line works, e.g. last_verified: 2026-11-24")
    if item.data.get("crisis") and "source" not in item.lines:
        ctx.report.error(item.path, item.lines.get("crisis", 1), "source", "is required when `crisis` is true",
                         "name where you checked the details, e.g. source: the line's official contact page")
    _contact_rules(item, ctx, item.data.get("contacts") or [], "contacts")
    for index, route in enumerate(item.data.get("routes") or []):
        if route:
            _contact_rules(item, ctx, route.get("contacts") or [], f"routes[{index}].contacts")


def _contact_rules(item: "Item", ctx: Ctx, contacts: list[dict], prefix: str) -> None:
    for index, contact in enumerate(contacts):
        if not contact:
            continue
        method, value = contact.get("method"), contact.get("value")
        label = f"{prefix}[{index}].value"
        line = item.lines.get(label, item.lines.get(f"{prefix}[{index}]", item.lines.get(prefix, 1)))
        if not method or not value:
            continue
        if method in ("call", "text"):
            # Digits 0-9 only: the tel: and sms: links are made from what is shown, and other
            # scripts' digits or letters would dial something else, or nothing.
            digits = re.sub(r"[ \u00a0\-().]", "", value)
            if not re.fullmatch(r"\+?[0-9]{2,15}", digits):
                ctx.report.error(item.path, line, label, f"'{value}' is not a phone number",
                                 "use digits, spaces and hyphens only, e.g. 116 123 or +1 800 668 6868")
            elif not digits.startswith("+") and len(digits) > 6:
                ctx.report.error(item.path, line, label, f"'{value}' is a long number without its country code",
                                 "write it in international form, e.g. +1 800 668 6868")
        elif method in ("chat", "web"):
            if not value.startswith("https://"):
                ctx.report.error(item.path, line, label, f"'{value}' is not an https:// address", "start it with https://")
            elif web_address_problem(value):
                ctx.report.error(item.path, line, label, *web_address_problem(value))
        elif method == "email" and not _EMAIL.fullmatch(value):
            if re.search(r"[?&#]", value):
                # mailto:help@example.org?bcc=... would copy the reader's message to someone hidden.
                ctx.report.error(item.path, line, label, f"'{value}' is more than an email address: what follows "
                                 f"'{re.search(r'[?&#]', value).group(0)}' would add recipients or text to the reader's email",
                                 "write the address alone, e.g. help@example.org")
            else:
                ctx.report.error(item.path, line, label, f"'{value}' is not an email address", "write it like help@example.org")
        if contact.get("keyword") and method != "text":
            ctx.report.error(item.path, item.lines.get(f"{prefix}[{index}].keyword", line), f"{prefix}[{index}].keyword",
                             "only text contacts have a keyword", "remove it or set method: text")
        if contact.get("press") and method != "call":
            ctx.report.error(item.path, item.lines.get(f"{prefix}[{index}].press", line), f"{prefix}[{index}].press",
                             "only call contacts have a key to press", "remove it or set method: call")


# A plain address: the characters a mailto: link carries as they are, and a domain with a dot.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}")


def _campaign_rules(item: "Item", ctx: Ctx) -> None:
    """A campaign with partners says who funds them and whether they have a say (issue 13)."""
    if not item.data.get("partners"):
        return
    line = item.lines.get("partners", 1)
    if "credits_from" not in item.lines or "credits_from" in ctx.empty:
        ctx.report.error(item.path, line, "credits_from", "is required when `partners` are listed",
                         "name who gives the advertising credits, e.g. credits_from: Example Platform, Inc.")
    if "partner_editorial_control" not in item.lines or "partner_editorial_control" in ctx.empty:
        ctx.report.error(item.path, line, "partner_editorial_control", "is required when `partners` are listed",
                         "write partner_editorial_control: false if partners do not choose creators or edit pages")


def _creator_rules(item: "Item", ctx: Ctx) -> None:
    perspective = item.data.get("perspective") or []
    for index, term in enumerate(perspective):
        if term in perspective[:index]:
            ctx.report.error(item.path, item.lines.get(f"perspective[{index}]", item.lines.get("perspective", 1)),
                             f"perspective[{index}]", f"'{term}' is listed twice", "remove the repeat")
    # Consent is a period: a date it was given and a date it must be confirmed again by.
    for name, other in (("consent_given", "consent_review"), ("consent_review", "consent_given")):
        if name in item.lines and other not in item.lines:
            example = KINDS["creator"].fields[other].example
            ctx.report.error(item.path, item.lines[name], other, f"is required when `{name}` is set",
                             "record both the day consent was given and the day it must be "
                             f"confirmed again by, e.g. {other}: {example}")
    # A reader cannot check "licensed professional" without the licence, where it is held and
    # the licensing body's own record of it.
    if "licensed-professional" in perspective and "credentials" not in item.lines:
        ctx.report.error(item.path, item.lines.get("perspective", 1), "credentials",
                         "is required when `perspective` includes licensed-professional",
                         "add credentials: [{credential, licensed_in, verify_url}] with the licensing "
                         "body's public record of the licence")


def _order_rule(start: str, end: str) -> Callable[["Item", Ctx], None]:
    def rule(item: "Item", ctx: Ctx) -> None:
        a, b = item.data.get(start), item.data.get(end)
        if a is None or b is None:
            return
        from .schedule import as_moment  # noqa: PLC0415 - schedule imports models
        if as_moment(b, end_of_day=True, tz=ctx.item.tz) < as_moment(a, tz=ctx.item.tz):
            ctx.report.error(item.path, item.lines.get(end, 1), end, f"is before `{start}`", f"set {end} after {start}")
    return rule


KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("creator", "creators", "name", {
        "name": Field(name_text(100), "the creator's name as readers know it", True, "Maya Torres"),
        "handle": Field(HANDLE, "main handle, starting with @ (quote it)", True, "@maya.talks"),
        "summary": Field(text(200, sentence=True), "one sentence, at most 200 characters", True, "Maya shares honest videos about living with anxiety."),
        "topics": Field(SLUGS("topic", 1), "one or more topic slugs", True, ["anxiety"]),
        "links": Field(ListOf(LINK), "list of {platform, url}", example=[{"platform": "tiktok", "url": "https://example.com/@maya.talks"}]),
        "pronouns": Field(text(40), "e.g. she/her", example="she/her"),
        "languages": Field(ListOf(Language()), "BCP 47 language tags", example=["en", "es"]),
        "organizations": Field(SLUGS("organization"), "organization slugs", example=[]),
        "avatar": Field(Asset(), "image path under content/assets/"),
        "avatar_alt": Field(text(200), "describes the avatar", "when `avatar` is set"),
        "perspective": Field(ListOf(Choice(PERSPECTIVES, "perspective"), 1),
                             "where the creator speaks from: " + ", ".join(PERSPECTIVES)
                             + "; shown on the profile and on every card", example=["lived-experience"]),
        "credentials": Field(ListOf(CREDENTIAL, 1), "each licence with where it is held and an https link to the "
                             "licensing body's public record", "when `perspective` includes licensed-professional",
                             [{"credential": "Licensed Clinical Social Worker (LCSW)", "licensed_in": "New York State, US",
                               "verify_url": "https://example.org/license-lookup"}]),
        "compensation": Field(Choice(COMPENSATION, "compensation"),
                              "`paid` or `unpaid`: whether the creator is paid for taking part in this hub's campaign",
                              example="unpaid"),
        "sponsorship": Field(text(300), "any sponsorship or paid partnership the creator declares that touches "
                             "their mental-health content; leave it out when there is none",
                             example="Sponsored videos for a meditation app in 2026."),
        "affiliations": Field(ListOf(AFFILIATION), "organisations the creator works for, volunteers with or "
                              "represents: list of {organization, role}", example=[]),
        "why_featured": Field(text(300), "why the editors feature this creator, in a sentence or two",
                              example="Maya talks about anxiety honestly and always points to support."),
        "last_reviewed": Field(Date(), "the day an editor last reviewed this profile and its disclosures",
                               example="2026-11-24"),
        "consent_given": Field(Date(), "the day the creator agreed to be featured; before it the profile is "
                               "not published", "with `consent_review`", "2026-11-24"),
        "consent_review": Field(Date(), "the day consent must be confirmed again by; after it the profile is "
                                "not published, and check warns 30 days before", "with `consent_given`", "2027-11-24"),
    }, [_alt_required("avatar", "avatar_alt"), _creator_rules,
        _order_rule("consent_given", "consent_review")]),
    Kind("topic", "content/topics", "title", {
        "title": Field(name_text(100), "topic name", True, "Anxiety"),
        "summary": Field(text(300), "one or two sentences", True, "Understanding anxiety and where to find support."),
        "hashtag": Field(HASHTAG, "hashtag with # (quote it)", example="#AnxietyAwareness"),
        "content_warning": Field(Choice(CONTENT_WARNINGS, "content warning"), "warning shown on every page tagged with this topic"),
    }),
    Kind("organization", "content/organizations", "name", {
        "name": Field(name_text(150), "full name", True, "National Alliance on Mental Illness"),
        "summary": Field(text(300), "what the organisation does", True, "A US grassroots mental health organisation."),
        "website": Field(Url(), "https address", True, "https://example.org"),
        "short_name": Field(name_text(40), "e.g. NAMI", example="NAMI"),
        "regions": Field(ListOf(Region()), "ISO 3166-1 alpha-2 codes or global", example=["US"]),
        "topics": Field(SLUGS("topic"), "topic slugs", example=[]),
        "logo": Field(Asset(), "image path under content/assets/"),
        "logo_alt": Field(text(200), "describes the logo", "when `logo` is set"),
    }, [_alt_required("logo", "logo_alt")]),
    Kind("resource", "content/resources", "title", {
        "title": Field(name_text(150), "name of the line, guide or tool", True, "988 Suicide & Crisis Lifeline"),
        "summary": Field(text(300), "what it offers", True, "Free, confidential support 24/7."),
        "kind": Field(Choice(RESOURCE_KINDS, "resource kind"), ", ".join(RESOURCE_KINDS), True, "helpline"),
        "regions": Field(ListOf(Region(), 1), "ISO 3166-1 alpha-2 codes or global", True, ["US"]),
        "organization": Field(Ref("organization"), "organization slug"),
        "topics": Field(SLUGS("topic"), "topic slugs", example=[]),
        "languages": Field(ListOf(Language()), "BCP 47 language tags", example=["en"]),
        "hours": Field(text(120), "e.g. 24/7", example="24/7"),
        "cost": Field(text(120), "e.g. Free", example="Free"),
        "contacts": Field(ListOf(CONTACT), "list of {method, value, keyword, instructions}", "for helplines, text lines and chats",
                          [{"method": "call", "value": "988"}]),
        "routes": Field(ListOf(ROUTE), "other ways into this line: list of {name, audience, language, contacts, source}",
                        example=[]),
        "what_happens": Field(ListOf(FACT), "what happens when a reader reaches out: list of {fact, source}",
                              example=[]),
        "crisis": Field(Bool(), "true lists it on the get-help page", example=False),
        "last_verified": Field(Date(), "date the details were last checked", "when `crisis` is true", "2026-11-24"),
        "source": Field(text(300), "where the details were checked (shown with the date)", "when `crisis` is true",
                        "the line's official contact page"),
    }, [_resource_rules]),
    Kind("campaign", "content/campaigns", "title", {
        "title": Field(name_text(150), "campaign name", True, "Mental Health Awareness Month 2027"),
        "summary": Field(text(300), "one or two sentences", True, "A month of stories and support."),
        "starts": Field(DateOrDateTime(), "first day (date) or moment", True, "2027-05-01"),
        "ends": Field(DateOrDateTime(), "last day (date, inclusive) or moment", True, "2027-05-31"),
        "hashtag": Field(HASHTAG, "hashtag with # (quote it)", example="#MHAM2027"),
        "spotlight": Field(SLUGS("creator"), "ordered creator slugs", example=[]),
        "partners": Field(ListOf(PARTNER), "list of {organization, contribution}", example=[]),
        "resources": Field(SLUGS("resource"), "resource slugs", example=[]),
        "credits_from": Field(text(200), "who gives the partners their advertising credits; shown in the "
                              "campaign's funding statement", "when `partners` are listed", "Example Platform, Inc."),
        "credits_total": Field(text(120), "total value of the partners' credits, when known",
                               example="US$250,000 in advertising credits"),
        "partner_editorial_control": Field(Bool(), "`false` states that partners do not choose the creators or "
                                           "edit what the hub publishes", "when `partners` are listed", False),
    }, [_order_rule("starts", "ends"), _campaign_rules]),
    Kind("event", "content/events", "title", {
        "title": Field(name_text(150), "event name", True, "Partner training: safe messaging"),
        "summary": Field(text(300), "one or two sentences", True, "A session for partner organisations."),
        "starts": Field(DateTime(), "date and time with offset", True, "2027-08-10T15:00:00-04:00"),
        "ends": Field(DateTime(), "date and time with offset", True, "2027-08-10T16:30:00-04:00"),
        "campaign": Field(Ref("campaign"), "campaign slug"),
        "audience": Field(text(150), "who it is for", example="Partner organisations"),
        "location": Field(text(150), "place or 'Online'", example="Online"),
        "registration_url": Field(Url(), "https address", example="https://example.org/register"),
    }, [_order_rule("starts", "ends")]),
    Kind("update", "content/updates", "title", {
        "title": Field(name_text(150), "headline", True, "The spotlight is live"),
        "date": Field(DateTime(), "publication moment; in the future it is scheduled", True, "2027-05-01T09:00:00-04:00"),
        "summary": Field(text(300), "one or two sentences", True, "Meet the ten creators of this year's spotlight."),
        "campaign": Field(Ref("campaign"), "campaign slug"),
        "creators": Field(SLUGS("creator"), "creator slugs", example=[]),
        "topics": Field(SLUGS("topic"), "topic slugs", example=[]),
    }),
    Kind("page", "content/pages", "title", {
        "title": Field(name_text(150), "page title", True, "About this hub"),
        "summary": Field(text(300), "one or two sentences (meta description)", example="Who runs this hub and why."),
    }),
]}

for _kind in KINDS.values():
    _kind.fields.update({k: v for k, v in COMMON.items() if k not in _kind.fields})
    _kind.rules.append(_order_rule("publish_at", "expire_at"))


# ---------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------

@dataclass
class Item:
    """One parsed content file: typed data plus the line of every field."""

    kind: str
    slug: str
    path: str
    data: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int
    refs: list[tuple[str, str, str, int]] = field(default_factory=list)  # (field, kind, slug, line)
    tz: Any = None
    text: str = field(default="", repr=False)  # the whole file as read, for the lint's review

    @property
    def title(self) -> str:
        return self.data.get(KINDS[self.kind].title_field) or self.slug

    def get(self, name: str, default: Any = None) -> Any:
        value = self.data.get(name)
        return default if value is None else value

    @property
    def status(self) -> str:
        return self.data.get("status") or "published"


def parse_fields(mapping: yaml.MappingNode, fields: dict[str, Field], ctx: Ctx, prefix: str = "") -> dict[str, Any]:
    """Apply a field table to a mapping node, reporting unknown, missing and malformed fields."""
    item = ctx.item
    data: dict[str, Any] = {}
    for key_node, value_node in mapping.value:
        # Top-level names were checked by sources.parse_source; never str() of a list or group.
        problem = key_problem(key_node) if prefix else None
        if problem is not None:
            where, message, hint = problem
            label = (prefix.rstrip(".") or where) if where == FILE_FIELD else prefix + where
            ctx.report.error(item.path, line_of(key_node), label, message, hint)
            continue
        name = key_node.value
        label = prefix + name
        item.lines.setdefault(label, line_of(key_node))
        spec = fields.get(name)
        if spec is None:
            hint = did_you_mean(name, fields)
            ctx.report.error(item.path, line_of(key_node), label, "is not a known field", hint)
            continue
        if name in data:
            continue  # duplicates were reported by sources.py
        if is_empty(value_node):
            ctx.empty.add(label)
            if spec.required is True:
                ctx.report.error(item.path, line_of(key_node), label, "is required but empty", f"write a value, e.g. {name}: {_example_text(spec)}")
            continue
        try:
            data[name] = spec.type.parse(value_node, label, ctx)
        except FieldError as err:
            report_field_error(ctx, label, err)
            data[name] = None
    for name in fields:  # every declared field exists, so templates can test it under StrictUndefined
        data.setdefault(name, None)
    missing_line = mapping.start_mark.line + 1
    for name, spec in fields.items():
        if spec.required is True and data.get(name) is None and (prefix + name) not in item.lines:
            ctx.report.error(item.path, missing_line, prefix + name, "is required but missing",
                             f"add a line '{name}: {_example_text(spec)}'")
    return data


def _example_text(spec: Field) -> str:
    example = spec.example
    if isinstance(example, list):
        return "[" + ", ".join(str(x) for x in example) + "]" if example else "[]"
    if isinstance(example, str) and example[:1] in "@#":
        return f'"{example}"'
    return str(example) if example is not None else "..."


def parse_item(source: Source, root: Path, report: Report, tz: Any = None, looked_for: list[str] | None = None) -> Item:
    """The file's Item; `looked_for`, when given, receives the paths of the files the item names."""
    kind = KINDS[source.kind]
    item = Item(source.kind, source.slug, source.path, {}, {}, source.body, source.body_line, tz=tz, text=source.raw_text)
    ctx = Ctx(root, item, report, looked_for if looked_for is not None else [])
    assert source.mapping is not None
    item.data = parse_fields(source.mapping, kind.fields, ctx)
    for rule in kind.rules:
        rule(item, ctx)
    return item


def object_schema(fields: dict[str, Field]) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, spec in fields.items() if spec.required is True],
        "properties": {name: {**spec.type.schema(), "description": spec.doc} for name, spec in fields.items()},
    }
