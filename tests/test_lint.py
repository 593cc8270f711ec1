"""`check` as an editor's review: safe messaging, addresses, raw HTML, links and images."""

from __future__ import annotations

import pytest

from spotlight.lint import IMAGE_BUDGET_BYTES, SAFE_MESSAGING

FRONT = """\
---
name: Zed Example
handle: "@zed"
summary: Zed talks about anxiety.
topics: [anxiety]
---
*A fictional fixture creator.*

"""


def write_creator(project, body: str, slug: str = "zed") -> str:
    path = f"creators/{slug}.md"
    front = FRONT if slug == "zed" else FRONT.replace("Zed", slug.title()).replace("@zed", f"@{slug}")
    project.write(path, front + body)  # another slug is another creator: its own name and handle
    return path


# One phrase each rule must catch, and the rule's id; the hint must name an alternative.
CAUGHT = [
    ("Her brother committed suicide in 2019.", "suicide-crime-language", "died by suicide"),
    ("It was an unsuccessful suicide attempt.", "suicide-outcome-verdict", "suicide attempt"),
    ("Headlines spoke of a suicide epidemic.", "suicide-sensational", "rising rates"),
    ("Teenagers are suicide-prone, the article said.", "suicide-label", "at risk of suicide"),
    ("He saw it as the only way out.", "suicide-solution", "pain"),
    ("They found a suicide note.", "suicide-note", "leave the note out"),
    ("She overdosed on pills.", "suicide-method", "do not describe methods"),
    ("At my lowest I weighed 41 kg.", "ed-numbers", "leave the number out"),
    ("I ate 800 calories a day.", "ed-numbers", "leave the number out"),
    ("My BMI of 15 was", "ed-numbers", "leave the number out"),
    ("Here are my before-and-after photos.", "ed-before-after", "in words"),
    ("I used to follow pro-ana accounts.", "ed-pro", "harmful content"),
    ("No weight loss tips here.", "ed-tips", "support"),
    ("She was an anorexic for years.", "ed-label", "a person with anorexia"),
    ("After two suicide attempts, he finally succeeded.", "suicide-succeeded", "died by suicide"),
    ("She swallowed 40 pills.", "suicide-method-quantity", "leave the method and the amount out"),
    ("She is finally at peace now.", "suicide-romanticised", "say the person died"),
]


@pytest.mark.parametrize("text,rule,alternative", CAUGHT, ids=[c[1] + "-" + str(i) for i, c in enumerate(CAUGHT)])
def test_safe_messaging_finding_has_line_rule_and_alternative(project, text, rule, alternative):
    path = write_creator(project, "Zed talks about anxiety.\n\n" + text + "\n")
    result = project.check()
    assert result.code == 1
    lines = [l for l in result.lines if "[missing-warning]" not in l]  # a story without a warning: tested below
    assert len(lines) == 1, result.lines
    line = lines[0]
    assert line.startswith(f"{path}:11: body: "), line
    assert f"[{rule}]" in line and alternative in line


def test_every_rule_has_a_test():
    assert {rule.id for rule in SAFE_MESSAGING} == {c[1] for c in CAUGHT}


@pytest.mark.parametrize("text", [
    "Her brother died by suicide in 2019.",
    "After a suicide attempt, she found support.",
    "Rates of suicide have risen, according to the CDC.",
    "Call the 988 Suicide & Crisis Lifeline.",
    "Recovery from anorexia took years, and it was possible.",
    "She committed to therapy.",
    "I lost 2 friends that year.",
    "A failed attempt at baking bread.",
])
def test_safe_wording_passes(project, text):
    # With the warnings a story about these subjects needs (test_warning_review.py holds that rule).
    write_creator(project, text + "\n")
    project.write("creators/zed.md", (project.root / "creators/zed.md").read_text().replace(
        "topics: [anxiety]", "topics: [anxiety]\ncontent_warnings: [suicide, eating-disorders]"))
    result = project.check()
    assert result.code == 0, result.err


