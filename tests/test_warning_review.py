"""The review asks for a content warning where a page's words tell of suicide, self-harm or an
eating disorder, and suggests the value; help and directories, and words that only name a
subject, are not asked."""

from __future__ import annotations

import pytest

CREATOR = """\
---
name: Zed Example
handle: "@zed"
summary: Zed talks about family life.
topics: [anxiety]
{extra}---
*A fictional fixture creator.*

{body}
"""


def creator(project, body: str, extra: str = "") -> None:
    project.write("creators/zed.md", CREATOR.format(body=body, extra=extra))


@pytest.mark.parametrize("body,subject,value", [
    ("Zed's brother died by suicide five years ago.", "suicide", "suicide"),
    ("Zed talks about the year he had suicidal thoughts.", "suicide", "suicide"),
    ("Zed lost his best friend to suicide.", "suicide", "suicide"),
    ("Zed talks about how he stopped self-harming.", "self-harm", "self-harm"),
    ("Zed talks about his recovery from anorexia.", "eating disorders", "eating-disorders"),
    ("Zed lived with bulimia through university.", "eating disorders", "eating-disorders"),
])
def test_a_story_without_its_warning_is_reported_with_the_value_to_add(project, body, subject, value):
    creator(project, body)
    result = project.check()
    assert result.code == 1
    assert len(result.lines) == 1, result.lines
    line = result.lines[0]
    assert line.startswith("creators/zed.md:9: content_warnings: '"), line
    assert f"these words are about {subject}, and the page carries no warning for it [missing-warning]" in line
    assert f"(add content_warnings: [{value}] to the front matter" in line


def test_the_suggestion_keeps_the_warnings_already_there_in_vocabulary_order(project):
    creator(project, "Zed's brother died by suicide, and he talks about grief.", "content_warnings: [death-and-grief]\n")
    result = project.check()
    assert "(add content_warnings: [suicide, death-and-grief] to the front matter" in result.err, result.err


@pytest.mark.parametrize("extra", [
    "content_warnings: [suicide]\n",
    "topics: [suicide-prevention]\n",  # a creator carries its topics' warnings
])
def test_a_story_with_its_warning_passes(project, extra):
    project.write("content/topics/suicide-prevention.md", """
        ---
        title: Suicide prevention
        summary: Knowing the signs.
        content_warning: suicide
        ---
        Fixture topic.
        """)
    text = CREATOR.format(body="Zed's brother died by suicide five years ago.", extra=extra)
    if extra.startswith("topics:"):
        text = text.replace("topics: [anxiety]\n", "")
    project.write("creators/zed.md", text)
    result = project.check()
    assert result.code == 0, result.err


def test_an_update_filed_under_a_warned_topic_still_needs_its_own_warning(project):
    project.write("content/topics/suicide-prevention.md", "---\ntitle: Suicide prevention\nsummary: Signs.\n"
                                                          "content_warning: suicide\n---\nFixture.\n")
    update = ("---\ntitle: A story\ndate: 2027-05-02T09:00:00Z\nsummary: Zed's story.\ntopics: [suicide-prevention]\n"
              "{extra}---\nZed's brother died by suicide.\n")
    project.write("content/updates/story.md", update.format(extra=""))
    assert "content/updates/story.md:7: content_warnings: 'died by suicide'" in project.check().err
    project.write("content/updates/story.md", update.format(extra="content_warnings: [suicide]\n"))
    assert project.check().code == 0


@pytest.mark.parametrize("path", ["content/resources/lifeline.md", "content/organizations/nami.md"])
def test_help_and_directories_are_not_asked(project, path):
    file = project.root / path
    file.write_text(file.read_text() + "\nFor anyone who has had suicidal thoughts or has lost someone to suicide.\n")
    result = project.check()
    assert result.code == 0, result.err


@pytest.mark.parametrize("body", [
    'Our style guide says to write "died by suicide" and "suicide attempt".',
    "Our partners offer support for people who have lost someone to suicide.",
    "Pages about suicide, self-harm or eating disorders start with a warning.",
    "If you are thinking about suicide, get help now.",
    "Zed talks about suicide prevention and about eating-disorder charities.",
])
def test_words_that_only_name_a_subject_are_no_story(project, body):
    creator(project, body)
    result = project.check()
    assert "[missing-warning]" not in result.err, result.err


def test_the_finding_can_be_silenced_in_the_file_with_a_reason(project):
    creator(project, "<!-- spotlight: allow missing-warning: a book title, the page tells no story -->\n"
                     "Zed reviews the novel *Attempted Suicide at Midnight*.")
    assert project.check().code == 0, project.check().err


def test_slugs_and_choices_in_the_front_matter_are_no_words_of_the_page(project):
    project.write("content/topics/self-harm.md", "---\ntitle: Self-harm\nsummary: Support.\ncontent_warning: self-harm\n---\nFixture.\n")
    project.write("content/updates/note.md", "---\ntitle: A note\ndate: 2027-05-02T09:00:00Z\nsummary: News.\n"
                                             "topics: [self-harm]\n---\nNew support on the hub.\n")
    result = project.check()
    assert result.code == 0, result.err
    project.write("content/updates/note.md", "---\ntitle: A note\ndate: 2027-05-02T09:00:00Z\n"
                                             "summary: Zed talks about self-harm.\ntopics: [self-harm]\n---\nNews.\n")
    assert "content/updates/note.md:4: content_warnings: 'self-harm'" in project.check().err
