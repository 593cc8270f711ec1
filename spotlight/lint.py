"""The editor's review that `check` (and every build) runs over each file's text.

- Safe messaging: phrasing that suicide and eating-disorder guidance advises against, each
  with a suggested alternative (shared/reference/safe-messaging.md; the sources are the
  recommendations for reporting on suicide at reportingonsuicide.org, the WHO's guidance for
  media professionals (2023), #chatsafe, and eating-disorder charities' media guidance).
- Addresses: only https:, tel:, sms: and mailto: links; never javascript: or data:.
- Raw HTML: no script, iframe, style, form (and the like) or event-handler attributes.
- Internal links and images: the page or file must exist as of the build's moment; images
  need alt text and must stay within a size budget.

A finding is silenced only in the file itself, with a reason, on the line before it (or at
the end of its own line):

    <!-- spotlight: allow suicide-crime-language: quoting a 1990s headline -->

In front matter the same words go in a YAML comment: `# spotlight: allow RULE: reason`.
"""

from __future__ import annotations

import multiprocessing
import os
import posixpath
import re
import threading
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from .diagnostics import Report, did_you_mean
from .models import Item
from .schedule import why_hidden
from .sources import CONTENT_FILE_LIMIT, UnsafeFile, normalise_newlines, read_regular_file, split_front_matter
from .views import item_src, item_url

IMAGE_BUDGET_BYTES = 300_000
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"}
ALLOWED_SCHEMES = {"https", "tel", "sms", "mailto"}


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern
    message: str
    fix: str


def _rule(rule_id: str, pattern: str, message: str, fix: str) -> Rule:
    return Rule(rule_id, re.compile(pattern, re.IGNORECASE), message, fix)