def test_front_matter_text_is_reviewed_too(project):
    project.write("creators/zed.md", FRONT.replace("Zed talks about anxiety.", "Zed talks about his failed suicide attempt."))
    result = project.check()
    assert result.lines == [
        "creators/zed.md:4: content_warnings: 'suicide attempt': these words are about suicide, and the page carries "
        "no warning for it [missing-warning] (add content_warnings: [suicide] to the front matter, so readers see "
        "the warning first and can skip to help)",
        "creators/zed.md:4: summary: 'failed suicide attempt' judges a suicide or an attempt as a success or failure "
        "[suicide-outcome-verdict] (write 'died by suicide' or 'suicide attempt')"]


def test_silencing_needs_the_rule_and_a_reason_in_the_file(project):
    quoted = "The 1998 headline read: 'Singer commits suicide'.\n"
    write_creator(project, "<!-- spotlight: allow suicide-crime-language: quoting a historical headline about language -->\n" + quoted)
    assert project.check().code == 0

    write_creator(project, "<!-- spotlight: allow suicide-crime-language -->\n" + quoted)
    result = project.check()
    assert result.code == 1
    assert any("creators/zed.md:9: spotlight: allow: silencing 'suicide-crime-language' needs a reason" in l for l in result.lines)
    assert any("[suicide-crime-language]" in l for l in result.lines)  # not silenced without a reason

    write_creator(project, "<!-- spotlight: allow suicide-crime: quoting -->\n" + quoted)
    result = project.check()
    assert any("there is no rule 'suicide-crime'" in l and "suicide-crime-language" in l for l in result.lines)


def test_silencing_covers_one_paragraph_only(project):
    write_creator(project, "<!-- spotlight: allow ed-numbers: a study's sample size, not a body -->\n"
                           "The study weighed 120 kg of food waste.\n\nLater I weighed 41 kg.\n")
    result = project.check()
    assert [l.split(":")[1] for l in result.lines] == ["12"], result.lines


def test_silencing_nothing_warns(project):
    write_creator(project, "<!-- spotlight: allow ed-numbers: just in case -->\nZed talks.\n")
    result = project.check()
    assert result.code == 0
    assert "creators/zed.md:9: spotlight: allow: warning: nothing to silence" in result.err


@pytest.mark.parametrize("body,line", [
    ("```\nHer brother committed suicide.\n```\n", 10),
    ("~~~text\nHer brother committed suicide.\n~~~\n", 10),
    ("Zed quotes an old post:\n\n    Her brother committed suicide.\n", 11),  # an indented code block
])
def test_code_blocks_are_shown_to_readers_so_their_words_are_reviewed(project, body, line):
    write_creator(project, body)
    result = project.check()
    assert result.lines == [f"creators/zed.md:{line}: body: 'committed suicide' describes suicide as a crime "
                            "[suicide-crime-language] (write 'died by suicide' (or 'took their own life'))"]


def test_markup_inside_fenced_code_is_shown_not_followed(project):
    write_creator(project, "```\n[x](javascript:alert(1)) <script>alert(1)</script>\n```\n")
    assert project.check().code == 0


