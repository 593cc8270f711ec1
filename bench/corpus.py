"""A fictional Spotlight hub of any size: N creators, and every other kind in proportion.

Everything written here is invented: names are combined from word lists, every link goes to
example.com or example.org, phone numbers are from the 555-01xx range kept for fiction.
The same N and seed always give byte-identical files, so runs can be compared.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

DEFAULT_AS_OF = "2027-05-15T12:00:00Z"

FIRST = [
    "Maya", "Sam", "Jordan", "Priya", "Leo", "Amara", "Noah", "Ines", "Kai", "Zoe", "Ravi", "Lena",
    "Omar", "Tess", "Malik", "Hana", "Theo", "Aisha", "Finn", "Lucia", "Dev", "Nora", "Eli", "Sofia",
    "Ayo", "Mei", "Jonah", "Rosa", "Tariq", "Ivy", "Mateo", "Ada", "Kofi", "Elena", "Ren", "Maren",
    "Luca", "Yara", "Ezra", "Nia", "Oskar", "Lila", "Arjun", "Freya", "Caleb", "Sana", "Milo", "Ana",
    "Idris", "June",
]
LAST = [
    "Torres", "Lee", "Okafor", "Nakamura", "Silva", "Haddad", "Novak", "Brennan", "Mensah", "Kowalski",
    "Rahman", "Lindqvist", "Moreau", "Castillo", "Park", "Adeyemi", "Fischer", "Romero", "Quinn", "Sato",
    "Dubois", "Osei", "Marsh", "Iyer", "Petrov", "Costa", "Ng", "Walsh", "Bauer", "Achebe", "Reyes",
    "Holm", "Farah", "Duarte", "Kim", "Ortiz", "Varga", "Nyberg", "Cruz", "Ahmed",
]
TOPIC_TITLES = [
    "Anxiety", "Depression", "Grief and loss", "Eating disorders", "Self-harm", "Suicide prevention",
    "Loneliness", "Student mental health", "Burnout", "Sleep", "Body image", "ADHD",
    "Autism and neurodiversity", "Bipolar disorder", "OCD", "PTSD and trauma", "Postnatal depression",
    "Men's mental health", "LGBTQ+ mental health", "Mental health at work", "Parenting",
    "Caring for someone", "Addiction and recovery", "Panic attacks", "Social anxiety",
    "Therapy explained", "Medication questions", "Mindfulness", "Exercise and mood", "Money and stress",
    "Chronic illness", "Psychosis", "Schizophrenia", "Personality disorders", "Phobias",
    "Seasonal depression", "Perinatal mental health", "Young people", "Older adults",
    "Racism and mental health", "Bullying", "Relationships", "Online safety", "Gaming and wellbeing",
    "Music and mood", "Creative recovery", "Faith and mental health", "Disability and wellbeing",
    "Veterans", "Refugees and displacement", "Rural communities", "First responders", "Students abroad",
    "Exam stress", "Climate anxiety", "Hoarding", "Stammering and confidence", "Hearing voices",
    "Peer support", "Recovery stories",
]
# Topics whose pages carry a warning (a subset of the vocabulary's terms).
TOPIC_WARNINGS = {
    "eating-disorders": "eating-disorders", "self-harm": "self-harm", "suicide-prevention": "suicide",
    "grief-and-loss": "death-and-grief", "ptsd-and-trauma": "trauma",
    "addiction-and-recovery": "substance-use",
}
ORG_WORDS = ["Harbour", "Lantern", "Open Door", "Riverside", "Northstar", "Kindred", "Bridgeway", "Willow",
             "Compass", "Beacon", "Meadow", "Tidewater", "Summit", "Hearth", "Evergreen", "Keystone",
             "Shoreline", "Cedar"]
ORG_KINDS = ["Trust", "Network", "Foundation", "Collective", "Alliance", "Project", "Society", "Centre"]
REGIONS = ["US", "GB", "CA", "IE", "AU", "NZ", "DE", "FR", "ES", "MX", "BR", "IN", "NO", "ZA", "global"]
LANGUAGES = ["en", "en", "en", "en", "es", "es", "fr", "pt-BR", "de", "hi", "ar", "ja", "pl", "sw"]
PLATFORMS = ["tiktok", "instagram", "youtube", "podcast", "website", "newsletter", "bluesky", "twitch",
             "mastodon"]
PRONOUNS = ["she/her", "he/him", "they/them", "she/they", "he/they"]
WARNINGS = ["suicide", "self-harm", "eating-disorders", "substance-use", "abuse", "death-and-grief",
            "trauma"]
# Perspectives that need nothing more (a licensed professional needs credentials).
PERSPECTIVES = ["lived-experience", "peer-supporter", "organization"]
RESOURCE_KINDS = ["helpline", "text-line", "chat", "website", "guide", "tool", "directory", "training"]

OPENINGS = [
    "{first} started posting short videos about {topic} after a hard first year at college.",
    "For {first}, talking about {topic} online began as a way to feel less alone.",
    "{first} makes calm, practical content about {topic} for people who are just starting to look "
    "for support.",
    "{first} hosts a weekly conversation about {topic}, recovery and the small things that help.",
    "After years of keeping quiet about {topic}, {first} now shares what support looked like in practice.",
]
SENTENCES = [
    "Recovery is rarely a straight line, and the videos say so plainly.",
    "Every post ends with a reminder that help is available and that reaching out is a strength.",
    "Followers often say the honest tone made it easier to talk to a friend or a doctor.",
    "The content avoids graphic detail and focuses on coping, connection and hope.",
    "Guests include peer-support workers, clinicians and people with lived experience.",
    "Short explainers cover what a first appointment can look like and which questions to ask.",
    "Comment sections are moderated, and crisis resources are pinned to every profile.",
    "Series on sleep, routines and gentle movement are among the most shared.",
    "Live sessions are captioned, and transcripts are published for people who prefer to read.",
    "Collaborations with local organisations point viewers to free services near them.",
    "The channel is careful to separate personal experience from medical advice.",
    "Families and carers write in to say the videos helped them understand what someone was going through.",
    "Each episode includes a short breathing or grounding exercise that takes less than a minute.",
    "Posts in more than one language reach communities that rarely see this content in their own words.",
]
HEADINGS = ["What {first} talks about", "Why it matters", "Where to start", "Favourite series",
            "In their words"]
LIST_ITEMS = ["a five-minute grounding routine", "how to ask for a first appointment",
              "what peer support is", "talking to family", "getting through exam season",
              "rest without guilt", "finding a support group"]


@dataclass
class CreatorPage:
    """A published creator as a hub author would write it without Spotlight: a title and a body."""

    slug: str
    name: str
    body: str


@dataclass
class Corpus:
    """What was written: slugs per kind and the file count, for the benchmark's table and tests."""

    root: Path
    creators: list[str]
    counts: dict[str, int]
    # The published creators' names and bodies, for the baselines (plain MkDocs, Hugo).
    creator_pages: list[CreatorPage]

    @property
    def files(self) -> int:
        return sum(self.counts.values())