_NUM = r"\d+(?:[.,]\d+)?"
SAFE_MESSAGING: tuple[Rule, ...] = (
    _rule("suicide-crime-language", r"\bcommit(?:s|ted|ting)?\s+suicide\b",
          "'{match}' describes suicide as a crime", "write 'died by suicide' (or 'took their own life')"),
    _rule("suicide-outcome-verdict",
          r"\b(?:(?:un)?successful|failed|completed)\s+(?:suicide(?:\s+attempt)?|attempt\s+(?:at|to)\s+(?:suicide|end\s+(?:his|her|their|my)\s+life))\b",
          "'{match}' judges a suicide or an attempt as a success or failure", "write 'died by suicide' or 'suicide attempt'"),
    _rule("suicide-sensational", r"\bsuicide\s+(?:epidemic|craze|wave|spree)\b|\bepidemic\s+of\s+suicides?\b",
          "'{match}' is sensational framing", "describe the numbers plainly, e.g. 'rising rates of suicide', with a source"),
    _rule("suicide-label", r"\bsuicide[- ]prone\b|\bsuicide\s+victims?\b",
          "'{match}' labels a person by suicide", "write 'at risk of suicide' or 'a person who died by suicide'"),
    _rule("suicide-solution", r"\b(?:only\s+way\s+out|way\s+to\s+end\s+(?:the|their|his|her)\s+pain)\b",
          "'{match}' presents suicide as a solution", "describe the person's pain and where help was, not suicide as a way out"),
    _rule("suicide-note", r"\bsuicide\s+notes?\b",
          "'{match}': guidance advises not to publish or describe the content of notes", "leave the note out"),
    _rule("suicide-method", r"\b(?:hanged|hung)\s+(?:him|her|them)sel(?:f|ves)\b|\bjumped\s+(?:off|from)\b|\boverdosed\s+on\b|\bby\s+hanging\b",
          "'{match}' describes a method", "do not describe methods, means or locations; say 'died by suicide'"),
    _rule("ed-numbers",
          rf"\b{_NUM}\s*(?:kg|kgs|kilos?|kilograms?|lbs?|pounds|stone|calories|kcal)\b|\bBMI\s*(?:of\s*)?{_NUM}\b|\b(?:dress\s+)?size\s+(?:00|0|2|4|6|8|10|12|14)\b",
          "'{match}': numbers about weight, calories, BMI or size can harm readers with eating disorders",
          "leave the number out and describe the experience instead"),
    _rule("ed-before-after", r"\bbefore[- ]and[- ]after\b|\bbefore/after\b",
          "'{match}': before-and-after framing of bodies can harm readers with eating disorders",
          "describe recovery in words, not as a change in the body"),
    _rule("ed-pro", r"\bpro[- ](?:ana|mia)\b|\bthinspo(?:ration)?\b|\bbonespo\b|\bmeanspo\b",
          "'{match}' names pro-eating-disorder content", "do not name or point to such content; write 'harmful content'"),
    _rule("ed-tips", r"\b(?:weight[- ]loss|diet(?:ing)?|fasting)\s+tips\b|\btips\s+(?:to|for)\s+(?:lose|losing)\s+weight\b",
          "'{match}': weight-loss tips are advised against", "talk about getting support, not about losing weight"),
    _rule("ed-label", r"\b(?:anorexics|bulimics|an\s+anorexic|a\s+bulimic)\b",
          "'{match}' labels a person by their illness", "write 'a person with anorexia' (or bulimia)"),
)
# Words without which a rule cannot match: a file (then a line) is searched with a rule's pattern
# only when its lowercased text contains one of them. Substring tests are far cheaper than regexes.
RULE_KEYS: dict[str, tuple[str, ...]] = {
    "suicide-crime-language": ("commit",),
    "suicide-outcome-verdict": ("successful", "failed", "completed"),
    "suicide-sensational": ("epidemic", "craze", "wave", "spree"),
    "suicide-label": ("prone", "victim"),
    "suicide-solution": ("way",),  # not "way out": the phrase may be broken across lines
    "suicide-note": ("note",),
    "suicide-method": ("hanged", "hung", "jumped", "overdosed", "hanging"),
    "ed-numbers": ("kg", "kilo", "lb", "pound", "stone", "calorie", "kcal", "bmi", "size"),
    "ed-before-after": ("before",),
    "ed-pro": ("ana", "mia", "thinspo", "bonespo", "meanspo"),
    "ed-tips": ("tips",),
    "ed-label": ("anorexic", "bulimic"),
}
_ALL_KEYS = tuple(sorted({key for keys in RULE_KEYS.values() for key in keys}))
# Every rule a finding can name (and a silencing comment can allow).
RULE_IDS = frozenset(rule.id for rule in SAFE_MESSAGING) | {"url-scheme", "raw-html", "broken-link", "image"}