@pytest.mark.parametrize("markdown,expected", [
    ("[x](javascript:alert(1))", "'javascript:' addresses are not allowed"),
    ("[x](JaVaScRiPt:alert(1))", "'javascript:' addresses are not allowed"),
    ('<a href="data:text/html,hi">x</a>', "'data:' addresses are not allowed"),
    ("[x](http://example.org/)", "use the https:// address"),
    ("[x](ftp://example.org/)", "'ftp:' addresses are not allowed"),
    ("<script>alert(1)</script>", "<script> is not allowed"),
    ('<iframe src="https://example.org"></iframe>', "<iframe> is not allowed"),
    ("<style>body{}</style>", "<style> is not allowed"),
    ('<form action="https://example.org"></form>', "<form> is not allowed"),
    ('<img src="/assets/x.png" onerror="alert(1)" alt="x">', "'onerror' is not allowed"),
    ("[missing](/creators/nobody/)", "points to no page on this hub"),
    ("[missing](../topics/nothing.md)", "points to no page on this hub"),
    ("![](/assets/photo.png)", "this image has no alt text"),
    ("![A photo](/assets/nothere.png)", "there is no image content/assets/nothere.png"),
])
def test_link_url_and_html_policy(project, markdown, expected):
    (project.root / "content/assets").mkdir(parents=True, exist_ok=True)
    (project.root / "content/assets/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    write_creator(project, markdown + "\n")
    result = project.check()
    assert result.code == 1
    assert any(l.startswith("creators/zed.md:9: body: ") and expected in l for l in result.lines), result.lines


@pytest.mark.parametrize("markdown", [
    "[help](/get-help/)", "[anxiety](/topics/anxiety/)", "[anxiety](../topics/anxiety.md)",
    "[call](tel:988)", "[text](sms:741741)", "[mail](mailto:editors@example.org)", "[site](https://example.org/)",
    "[top](#top)", "![A photo of a park](/assets/photo.png)", "[feed](/feed.xml)",
])
def test_allowed_links_pass(project, markdown):
    (project.root / "content/assets").mkdir(parents=True, exist_ok=True)
    (project.root / "content/assets/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    write_creator(project, markdown + "\n")
    result = project.check()
    assert result.code == 0, result.err


def test_image_size_budget(project):
    (project.root / "content/assets").mkdir(parents=True, exist_ok=True)
    (project.root / "content/assets/big.jpg").write_bytes(b"\xff" * (IMAGE_BUDGET_BYTES + 1))
    write_creator(project, "![A park](/assets/big.jpg)\n")
    result = project.check()
    assert any("content/assets/big.jpg is" in l and "budget" in l for l in result.lines), result.lines


def test_link_to_a_scheduled_page_is_an_error_until_it_is_live(project):
    project.write("content/updates/later.md", """
        ---
        title: Later news
        date: 2027-05-20T09:00:00Z
        summary: Not yet.
        ---
        Soon.
        """)
    write_creator(project, "[news](/updates/later/)\n")
    early = project.check("2027-05-15T12:00:00Z")
    assert any("is scheduled for 2027-05-20" in l for l in early.lines), early.lines
    assert project.check("2027-05-21T00:00:00Z").code == 0


def test_a_build_stops_on_a_finding_and_keeps_the_site(project):
    assert project.build().code == 0
    before = (project.root / "site/index.html").read_bytes()
    write_creator(project, "<script>alert(1)</script>\n")
    result = project.build()
    assert result.code == 1 and "<script> is not allowed" in result.err
    assert (project.root / "site/index.html").read_bytes() == before


def git(project, *args: str) -> None:
    import subprocess

    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=project.root,
                   check=True, capture_output=True)


def test_github_format_marks_changed_sensitive_files_for_human_review(project, monkeypatch):
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    git(project, "branch", "base")
    write_creator(project, "Zed talks about suicide prevention, grief and getting support.\n")
    write_creator(project, "Zed talks about study stress.\n", slug="calm")
    monkeypatch.setenv("GITHUB_BASE_REF", "unused")  # --changed-since wins over the environment
    result = project.run("check", "--format", "github", "--as-of", "2027-05-15T12:00:00Z", "--changed-since", "base")
    assert result.code == 0
    notices = [line for line in result.out.splitlines() if line.startswith("::notice")]
    assert notices == ["::notice file=creators/zed.md,line=1,title=Needs human review::touches suicide: a person must "
                       "review its tone and detail against the safe-messaging guidance before merging (check cannot judge them)"]


def test_topics_with_a_sensitive_warning_make_a_file_sensitive(project):
    project.write("creators/zed.md", FRONT.replace("topics: [anxiety]", "topics: [eating-disorders]") + "Zed talks.\n")
    result = project.run("check", "--as-of", "2027-05-15T12:00:00Z", "--changed-since", "no-such-ref")
    assert "cannot list the files changed since 'no-such-ref'" in result.err
    assert "creators/zed.md:1: review: touches eating disorders" in result.err
    assert "creators/maya.md:1: review" not in result.err  # anxiety only


def test_front_matter_silencing_uses_a_yaml_comment(project):
    project.write("creators/zed.md", FRONT.replace(
        "summary: Zed talks about anxiety.",
        "# spotlight: allow suicide-outcome-verdict: the title of his published essay\n"
        "summary: Zed wrote 'No such thing as a failed suicide attempt'.\ncontent_warnings: [suicide]") + "Zed talks.\n")
    assert project.check().code == 0, project.check().err


def test_every_rule_has_prefilter_words_that_its_examples_contain():
    from spotlight.lint import RULE_KEYS

    assert set(RULE_KEYS) == {rule.id for rule in SAFE_MESSAGING}
    for text, rule, _ in CAUGHT:
        assert any(key in text.lower() for key in RULE_KEYS[rule]), (rule, text)


def test_no_prefilter_word_holds_a_space_since_a_phrase_may_break_across_lines(project):
    from spotlight.lint import RULE_KEYS

    assert [key for keys in RULE_KEYS.values() for key in keys if any(c.isspace() for c in key)] == []
    write_creator(project, "Zed thought it was the only way\nout, and says so to warn others.\n")
    assert "[suicide-solution]" in project.check().err


def test_a_phrase_broken_across_lines_is_found_on_its_first_line(project):
    write_creator(project, "Zed talks about how his uncle\ncommitted\nsuicide and about grief.\n")
    result = project.check()
    assert result.lines == ["creators/zed.md:10: body: 'committed suicide' describes suicide as a crime [suicide-crime-language] "
                            "(write 'died by suicide' (or 'took their own life'))"]


@pytest.mark.parametrize("as_of,code,expected", [
    # Verified 2027-04-01; re-checked every 180 days (mkdocs.yml), so due on 2027-09-28.
    ("2027-08-28T12:00:00Z", 0, None),  # 31 days before: nothing yet
    ("2027-08-29T12:00:00Z", 0, "content/resources/lifeline.md:11: last_verified: warning: this crisis line is due "
                                "to be re-checked by 2027-09-28, in 30 days (the policy is every 180 days"),
    ("2027-09-28T12:00:00Z", 0, "content/resources/lifeline.md:11: last_verified: warning: this crisis line is due "
                                "to be re-checked by 2027-09-28, today"),
    ("2027-09-29T12:00:00Z", 1, "content/resources/lifeline.md:11: last_verified: this crisis line was last verified "
                                "on 2027-04-01, 181 days ago, and was due to be re-checked by 2027-09-28 (the policy "
                                "is every 180 days: verify_every_days in mkdocs.yml) (call or text the line"),
])
def test_crisis_line_freshness(project, as_of, code, expected):
    result = project.check(as_of)
    assert result.code == code, result.err
    if expected is None:
        assert "last_verified" not in result.err
    else:
        assert any(line.startswith(expected) for line in result.err.splitlines()), result.err


def test_changed_files_are_found_when_the_project_is_a_subfolder_of_the_repository(tmp_path, capsys):
    from conftest import make_project

    (tmp_path / "hub").mkdir()
    project = make_project(tmp_path / "hub", capsys)
    repo = type("Repo", (), {"root": tmp_path})()
    write_creator(project, "Zed talks about grief.\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    write_creator(project, "Zed's cousin died by suicide; he talks about grief.\n")  # tracked, now changed
    result = project.run("check", "--as-of", "2027-05-15T12:00:00Z", "--changed-since", "main")
    assert "cannot list" not in result.err
    assert [l for l in result.err.splitlines() if ": review:" in l] == [
        "creators/zed.md:1: review: touches suicide: a person must review its tone and detail against the "
        "safe-messaging guidance before merging (check cannot judge them)"]


# A large check reads the texts in a second process (lint.prescan) while the first parses them.
FINDINGS = {
    "creators/zed.md": FRONT.replace("summary: Zed talks about anxiety.", "summary: Zed talks about the only way out.")
    + "Her brother committed suicide.\n\n<!-- spotlight: allow ed-numbers: quoting a 1990s magazine cover -->\n"
    "At my lowest I weighed 41 kg.\n\n[a missing page](/creators/nobody/) and <iframe src=x></iframe>\n",
    "creators/amy.md": FRONT.replace("Zed Example", "Amy Example").replace("@zed", "@amy")
    + "<!-- spotlight: allow suicide-note: nothing to silence -->\nAmy talks about anxiety.\n",
}


def _reviewed(project, scanned_ahead: bool, monkeypatch) -> list[str]:
    from spotlight import lint
    from spotlight.schedule import parse_as_of
    from spotlight.settings import read_settings
    from spotlight.pipeline import load
    from conftest import MOMENT

    used = []
    real = lint.prescan

    def prescan(root, rels):
        result = real(root, rels)
        return lambda: used.append(result()) or used[-1]

    monkeypatch.setattr(lint, "PRESCAN_MIN_FILES", 1 if scanned_ahead else 10**9)
    monkeypatch.setattr(lint.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(lint.threading, "active_count", lambda: 1)  # other tests may leave a server thread
    monkeypatch.setattr("spotlight.pipeline.prescan", prescan)
    settings = read_settings(project.root)
    _, report = load(project.root, parse_as_of(MOMENT, settings.tz), settings=settings)
    assert (used[0] is not None) == scanned_ahead  # the second process ran, or did not
    return [d.text() for d in report.sorted()]


def test_a_review_read_ahead_in_a_second_process_says_exactly_what_one_process_says(project, monkeypatch):
    for path, text in FINDINGS.items():
        project.write(path, text)
    alone = _reviewed(project, False, monkeypatch)
    assert len(alone) >= 5 and any("summary:" in line and "[suicide-solution]" in line for line in alone), alone
    assert _reviewed(project, True, monkeypatch) == alone


def test_a_file_that_changed_after_the_read_ahead_is_read_again(project):
    from spotlight.diagnostics import Report
    from spotlight.lint import TextScan, lint_content
    from spotlight.schedule import parse_as_of
    from spotlight.settings import read_settings
    from spotlight.site import SiteMap
    from spotlight.validate import load_content
    from conftest import MOMENT

    project.write("creators/zed.md", FINDINGS["creators/zed.md"])
    settings = read_settings(project.root)
    content = load_content(project.root, settings, parse_as_of(MOMENT, settings.tz), False, Report())
    stale = {"creators/zed.md": ((0, 0), TextScan())}  # what an earlier version of the file said: nothing
    report = Report()
    lint_content(project.root, content, SiteMap.build(content), report, scanned=stale)
    assert any("[suicide-crime-language]" in d.text() for d in report.errors)


def test_a_read_ahead_that_dies_gives_nothing_so_lint_reads_every_text_itself(project, monkeypatch):
    import os

    from spotlight import lint

    for path, text in FINDINGS.items():
        project.write(path, text)
    monkeypatch.setattr(lint, "_scan_files", lambda root, rels, sender: os._exit(3))
    monkeypatch.setattr(lint.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(lint.threading, "active_count", lambda: 1)
    monkeypatch.setattr(lint, "PRESCAN_MIN_FILES", 1)
    assert lint.prescan(project.root, list(FINDINGS))() is None  # and lint_content(scanned=None) scans each text