def proportions(creators: int) -> dict[str, int]:
    """How many of each kind a hub with this many creators has (documented in the README)."""
    n = max(1, creators)
    return {
        "creator": n,
        "topic": max(12, min(len(TOPIC_TITLES), n // 50)),
        "organization": max(4, n // 10),
        "resource": max(6, n // 8),
        "campaign": 2 + n // 2000,
        "event": max(3, n // 20),
        "update": max(5, n // 5),
        "page": 5,
    }


def slugify(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "-" for ch in text.lower().replace("+", "plus").replace("'", ""))
    return "-".join(part for part in out.split("-") if part)


def _q(value: str) -> str:
    """A YAML double-quoted scalar (values with @, # or ': ' need quotes)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _front(fields: list[str], body: str) -> str:
    return "---\n" + "\n".join(fields) + "\n---\n" + body


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


class Generator:
    def __init__(self, root: Path, creators: int, seed: int, as_of: str):
        self.root = root
        self.rng = random.Random(seed)
        self.counts = proportions(creators)
        self.moment = datetime.fromisoformat(as_of.replace("Z", "+00:00"))
        self.today = self.moment.date()
        self.creator_pages: list[CreatorPage] = []

    # -- helpers -----------------------------------------------------------------------------

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def pick(self, seq, k_min: int, k_max: int) -> list:
        k = self.rng.randint(k_min, min(k_max, len(seq)))
        return self.rng.sample(seq, k)

    def moment_str(self, value: datetime) -> str:
        return value.strftime("%Y-%m-%dT%H:%M:00") + ("-04:00" if 3 <= value.month <= 10 else "-05:00")

    def around(self, days_before: int, days_after: int) -> datetime:
        day = self.today + timedelta(days=self.rng.randint(-days_before, days_after))
        return datetime(day.year, day.month, day.day, self.rng.choice([9, 11, 14, 16, 18]), 0)

    # -- kinds ---------------------------------------------------------------------------------

    def topics(self) -> list[str]:
        slugs = []
        for title in TOPIC_TITLES[: self.counts["topic"]]:
            slug = slugify(title)
            slugs.append(slug)
            fields = [f"title: {title}",
                      f"summary: Understanding {title.lower()}, and where to find support."]
            if self.rng.random() < 0.6:
                words = "".join(w.capitalize() for w in slugify(title).split("-"))
                fields.append("hashtag: " + _q(f"#{words}Awareness"))
            if slug in TOPIC_WARNINGS:
                fields.append(f"content_warning: {TOPIC_WARNINGS[slug]}")
            body = (f"{title} affects many people, and support is available. This page gathers the "
                    "creators, organisations and resources on this hub that talk about "
                    f"{title.lower()}.\n\n"
                    "If you are struggling right now, [get help now](/get-help/).\n")
            self.write(f"content/topics/{slug}.md", _front(fields, body))
        return slugs

    def organizations(self, topics: list[str]) -> list[str]:
        slugs = []
        for i in range(self.counts["organization"]):
            name = f"{ORG_WORDS[i % len(ORG_WORDS)]} {ORG_KINDS[(i // len(ORG_WORDS)) % len(ORG_KINDS)]}"
            if i >= len(ORG_WORDS) * len(ORG_KINDS):
                name += f" {i // (len(ORG_WORDS) * len(ORG_KINDS)) + 1}"
            slug = slugify(name)
            slugs.append(slug)
            initials = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
            fields = [
                f"name: {name}", f"short_name: {initials}",
                "summary: A fictional organisation offering peer support, education and signposting "
                "to local services.",
                f"website: https://example.org/{slug}", f"regions: {_flow(self.pick(REGIONS, 1, 3))}",
                f"topics: {_flow(self.pick(topics, 1, 3))}",
            ]
            body = (f"{name} is an invented partner used to test the hub at scale. It runs "
                    "peer-support groups, training for schools and a directory of local services.\n\n"
                    f"Read more on [its website](https://example.org/{slug}/about).\n")
            self.write(f"content/organizations/{slug}.md", _front(fields, body))
        return slugs

    def resources(self, topics: list[str], orgs: list[str]) -> tuple[list[str], list[str]]:
        slugs, crisis_slugs = [], []
        for i in range(self.counts["resource"]):
            kind = RESOURCE_KINDS[i % len(RESOURCE_KINDS)]
            region = self.rng.choice(REGIONS)
            title = f"{ORG_WORDS[i % len(ORG_WORDS)]} {kind.replace('-', ' ')} {i + 1}"
            slug = slugify(title)
            slugs.append(slug)
            fields = [
                f"title: {title.capitalize()}",
                f"summary: A fictional {kind.replace('-', ' ')} for testing the hub at scale.",
                f"kind: {kind}", f"regions: {_flow([region])}", f"organization: {self.rng.choice(orgs)}",
                f"topics: {_flow(self.pick(topics, 0, 2))}",
                f"languages: {_flow(sorted(set(self.pick(LANGUAGES, 1, 2))))}",
                "hours: 24/7" if kind in ("helpline", "text-line", "chat") else "hours: Any time",
                "cost: Free",
            ]
            if kind in ("helpline", "text-line", "chat"):
                number = f"+1 555 01{i % 100:02d}"
                method, value = {"helpline": ("call", number), "text-line": ("text", number),
                                 "chat": ("chat", f"https://example.org/chat/{slug}")}[kind]
                fields += ["contacts:", f"  - method: {method}", f"    value: {_q(value)}"]
                if method == "text":
                    fields.append("    keyword: HELLO")
                instructions = f"A fictional line: {method} to reach a trained volunteer."
                fields.append(f"    instructions: {_q(instructions)}")
                if i % 3 == 0:
                    crisis_slugs.append(slug)
                    verified = self.today - timedelta(days=self.rng.randint(5, 150))
                    fields += ["crisis: true", f"last_verified: {verified.isoformat()}",
                               "source: The fictional line's own contact page"]
            body = ("An invented resource used to measure the hub. It describes who it is for, what "
                    "to expect when you get in touch, and what happens to what you share.\n")
            self.write(f"content/resources/{slug}.md", _front(fields, body))
        return slugs, crisis_slugs

    def creator_body(self, first: str, topic_title: str) -> str:
        rng = self.rng
        paragraphs = [rng.choice(OPENINGS).format(first=first, topic=topic_title.lower())
                      + " " + " ".join(rng.sample(SENTENCES, 3))]
        for heading in rng.sample(HEADINGS, rng.randint(1, 2)):
            paragraphs.append("## " + heading.format(first=first))
            paragraphs.append(" ".join(rng.sample(SENTENCES, rng.randint(3, 5))))
        series = "\n".join(f"- {x}" for x in rng.sample(LIST_ITEMS, 3))
        paragraphs.append(f"Series worth starting with:\n\n{series}")
        paragraphs.append(f"Watch the [introduction](https://example.com/{slugify(first)}/intro) or read "
                          f"the [longer interview](https://example.org/interviews/{slugify(first)}). "
                          "If you are struggling right now, [get help now](/get-help/).")
        return "*A fictional creator, generated for the benchmark.*\n\n" + "\n\n".join(paragraphs) + "\n"

    def creators(self, topics: list[str], orgs: list[str]) -> list[str]:
        slugs, published = [], []
        used: dict[str, int] = {}
        topic_titles = {slugify(t): t for t in TOPIC_TITLES}
        for i in range(self.counts["creator"]):
            first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
            base = slugify(f"{first} {last}")
            used[base] = used.get(base, 0) + 1
            slug = base if used[base] == 1 else f"{base}-{used[base]}"
            slugs.append(slug)
            handle = f"@{first.lower()}.{last.lower()}" + (str(used[base]) if used[base] > 1 else "")
            my_topics = self.pick(topics, 1, 3)
            fields = [
                f"name: {first} {last}", f"handle: {_q(handle)}",
                f"summary: {first} shares honest, hopeful stories about "
                f"{topic_titles[my_topics[0]].lower()} and getting support.",
                f"topics: {_flow(my_topics)}",
            ]
            if self.rng.random() < 0.7:
                fields.append(f"pronouns: {self.rng.choice(PRONOUNS)}")
            fields.append(f"languages: {_flow(sorted(set(self.pick(LANGUAGES, 1, 2))))}")
            if self.rng.random() < 0.5:
                fields.append(f"organizations: {_flow(self.pick(orgs, 1, 2))}")
            fields.append("links:")
            for platform in self.pick(PLATFORMS, 1, 3):
                fields += [f"  - platform: {platform}",
                           f"    url: https://example.com/{platform}/{handle[1:]}"]
            if self.rng.random() < 0.15:
                fields.append(f"content_warnings: {_flow(self.pick(WARNINGS, 1, 2))}")
            # What every published profile discloses (models.WHEN_PUBLISHED); no draw of the
            # random generator, so the rest of the corpus is what it was before these fields.
            fields += [f"perspective: [{PERSPECTIVES[i % len(PERSPECTIVES)]}]",
                       f"compensation: {'paid' if i % 5 == 0 else 'unpaid'}",
                       "why_featured: A fictional creator, featured for stories that point to support.",
                       "last_reviewed: 2026-11-20", "consent_given: 2026-01-05", "consent_review: 2029-06-30"]
            body = self.creator_body(first, topic_titles[my_topics[0]])
            if i % 97 == 96:  # a few drafts, as in a real repository; nothing refers to them
                fields.append("status: draft")
            else:
                published.append(slug)
                self.creator_pages.append(CreatorPage(slug, f"{first} {last}", body))
            self.write(f"creators/{slug}.md", _front(fields, body))
        self.published_creators = published
        return slugs

    def campaigns(self, orgs: list[str], crisis: list[str]) -> list[str]:
        slugs = []
        for i in range(self.counts["campaign"]):
            year = self.today.year - i  # the first is live as of the moment, the others have ended
            slug = f"awareness-month-{year}" if i else f"awareness-month-{year}-spotlight"
            slugs.append(slug)
            fields = [
                f"title: Awareness Month {year}" + (" spotlight" if not i else ""),
                "summary: A month of fictional creator stories and support from partner organisations "
                f"in {year}.",
                f"starts: {year}-05-01", f"ends: {year}-05-31", f"hashtag: {_q(f'#AwarenessMonth{year}')}",
                f"spotlight: {_flow(self.pick(self.published_creators, 1, 10))}", "partners:",
            ]
            for org in self.pick(orgs, 1, 3):
                fields += [f"  - organization: {org}",
                           "    contribution: Advertising credits to share its support resources."]
            if crisis:
                fields.append(f"resources: {_flow(self.pick(crisis, 1, 3))}")
            fields += ["credits_from: A fictional funder", "partner_editorial_control: false"]
            self.write(f"content/campaigns/{slug}.md",
                       _front(fields, "A fictional campaign for the benchmark.\n"))
        return slugs

    def events(self, campaigns: list[str]) -> list[str]:
        slugs = []
        for i in range(self.counts["event"]):
            starts = self.around(400, 300)
            slug = f"session-{i + 1}-{starts:%Y-%m-%d}"
            slugs.append(slug)
            fields = [
                f"title: Partner session {i + 1}",
                "summary: A fictional training session for partner organisations.",
                f"starts: {self.moment_str(starts)}",
                f"ends: {self.moment_str(starts + timedelta(minutes=90))}",
                "audience: Partner organisations",
                "location: " + ("Online" if i % 3 else "Community hall, Example Town"),
                f"registration_url: https://example.org/register/{slug}",
            ]
            if campaigns and i % 4 == 0:
                fields.append(f"campaign: {self.rng.choice(campaigns)}")
            self.write(f"content/events/{slug}.md",
                       _front(fields, "What to expect, who it is for, and how to join.\n"))
        return slugs

    def updates(self, topics: list[str], campaigns: list[str]) -> list[str]:
        slugs = []
        for i in range(self.counts["update"]):
            dated = self.around(700, 20)  # a few are scheduled after the moment
            slug = f"update-{i + 1}"
            slugs.append(slug)
            fields = [
                f"title: Hub update {i + 1}", f"date: {self.moment_str(dated)}",
                "summary: New fictional creators, resources and events on the hub.",
                f"creators: {_flow(self.pick(self.published_creators, 0, 3))}",
                f"topics: {_flow(self.pick(topics, 0, 2))}",
            ]
            if campaigns and i % 5 == 0:
                fields.append(f"campaign: {self.rng.choice(campaigns)}")
            self.write(f"content/updates/{slug}.md",
                       _front(fields, "This week on the hub: new stories and new support.\n"))
        return slugs

    def pages(self) -> list[str]:
        pages = {
            "about": "About this hub", "privacy": "Privacy", "editorial-policy": "Editorial policy",
            "staying-safe-online": "Staying safe online", "accessibility": "Accessibility",
        }
        for slug, title in list(pages.items())[: self.counts["page"]]:
            fields = [f"title: {title}", f"summary: {title} on this fictional hub."]
            self.write(f"content/pages/{slug}.md",
                       _front(fields, f"# {title}\n\nA fictional page for the benchmark.\n"))
        return list(pages)


def generate(root: Path, creators: int, *, seed: int = 2027, as_of: str = DEFAULT_AS_OF,
             repo: Path | None = None) -> Corpus:
    """Write a complete scratch project into `root` (mkdocs.yml and theme/ copied from `repo`)."""
    root.mkdir(parents=True, exist_ok=True)
    if repo is not None:
        shutil.copy(repo / "mkdocs.yml", root / "mkdocs.yml")
        if (repo / "theme").is_dir():
            shutil.copytree(repo / "theme", root / "theme", dirs_exist_ok=True)
    (root / "content" / "assets").mkdir(parents=True, exist_ok=True)
    g = Generator(root, creators, seed, as_of)
    topics = g.topics()
    orgs = g.organizations(topics)
    _, crisis = g.resources(topics, orgs)
    slugs = g.creators(topics, orgs)
    campaigns = g.campaigns(orgs, crisis)
    g.events(campaigns)
    g.updates(topics, campaigns)
    g.pages()
    return Corpus(root, slugs, dict(g.counts), g.creator_pages)


if __name__ == "__main__":  # pragma: no cover - python -m bench.corpus DIR N
    import sys

    corpus = generate(Path(sys.argv[1]), int(sys.argv[2]), repo=Path(__file__).resolve().parent.parent)
    print(f"wrote {corpus.files} files into {corpus.root}")