_ALLOW = re.compile(r"(?:<!--|#)\s*spotlight:\s*allow\b\s*([\w-]*)\s*(?::\s*(.*?))?\s*(?:-->|$)")
_MD_LINK = re.compile(r"(!?)\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_AUTOLINK = re.compile(r"<((?:[a-zA-Z][a-zA-Z0-9+.-]*):[^>\s]*)>")
_HTML_URL = re.compile(r"\b(href|src|srcset|action|formaction|poster|data)\s*=\s*[\"']?\s*([^\"'\s>]+)", re.IGNORECASE)
_BAD_TAG = re.compile(r"<\s*/?\s*(script|iframe|style|form|object|embed|input|button|textarea|select|link|meta|base|frame|frameset|svg|math)\b",
                      re.IGNORECASE)
_EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
_HTML_IMG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Finding:
    line: int
    rule: str
    field: str
    message: str
    hint: str


@dataclass
class TextScan:
    """What a file's text alone says: safe-messaging and raw-HTML findings (`field` is "" for a
    line of front matter: the item's field table names it), and the links to check against the site."""

    findings: list[Finding] = field(default_factory=list)
    urls: list[tuple[int, str, bool, str]] = field(default_factory=list)  # (line, url, is image, alt)


def _scheme(url: str) -> str:
    match = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    # Browsers ignore tabs, newlines and control characters inside a scheme ("java\tscript:").
    if match is None:
        squeezed = re.sub(r"[\x00-\x20]", "", url)
        match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", squeezed)
    return match.group(1).lower() if match else ""


def scan_text(text: str, body_line: int) -> TextScan:
    """Read one file's text (front matter and body; the body starts on `body_line`)."""
    # Whole-text searches, each match placed on its line: a phrase broken across two lines
    # is still found, and a file with nothing to find costs a few substring tests.
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    starts: list[int] = []  # where each line begins, computed once something is found
    skip = _skipped_lines(lines, body_line, text)
    lowered = text.lower()
    present = {key for key in _ALL_KEYS if key in lowered}
    scan = TextScan()
    for rule in SAFE_MESSAGING:
        if present.isdisjoint(RULE_KEYS[rule.id]):
            continue
        for match in rule.pattern.finditer(text):
            starts = starts or list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
            number = bisect_right(starts, match.start())
            if number in skip:
                continue
            scan.findings.append(Finding(number, rule.id, "body" if number >= body_line else "",
                                         rule.message.format(match=" ".join(match.group(0).split())), rule.fix))
    if "<" in text or "](" in text:
        for number in range(body_line, len(lines) + 1):
            line = lines[number - 1]
            if ("<" in line or "](" in line) and number not in skip:
                _markup_line(scan, number, line)
    return scan


def _skipped_lines(lines: list[str], body_line: int, text: str) -> set[int]:
    """Fenced code (not prose) and lines that hold only a silencing comment."""
    skip: set[int] = set()
    if "```" in text or "~~~" in text:
        in_fence = False
        for number in range(body_line, len(lines) + 1):
            if _FENCE.match(lines[number - 1]):
                in_fence = not in_fence
                skip.add(number)
            elif in_fence:
                skip.add(number)
    if "spotlight:" in text:
        for number, line in enumerate(lines, start=1):
            if "spotlight:" in line and _ALLOW.search(line) and _ALLOW.sub("", line).strip() == "":
                skip.add(number)
    return skip


def _markup_line(scan: TextScan, number: int, line: str) -> None:
    """A body line's forbidden HTML and images without alt text; its links, to check against the site."""
    for match in _BAD_TAG.finditer(line):
        scan.findings.append(Finding(number, "raw-html", "body", f"<{match.group(1).lower()}> is not allowed in content",
                                     "remove it: content may use Markdown and simple HTML, never code, frames, styles or forms"))
    for match in _EVENT_ATTR.finditer(line):
        scan.findings.append(Finding(number, "raw-html", "body", f"the event-handler attribute '{match.group(1)}' is not allowed",
                                     "remove it: content cannot run script"))
    for match in _MD_LINK.finditer(line):
        scan.urls.append((number, match.group(3), match.group(1) == "!", match.group(2)))
    for match in _AUTOLINK.finditer(line):
        scan.urls.append((number, match.group(1), False, ""))
    for match in _HTML_URL.finditer(line):
        scan.urls.append((number, match.group(2), False, ""))
    for match in _HTML_IMG.finditer(line):
        alt = re.search(r"\balt\s*=\s*[\"']([^\"']*)", match.group(1), re.IGNORECASE)
        if alt is None or not alt.group(1).strip():
            scan.findings.append(Finding(number, "image", "body", "this image has no alt text",
                                         'add alt="..." that says what the image shows'))


class Linter:
    """Reviews one project's items against the pages that exist as of the build's moment."""

    def __init__(self, root: Path, content, report: Report):
        self.root = root
        self.content = content
        self.report = report
        self._pages = self._page_index()

    # -- what exists -------------------------------------------------------------------------

    def _page_index(self) -> dict[str, object]:
        """Site path -> the item behind it (or True for generated pages)."""
        pages: dict[str, object] = {p: True for p in (
            "/", "/get-help/", "/search/", "/creators/", "/topics/", "/resources/", "/organizations/",
            "/campaigns/", "/events/", "/updates/", "/feed.xml", "/events.ics", "/sitemap.xml")}
        for items in self.content.all.values():
            for item in items.values():
                pages[item_url(item)] = item
        return pages

    # -- the review --------------------------------------------------------------------------

    def lint(self, item: Item, memo: dict | None = None, scanned: dict | None = None) -> None:
        """Review one item. Its text is read by scan_text unless it already was: in `serve`, `memo`
        keeps the scan of each item (an unchanged file gives the same Item object, see
        validate.parse_cached); in a large check, `scanned` holds prescan()'s results. Links are
        checked here every time: their targets can change while the text does not."""
        scan = None
        if memo is not None and item.path in memo and memo[item.path][0] is item:
            scan = memo[item.path][1]
        elif scanned is not None and item.path in scanned and scanned[item.path][0] == (len(item.text), hash(item.text)):
            scan = scanned[item.path][1]
        if scan is None:
            scan = scan_text(item.text, item.body_line)
            if memo is not None:
                memo[item.path] = (item, scan)
        findings = [f if f.field else Finding(f.line, f.rule, self._field_at(item, f.line), f.message, f.hint)
                    for f in scan.findings]
        for number, url, is_image, alt in scan.urls:
            findings.extend(self._url(item, number, url, is_image, alt))
        if findings or "spotlight:" in item.text:
            self._report(item, item.text.replace("\r\n", "\n").split("\n"), findings)

    def _field_at(self, item: Item, number: int) -> str:
        best, best_line = "front matter", 0
        for label, line in item.lines.items():
            if best_line < line <= number:
                best, best_line = label, line
        return best

    def _url(self, item: Item, number: int, url: str, is_image: bool, alt: str) -> list[Finding]:
        scheme = _scheme(url)
        if scheme:
            if scheme in ALLOWED_SCHEMES:
                return []
            hint = "use the https:// address" if scheme == "http" else "links may use https:, tel:, sms: or mailto: only"
            return [Finding(number, "url-scheme", "body", f"'{scheme}:' addresses are not allowed ({url[:60]})", hint)]
        if not url or url.startswith("#") or url.startswith("//"):
            if url.startswith("//"):
                return [Finding(number, "url-scheme", "body", f"'{url[:60]}' has no scheme", "write it with https://")]
            return []
        path = unquote(urlsplit(url).path)
        if is_image or Path(path).suffix.lower() in IMAGE_SUFFIXES:
            return self._image(item, number, path, alt, is_image)
        return self._link(item, number, url, path)

    def _site_path(self, item: Item, path: str) -> str:
        """Where a link in `item`'s body points on the site, as a site-absolute path."""
        if path.startswith("/"):
            target = path
        elif path.endswith(".md"):
            target = "/" + posixpath.normpath(posixpath.join(posixpath.dirname(item_src(item)), path))
        else:
            target = posixpath.normpath(posixpath.join(item_url(item), path))
            target = target if target.startswith("/") else "/" + target
            if path.endswith("/"):
                target += "/"
        if target.endswith(".md"):
            target = target[:-3]
            target = target[: -len("index")] if target.endswith("/index") else target + "/"
        return target

    def _link(self, item: Item, number: int, url: str, path: str) -> list[Finding]:
        target = self._site_path(item, path)
        if target.startswith("/assets/"):
            if (self.root / "content" / target.lstrip("/")).is_file():
                return []
            return [Finding(number, "broken-link", "body", f"there is no file content{target}", "add the file or fix the link")]
        key = target if target.endswith(("/", ".xml", ".ics")) else target + "/"
        page = self._pages.get(key)
        if page is None:
            hint = did_you_mean(key, [p for p in self._pages if isinstance(p, str)]) or "link to a page of this hub"
            return [Finding(number, "broken-link", "body", f"'{url}' points to no page on this hub", hint)]
        if isinstance(page, Item) and why_hidden(item, self.content.moment, self.content.drafts) is None:
            reason = why_hidden(page, self.content.moment, self.content.drafts)
            if reason:
                return [Finding(number, "broken-link", "body",
                                f"'{url}' points to {page.path}, which {reason} (as of {self.content.moment.isoformat()})",
                                "publish it first, or schedule this text for the same moment")]
        return []

    def _image(self, item: Item, number: int, path: str, alt: str, is_markdown: bool) -> list[Finding]:
        out: list[Finding] = []
        if is_markdown and not alt.strip():
            out.append(Finding(number, "image", "body", "this image has no alt text", "write what it shows: ![A person smiling at a laptop](...)"))
        target = self._site_path(item, path)
        if not target.startswith("/assets/"):
            out.append(Finding(number, "image", "body", f"images must be in content/assets/ ({path})", "move the image to content/assets/"))
            return out
        file = self.root / "content" / target.lstrip("/").rstrip("/")
        if not file.is_file():
            out.append(Finding(number, "image", "body", f"there is no image content{target.rstrip('/')}", "add the image or fix the path"))
        elif file.stat().st_size > IMAGE_BUDGET_BYTES:
            size = file.stat().st_size // 1000
            out.append(Finding(number, "image", "body", f"content{target.rstrip('/')} is {size} kB (budget {IMAGE_BUDGET_BYTES // 1000} kB)",
                               "resize or compress it: most readers are on phones"))
        return out

    # -- silencing ---------------------------------------------------------------------------

    def _report(self, item: Item, lines: list[str], findings: list[Finding]) -> None:
        allowed: dict[int, set[str]] = {}
        used: set[tuple[int, str]] = set()
        allow_at: dict[tuple[int, str], int] = {}
        for number, line in enumerate(lines, start=1):
            for match in (_ALLOW.finditer(line) if "spotlight:" in line else ()):
                rule_id, reason = match.group(1), (match.group(2) or "").strip()
                if rule_id not in RULE_IDS:
                    self.report.error(item.path, number, "spotlight: allow", f"there is no rule '{rule_id}'",
                                      did_you_mean(rule_id, RULE_IDS) or "name the rule from the finding")
                    continue
                if not reason:
                    self.report.error(item.path, number, "spotlight: allow", f"silencing '{rule_id}' needs a reason",
                                      f"write <!-- spotlight: allow {rule_id}: why this wording is needed here -->")
                    continue
                own_line = _ALLOW.sub("", line).strip() != ""
                covered = [number] if own_line else self._next_paragraph(lines, number, item.body_line)
                for target in covered:
                    allowed.setdefault(target, set()).add(rule_id)
                allow_at[(number, rule_id)] = covered
        for f in findings:
            if f.rule in allowed.get(f.line, set()):
                used.add((f.line, f.rule))
                continue
            self.report.error(item.path, f.line, f.field, f"{f.message} [{f.rule}]", f.hint)
        for (number, rule_id), covered in allow_at.items():
            if not any((target, rule_id) in used for target in covered):
                where = f"line {covered[0]}" if len(covered) == 1 else f"lines {covered[0]}-{covered[-1]}"
                self.report.warning(item.path, number, "spotlight: allow", f"nothing to silence: no '{rule_id}' finding on {where}",
                                    "remove the comment")

    @staticmethod
    def _next_paragraph(lines: list[str], number: int, body_line: int) -> list[int]:
        """What a comment on a line of its own covers: the next front-matter line, or the next paragraph."""
        covered: list[int] = []
        for following in range(number + 1, len(lines) + 1):
            if not lines[following - 1].strip():
                if covered:
                    break
                continue
            covered.append(following)
            if following < body_line:  # front matter: one field line
                break
        return covered or [number]


def lint_content(root: Path, content, report: Report, memo: dict | None = None, scanned: dict | None = None) -> None:
    """Review every item, visible or not: an editor wants the review before publishing."""
    linter = Linter(root, content, report)
    for items in content.all.values():
        for item in items.values():
            linter.lint(item, memo, scanned)


# Reading every text takes about a third of a check; from this many files on, a second
# process does it while the first parses the front matter.
PRESCAN_MIN_FILES = 2000


def prescan(root: Path, rels: list[str]) -> Callable[[], dict | None]:
    """Start scanning the files' texts in a forked process; the returned function waits for
    {path: ((length, hash) of the text, TextScan)}, or gives None when no second process was used.

    Only where it pays and is safe: many files, a second CPU, `fork` (Linux), and no threads
    (forking a threaded process is unsafe). `serve` never asks: it keeps each scan between
    rebuilds instead (validate.load_content). A file that changed between
    the two readings does not match its text's length and hash, and is scanned again by lint()."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if (len(rels) < PRESCAN_MIN_FILES or cpus < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return lambda: None
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_scan_files, args=(str(root), rels, sender), daemon=True)
    child.start()
    sender.close()

    def result() -> dict | None:
        try:
            # The parent parsed meanwhile, which takes longer; a stuck child only costs time.
            return receiver.recv() if receiver.poll(PRESCAN_TIMEOUT) else None
        except (EOFError, OSError):  # the child died: lint() scans each text itself
            return None
        finally:
            receiver.close()
            child.join(1)
            if child.is_alive():
                child.kill()
                child.join()

    return result


PRESCAN_TIMEOUT = 120  # seconds


def _scan_files(root: str, rels: list[str], sender) -> None:
    out = {}
    for rel in rels:
        try:
            text = normalise_newlines(read_regular_file(root, rel, CONTENT_FILE_LIMIT).decode("utf-8"))
        except (UnsafeFile, OSError, UnicodeDecodeError):
            continue  # the parser reports it
        body_line = split_front_matter(rel, text, Report())[3]
        if body_line:
            # hash() agrees between the two processes: a forked child keeps the parent's hash seed.
            out[rel] = ((len(text), hash(text)), scan_text(text, body_line))
    sender.send(out)
    sender.close()


# -- what a person must review ----------------------------------------------------------------

SENSITIVE_WARNINGS = ("suicide", "self-harm", "eating-disorders")
_SENSITIVE_WORDS = re.compile(
    r"\bsuicid\w*|\bself[- ]harm\w*|\bkill(?:ing|ed)?\s+(?:my|him|her|them)sel(?:f|ves)\b|\beating[- ]disorders?\b"
    r"|\banorexi\w*|\bbulimi\w*|\bbinge[- ]eating\b|\bpurg(?:e|ing)\b",
    re.IGNORECASE)


def sensitive_subjects(item: Item, content) -> list[str]:
    """Which of suicide, self-harm and eating disorders a file touches (warnings, topics or words)."""
    found: set[str] = {w for w in item.get("content_warnings", []) if w in SENSITIVE_WARNINGS}
    if item.kind == "topic" and item.get("content_warning") in SENSITIVE_WARNINGS:
        found.add(item.data["content_warning"])
    for slug in item.get("topics", []):
        topic = content.all["topic"].get(slug)
        if topic is not None and topic.get("content_warning") in SENSITIVE_WARNINGS:
            found.add(topic.data["content_warning"])
    for match in _SENSITIVE_WORDS.finditer(item.text):
        word = match.group(0).lower()
        found.add("suicide" if word.startswith("suicid") else
                  "self-harm" if word.startswith(("self", "kill")) else "eating-disorders")
    return [w for w in SENSITIVE_WARNINGS if w in found]


def review_notices(content, changed: set[str] | None) -> list[tuple[str, list[str]]]:
    """(path, subjects) for every changed file (all files when `changed` is None) touching a sensitive subject."""
    out = []
    for items in content.all.values():
        for item in items.values():
            if changed is not None and item.path not in changed:
                continue
            subjects = sensitive_subjects(item, content)
            if subjects:
                out.append((item.path, subjects))
    return sorted(out)
