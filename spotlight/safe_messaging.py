"""The safe-messaging rules of the review: phrasing to avoid, why, what to write instead, and examples.

Sources (summarised in shared/reference/safe-messaging.md): the recommendations for reporting
on suicide (reportingonsuicide.org), the WHO's guidance for media professionals on suicide
(2023 update), #chatsafe (for young people talking about suicide online) and eating-disorder
charities' media guidance. lint.py runs the rules over every file's text; docgen.py writes the
table of rules, with each rule's examples, into docs/editorial-workflow.md.

A rule is a pattern, and for phrasing that is harmless in ordinary text ("the only way out of
the car park", "a size 10 shoe", "it cost 20 pounds") a `keep` test that looks at the words
around a match, within its paragraph. Every rule lists sentences it must catch (`fires`) and
ordinary sentences it must leave alone (`passes`); tests/test_safe_messaging.py holds each rule
to them, and to the probe and ordinary-text corpora in tests/corpora/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

Keep = Callable[[str, "re.Match[str]"], bool]


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern
    message: str  # "{match}" is replaced by the words found
    fix: str  # the safer alternative
    why: str  # one sentence for the docs: what the guidance says
    keys: tuple[str, ...]  # lowercase words without which the pattern cannot match (a cheap prefilter)
    fires: tuple[str, ...]  # sentences the rule must catch
    passes: tuple[str, ...]  # sentences it must not
    keep: Keep | None = field(default=None, compare=False)  # None: every match is a finding
    # For a costly pattern: a cheap one for a word every match holds (a unit, "pills"); the
    # pattern then runs only around each hit, for the match that holds it.
    gate: re.Pattern | None = None

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        for match in self._candidates(text):
            if self.keep is None or self.keep(text, match):
                yield match

    def _candidates(self, text: str) -> Iterator[re.Match[str]]:
        if self.gate is None:
            yield from self.pattern.finditer(text)
            return
        done = -1  # where the last match ended: overlapping windows give no match twice
        for hit in self.gate.finditer(text):
            if hit.end() <= done:
                continue
            # From a word start well before the hit to a word end after it: the pattern sees whole
            # words, and at `pos` still sees the character before (\b works as in the whole text).
            start = max(done, text.rfind(" ", 0, max(0, hit.start() - GATE_BEFORE)) + 1, 0)
            end = text.find(" ", min(len(text), hit.end() + GATE_AFTER))
            for match in self.pattern.finditer(text, start, len(text) if end < 0 else end):
                # Only the match that holds this hit: one nearer the window's end may be cut short
                # there (a lookahead sees nothing past it); its own hit's window reads it whole.
                if match.start() <= hit.start() and match.end() >= hit.end() and match.start() >= done:
                    done = match.end()
                    yield match
                    break


GATE_BEFORE, GATE_AFTER = 120, 60  # characters around a gate's hit that a match may span


def _rule(rule_id: str, pattern: str, message: str, fix: str, why: str, keys: tuple[str, ...],
          fires: tuple[str, ...], passes: tuple[str, ...], keep: Keep | None = None, gate: str | None = None) -> Rule:
    return Rule(rule_id, re.compile(pattern, re.IGNORECASE), message, fix, why, keys, fires, passes, keep,
                re.compile(gate, re.IGNORECASE) if gate else None)


def around(text: str, match: re.Match[str], before: int, after: int) -> str:
    """The words near a match, never beyond its paragraph (a blank line ends one)."""
    start = max(0, match.start() - before)
    end = min(len(text), match.end() + after)
    paragraph_start = text.rfind("\n\n", start, match.start())
    paragraph_end = text.find("\n\n", match.end(), end)
    return text[paragraph_start + 2 if paragraph_start >= 0 else start: paragraph_end if paragraph_end >= 0 else end]


def _near(words: str, before: int = 250, after: int = 120) -> Keep:
    pattern = re.compile(words, re.IGNORECASE)
    return lambda text, match: pattern.search(around(text, match, before, after)) is not None


# Words that make a passage about suicide (or a death), for phrases that are harmless elsewhere.
SUICIDE_WORDS = (r"\bsuicid\w*|\b(?:take|took|taking|taken|end|ended|ending)\s+(?:his|her|their|my|your|one's)\s+"
                 r"(?:own\s+)?life\b|\bkill(?:ed|ing|s)?\s+(?:him|her|them|my|your)sel(?:f|ves)\b|\boverdos\w*")
DEATH_WORDS = SUICIDE_WORDS + r"|\b(?:died|dies|death|dead|passed\s+away|funeral|grave|memorial)\b"

_WORD_NUMBER = (r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                r"hundred|thousand)")
_NUMBER_WORDS = rf"(?:(?:a|one)\s+(?:hundred|thousand)|{_WORD_NUMBER}(?:[\s-]+(?:and\s+)?(?:{_WORD_NUMBER}|one))*)"
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_AMOUNT = rf"(?:{_NUM}|{_NUMBER_WORDS})"

# -- eating disorders: numbers ----------------------------------------------------------------

_WEIGHT = rf"\b(?P<weight>{_AMOUNT})\s*-?\s*(?:kg|kgs|kilos?|kilograms?|lbs?|pounds|stones?|st)\b"
_CALORIES = rf"\b(?P<calories>{_AMOUNT})\s*-?\s*(?:calories|calorie|cals?|kcals?)\b"
_BMI = rf"\bBMI\b[^.!?\n\d]{{0,24}}?(?P<bmi>{_NUM})\b|\b(?P<bmi2>{_NUM})\s+BMI\b"
_GOAL = rf"\b(?P<goal>(?:ultimate\s+)?(?:goal|target|dream|ideal)\s+weight|U?GW)\b[^.!?\n\d]{{0,20}}?{_NUM}"
_SIZE = (r"\b(?P<size>size[\s-]+(?:zero|double\s+zero|00|0|2|4|6|8|10|12)|(?:size|dress\s+size)\s+(?:xxs|xs))\b"
         rf"|\b(?P<sizes>{_AMOUNT})\s+(?:dress|jeans?|clothes|clothing|trouser)\s+sizes?\b")
# Not a body: what costs money, what a gym lifts, what a recipe weighs, what is not clothing.
_NOT_A_BODY_WEIGHT = re.compile(
    r"£|\$|€|\b(?:cost|costs|costing|price|priced|paid|pay|paying|spend|spent|fee|fees|ticket|tickets|donat\w*|rais\w*|"
    r"earn\w*|worth|budget|charge\w*|fund\w*|sav(?:e|ed|ing)|money|salary|wage|fare|buy|bought|sold|sell|"
    r"dumbbells?|kettlebells?|barbells?|plates?|bench|deadlift\w*|squat\w*|lift\w*|bags?|sacks?|suitcase|luggage|"
    r"backpack|rucksack|bike|bicycle|boat|box|bin|load|parcel|postage|delivery|entry|admission|cash|cheap|expensive|"
    r"sale|profit|rent|bills?|loan|debt|owe\w*|flour|sugar|potato\w*|rice|butter|"
    r"recipe|loaf|turkey|chicken|ham|meat|cheese|cake|pumpkin|fruit|vegetables|fish|catch|baby|newborn|puppy|dog|cat)\b",
    re.IGNORECASE)
_NOT_CLOTHING_BEFORE = re.compile(
    r"\b(?:shoe|font|text|sample|group|class|batch|team|file|screen|step|portion|family|bed|paper|print|"
    r"envelope|battery|needle|image|photo|room|house|engine|cup|pot|nail|bolt|drill|brush)\s*$", re.IGNORECASE)
_NOT_CLOTHING_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+)?(?:shoes?|boots?|trainers?|sneakers?|heels|sandals|slippers|feet|foot|font|text|paper|envelopes?|batter(?:y|ies)|"
    r"needles?|brush(?:es)?|nails?|screws?|bolts?|pots?|bed|mattress|duvet|sheets?|pillow|towel|frame|canvas|"
    r"image|photo|print|cup|ball|wheels?)\b", re.IGNORECASE)
# "1st", "21st": an ordinal, not stones.
_ORDINAL = re.compile(r"(?<!1)1\s*st\b", re.IGNORECASE)


def _a_number_about_a_body(text: str, match: re.Match[str]) -> bool:
    if match.group("weight"):
        if match.group(0).lower().endswith("st") and _ORDINAL.search(match.group(0)):
            return False
        return _NOT_A_BODY_WEIGHT.search(around(text, match, 40, 25)) is None
    if match.group("size"):
        before = text[max(0, match.start() - 20): match.start()]
        after = text[match.end(): match.end() + 20]
        return _NOT_CLOTHING_BEFORE.search(before) is None and _NOT_CLOTHING_AFTER.search(after) is None
    return True


# -- suicide: a method ---------------------------------------------------------------------------

_HEIGHT = re.compile(r"^\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+)?(?:bridge|building|roof|rooftop|cliff|balcony|tower|"
                     r"window|ledge|car\s+park|multi-storey|overpass|viaduct|platform|train)\b", re.IGNORECASE)
_SUICIDE_NEAR = re.compile(SUICIDE_WORDS, re.IGNORECASE)


def _a_fall(text: str, match: re.Match[str]) -> bool:
    """'jumped off' is a method near a height or where suicide is spoken of; else a child at a pool."""
    if match.group("jumped") is None:
        return True
    return bool(_HEIGHT.search(text[match.end(): match.end() + 40])
                or _SUICIDE_NEAR.search(around(text, match, 250, 120)))


# -- suicide: method with a quantity ----------------------------------------------------------

_TAKING = (r"\b(?:swallow(?:ed|ing|s)?|took|take|takes|taking|taken|down(?:ed|ing)|ingest(?:ed|ing)|"
           r"overdos(?:e|ed|es|ing)\s+(?:on|with|of)|overdose\s+of|stockpil(?:ed|ing)|hoard(?:ed|ing)|"
           r"sav(?:ed|ing)\s+up|collect(?:ed|ing)|bought|buy(?:ing)?)")
_MANY = (r"(?:[3-9]|[1-9]\d+|(?:three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
         r"forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred|hundreds|dozens|a\s+dozen)(?:[\s-]+\w+)?"
         r"|a\s+number\s+of|enough"
         r"|(?:a|an|the|his|her|their|my)\s+(?:whole\s+|full\s+|entire\s+)?(?:handful|bottle|box|packet|pack|"
         r"blister\s+pack|jar|tub|strip|month's\s+supply|week's\s+supply))")
_PILLS = r"(?:pills|tablets|capsules|paracetamol|acetaminophen|ibuprofen|aspirin|painkillers|antidepressants|meds|medication)"
_DOSAGE_AFTER = re.compile(r"^\s*(?:a|per|each|every)\s+(?:day|night|morning|evening|week)\b|^\s*(?:daily|twice|"
                           r"once|in\s+the\s+morning|at\s+night|with\s+(?:food|water|breakfast|meals))\b", re.IGNORECASE)


def _not_a_dosage(text: str, match: re.Match[str]) -> bool:
    return _DOSAGE_AFTER.search(text[match.end(): match.end() + 30]) is None


# -- suicide: an epidemic, in any word order ----------------------------------------------------

_EPIDEMIC = (r"\bsuicides?\s+(?:epidemic|craze|wave|spree)s?\b"
             r"|\b(?:epidemic|wave|spate)\s+of\s+(?:[\w-]+\s+){0,3}?suicides?\b"
             r"|\bepidemic\s+(?:levels?|numbers?|rates?|proportions?)\s+of\s+(?:[\w-]+\s+){0,2}?suicides?\b"
             r"|\bsuicides?\s+(?:(?:among|in|of|by)\s+(?:[\w-]+\s+){1,3}?)?(?:is|are|has|have|had|was|were)\s+"
             r"(?:now\s+|become\s+|reached\s+|turned\s+into\s+)*(?:an?\s+)?(?:[\w-]+\s+)?epidemic\b")

_ONLY_WAY_OUT = (r"\bonly\s+way\s+out(?=\s*[.,;:!?)\"'\u201d\u2019]|\s*$|\s+(?:for\s+(?:him|her|them|me|us)\b|of\s+"
                 r"(?:(?:the|this|that|his|her|their|my|all\s+(?:the|this|his|her|their|my))\s+)?"
                 r"(?:pain|misery|suffering|despair|darkness|torment|it\s+all|life)\b|was\s+(?:to\s+)?(?:die|death|"
                 r"suicide|to\s+end|to\s+kill)))"
                 r"|\bway\s+to\s+end\s+(?:the|their|his|her|my)\s+pain\b")

_SUCCEEDED = (r"\b(?:(?:finally|eventually|at\s+last|this\s+time|the\s+\w+\s+time)\s+)?succeed(?:ed|s)?\b"
              r"(?!(?:\s*,[^,.;!?]{0,40},)?\s+(?:in|at|with|as|to|by|on|through)\b(?!\s+(?:taking|ending|killing)\b))"
              r"|\bsucceeded\s+in\s+(?:taking|ending|killing)\b")

_ROMANTIC = (r"\b(?:(?:he|she|they)(?:'s|'re|\s+is|\s+are|\s+was|\s+were)?|him|her|them)\b[^.!?\n]{0,20}?"
             r"\b(?:finally|now|at\s+last)\s+at\s+(?:peace|rest)\b(?!\s+with\b)"
             r"|\bfree\s+(?:from|of)\s+(?:all\s+(?:of\s+)?)?(?:his|her|their)\s+(?:pain|suffering|torment|demons|struggles?)\b"
             r"|(?P<context>\b(?:finally|now|at\s+last)\s+at\s+(?:peace|rest)\b(?!\s+with\b)|\bin\s+a\s+better\s+place\b"
             r"|\bno\s+longer\s+(?:suffering|in\s+pain|hurting)\b|\bout\s+of\s+(?:his|her|their)\s+misery\b)")
_DEATH_NEAR = re.compile(DEATH_WORDS, re.IGNORECASE)


def _romanticised(text: str, match: re.Match[str]) -> bool:
    """Third-person peace after a death is romanticising on its own; the other phrases are
    everyday words ("in a better place") unless a death is spoken of nearby."""
    if match.group("context") is None:
        return True
    return _DEATH_NEAR.search(around(text, match, 250, 120)) is not None


SAFE_MESSAGING: tuple[Rule, ...] = (
    _rule("suicide-crime-language", r"\bcommit(?:s|ted|ting)?\s+suicide\b",
          "'{match}' describes suicide as a crime", "write 'died by suicide' (or 'took their own life')",
          "Suicide is not a crime: 'committed' links it to one.", ("commit",),
          ("Her brother committed suicide in 2019.", "He commits suicide in the film's last scene."),
          ("Her brother died by suicide in 2019.", "She committed to therapy.",
           "We are committed to suicide prevention.")),
    _rule("suicide-outcome-verdict",
          r"\b(?:(?:un)?successful|failed|completed)\s+(?:suicide(?:\s+attempt)?|attempt\s+(?:at|to)\s+(?:suicide|end\s+(?:his|her|their|my)\s+life))\b",
          "'{match}' judges a suicide or an attempt as a success or failure", "write 'died by suicide' or 'suicide attempt'",
          "A suicide is not a success and an attempt is not a failure.", ("successful", "failed", "completed"),
          ("It was an unsuccessful suicide attempt.", "After a failed attempt to end his life, he found help."),
          ("After a suicide attempt, she found support.", "A failed attempt at baking bread.")),
    _rule("suicide-succeeded", _SUCCEEDED,
          "'{match}' speaks of a death by suicide as an achievement", "write 'died by suicide'",
          "Calling a death by suicide a success, after attempts, frames it as a goal reached.",
          ("succe",),
          ("After two suicide attempts, he finally succeeded.",
           "She had tried to take her own life before, and this time she succeeded.",
           "He succeeded in taking his own life in 2019."),
          ("After three attempts at the driving test, I finally succeeded.",
           "After her suicide attempt she succeeded in finishing her degree.",
           "Our suicide prevention campaign succeeded in reaching more schools."),
          keep=_near(SUICIDE_WORDS + r"|\battempt(?:s|ed)?\b(?!\s+(?:at|on|to|in|of|for)\b)"), gate=r"\bsucceed"),
    _rule("suicide-sensational", _EPIDEMIC,
          "'{match}' is sensational framing", "describe the numbers plainly, e.g. 'rising rates of suicide', with a source",
          "Epidemic, wave or craze framing sensationalises suicide and can make it seem common or expected.",
          ("epidemic", "craze", "wave", "spree", "spate"),
          ("Headlines spoke of a suicide epidemic.", "There is an epidemic of teen suicides.",
           "Teen suicide is an epidemic.", "Suicide among young men has become an epidemic."),
          ("Rates of suicide have risen, according to the CDC.",
           "Suicide rates rose during the opioid epidemic.", "A wave of support followed her post.")),
    _rule("suicide-label", r"\bsuicide[- ]prone\b|\bsuicide\s+victims?\b",
          "'{match}' labels a person by suicide", "write 'at risk of suicide' or 'a person who died by suicide'",
          "Labels reduce a person to a suicide or a risk.", ("prone", "victim"),
          ("Teenagers are suicide-prone, the article said.", "The suicide victim was 19."),
          ("People at risk of suicide deserve support.", "Victim support services are free.")),
    _rule("suicide-solution", _ONLY_WAY_OUT,
          "'{match}' presents suicide as a solution", "describe the person's pain and where help was, not suicide as a way out",
          "Suicide must never be presented as a way to solve problems or end pain.", ("way",),
          ("He saw it as the only way out.", "Death felt like the only way out of the pain.",
           "She thought it was a way to end her pain."),
          ("The stairs are the only way out of the car park.", "The only way out is through, my therapist says.",
           "The only way out was to ask for help.")),
    _rule("suicide-note", r"\bsuicide\s+notes?\b",
          "'{match}': guidance advises not to publish or describe the content of notes", "leave the note out",
          "Notes, and what they say, are not published or described.", ("note",),
          ("They found a suicide note.",), ("She left a note on the fridge.",)),
    _rule("suicide-method",
          r"\b(?:hanged|hung)\s+(?:him|her|them)sel(?:f|ves)\b|\b(?P<jumped>jumped\s+(?:off|from))\b|\boverdosed\s+on\b"
          r"|\bby\s+hanging\b(?!\s+(?:out|around|about|up|on|onto|in|with|the|a|an|my|your|our|pictures|washing|clothes))",
          "'{match}' describes a method", "do not describe methods, means or locations; say 'died by suicide'",
          "Method, means and location details can lead readers at risk to copy them.",
          ("hanged", "hung", "jumped", "overdosed", "hanging"),
          ("She overdosed on pills.", "He jumped from the bridge.", "He died by suicide; he jumped off a building."),
          ("She hung her coat on the door.", "We jumped into the lake on holiday.",
           "The kids jumped off the diving board.", "I cope by hanging out with friends."),
          keep=_a_fall),
    _rule("suicide-method-quantity", rf"{_TAKING}\s+(?:(?:about|around|over|nearly|almost|more\s+than|at\s+least|"
          rf"maybe|like)\s+)?{_MANY}\s+(?:of\s+)?(?:(?:his|her|their|my|your|the|those|these)\s+)?(?:[\w-]+\s+)?{_PILLS}\b",
          "'{match}' gives a method and an amount", "leave the method and the amount out; say what happened without them",
          "An amount of pills is a method detail that readers at risk can copy.",
          ("pill", "tablet", "capsule", "paracetamol", "acetaminophen", "ibuprofen", "aspirin", "painkiller",
           "antidepressant", "meds", "medication"),
          ("She swallowed 40 pills.", "He took a whole bottle of paracetamol.", "I had saved up thirty sleeping pills.",
           "He took an overdose of 50 tablets."),
          ("I take 2 tablets a day for my ADHD.", "Take two tablets with food.", "I took ibuprofen for the pain.",
           "I take three pills every morning."),
          keep=_not_a_dosage, gate=rf"\b{_PILLS}\b"),
    _rule("suicide-romanticised", _ROMANTIC,
          "'{match}' romanticises a death", "say the person died, and that their family grieves; not that death freed them",
          "Describing death as peace or release presents suicide as a solution.",
          ("peace", "rest", "better", "longer", "misery", "pain", "suffer", "torment", "demon", "struggl"),
          ("He is finally at peace, free from all his pain.", "She is now at rest.",
           "He died in March. He is in a better place."),
          ("I finally feel at peace with my diagnosis.", "Pain relief after surgery left her free from pain.",
           "She is in a better place now that she has moved to the coast.", "I am finally at peace with my body."),
          keep=_romanticised, gate=r"\b(?:peace|rest|free|place|longer|misery)\b"),
    _rule("ed-numbers", "|".join((_WEIGHT, _CALORIES, _BMI, _GOAL, _SIZE)),
          "'{match}': numbers about weight, calories, BMI or size can harm readers with eating disorders",
          "leave the number out and describe the experience instead",
          "Weights, calories, BMI figures and clothing sizes invite comparison and can be used as targets.",
          ("kg", "kilo", "lb", "pound", "stone", *(f"{digit}st" for digit in range(10)), "calor", "cals", "kcal",
           "bmi", "size", "weight", "gw"),
          ("At my lowest I weighed 41 kg.", "I ate 500 cals a day.", "I followed a 1,200-calorie plan.",
           "My BMI was 15.", "My goal weight was 95 lbs.", "I got down to seven stone.", "I wanted to be a size zero.",
           "I was a size 2 by the summer.", "I dropped three dress sizes."),
          ("I ran 5 km before work.", "She wears a size 10 shoe.", "The ticket cost 20 pounds.",
           "I lift 20 kg dumbbells at the gym.", "The sample size was 120 people.",
           "BMI is a poor measure of health.", "Let's meet at the 2 pm session."),
          keep=_a_number_about_a_body,
          gate=r"\d\s*-?\s*st\b|\b(?:kgs?|kilos?|kilograms?|lbs?|pounds|stones?|calories|calorie|cals?|kcals?|bmi|"
               r"size|sizes|weight|u?gw)\b"),
    _rule("ed-before-after", r"\bbefore[- ]and[- ]after\b|\bbefore/after\b",
          "'{match}': before-and-after framing of bodies can harm readers with eating disorders",
          "describe recovery in words, not as a change in the body",
          "Before-and-after pictures and framing make a body the measure of recovery.", ("before",),
          ("Here are my before-and-after photos.",), ("Before and during recovery, I kept a journal.",)),
    _rule("ed-pro", r"\bpro[- ](?:ana|mia)\b|\bthinspo(?:ration)?\b|\bbonespo\b|\bmeanspo\b",
          "'{match}' names pro-eating-disorder content", "do not name or point to such content; write 'harmful content'",
          "Naming pro-eating-disorder content helps readers find it.", ("ana", "mia", "thinspo", "bonespo", "meanspo"),
          ("I used to follow pro-ana accounts.", "Thinspo filled my feed."), ("Ana and Mia are my sisters.",),
          gate=r"\b(?:pro|thinspo|bonespo|meanspo)"),
    _rule("ed-tips", r"\b(?:weight[- ]loss|diet(?:ing)?|fasting)\s+tips\b|\btips\s+(?:to|for)\s+(?:lose|losing)\s+weight\b",
          "'{match}': weight-loss tips are advised against", "talk about getting support, not about losing weight",
          "Tips on losing weight or dieting can be used as instructions.", ("tips",),
          ("No weight loss tips here.", "Her diet tips went viral."), ("Tips for sleeping better before exams.",)),
    _rule("ed-label", r"\b(?:anorexics|bulimics|an\s+anorexic|a\s+bulimic)\b",
          "'{match}' labels a person by their illness", "write 'a person with anorexia' (or bulimia)",
          "A person is not their illness.", ("anorexic", "bulimic"),
          ("She was an anorexic for years.",), ("Recovery from anorexia took years, and it was possible.",)),
)
RULES_BY_ID = {rule.id: rule for rule in SAFE_MESSAGING}


# -- what a text is about ------------------------------------------------------------------------

# Subjects that need a warning when a page's words are about them (the content-warning terms).
SUBJECTS = ("suicide", "self-harm", "eating-disorders")
# Words that mean a text is telling of the subject, whatever else it says: one is enough.
_STORY = {
    "suicide": r"\bdied\s+by\s+suicide\b|\bsuicide\s+attempts?\b|\battempted\s+suicide\b|\bsuicidal\s+(?:thoughts?|"
               r"feelings?|ideation|crisis|crises)\b|\bbeen\s+suicidal\b|\bfelt\s+suicidal\b|\blost\s+(?:\w+\s+){1,3}?to\s+"
               r"suicide\b|\bsuicide\s+loss\b|\b(?:took|take|taking|end(?:ed|ing)?)\s+(?:his|her|their|my)\s+own\s+life\b"
               r"|\b(?:wanted|want|wanting)\s+to\s+die\b|\bkill(?:ed|ing)?\s+(?:my|him|her|them)sel(?:f|ves)\b",
    "self-harm": r"\bself[- ]?harm\w*|\bself[- ]injur\w*|\b(?:cut|cutting|burn(?:ed|ing|t)?|hurt(?:ing)?)\s+"
                 r"(?:my|him|her|them)sel(?:f|ves)\b",
    "eating-disorders": r"\b(?:my|his|her|their|an?|the)\s+(?:eating[- ]disorders?|anorexia|bulimia)\b(?!\s+(?:charit|"
                        r"organi[sz]ation|helpline|service|support|awareness|week))|\b(?:recover(?:y|ed|ing)?\s+from|"
                        r"diagnosed\s+with|lived?\s+with|living\s+with|struggl\w+\s+with)\s+(?:an?\s+)?(?:eating[- ]"
                        r"disorders?|anorexia|bulimia|binge[- ]eating)\b|\bbinge[- ]eating\b|\bpurg(?:e|ed|ing)\b",
}
_STORY_RE = {subject: re.compile(pattern, re.IGNORECASE) for subject, pattern in _STORY.items()}
# Each subject's prefilter: words one of which its pattern needs, looked for in the lowercased
# text with line breaks as spaces (a phrase may break across lines).
_SELF = ("my", "him", "her", "them")
STORY_KEYS = {
    "suicide": ("suicid", "own life", "to die", "kill"),
    "self-harm": ("self-harm", "self harm", "selfharm", "self-injur", "self injur",
                  *(f"{verb} {who}" for verb in ("cut", "cutting", "burn", "burned", "burnt", "burning", "hurt", "hurting")
                    for who in _SELF)),
    "eating-disorders": ("eating disorder", "eating-disorder", "anorexi", "bulimi", "binge", "purg"),
}
# Each subject's prefilter as one search: a loop of `in` tests cost four times as much
# (measured at 10,000 creators).
_KEYS_RE = {subject: re.compile("|".join(map(re.escape, keys))) for subject, keys in STORY_KEYS.items()}


# Words that name a subject without telling of it: quoted ("we write "died by suicide""), a
# service ("support for people who have lost someone to suicide"), or one of a list of subjects
# ("pages about suicide, self-harm or eating disorders").
_QUOTED_BEFORE = re.compile(r"[\"'“‘`]$")
_SERVICE_BEFORE = re.compile(r"\b(?:for|to)\s+(?:people|those|anyone|families|someone|friends)\s+(?:\w+\s+){0,3}$"
                             r"|\b(?:support|help|services?|groups?|resources?|guidance|training)\s+(?:for|about|on)\s+(?:\w+\s+){0,3}$",
                             re.IGNORECASE)
_SUBJECT_NAME = r"(?:suicide|self[- ]harm|eating[- ]disorders?|anorexia|bulimia)"
_LISTED_BEFORE = re.compile(_SUBJECT_NAME + r"\s*(?:,\s*(?:(?:or|and)\s+)?|\s+(?:or|and)\s+)$", re.IGNORECASE)
_LISTED_AFTER = re.compile(r"^\s*(?:,\s*(?:(?:or|and)\s+)?|\s+(?:or|and)\s+)" + _SUBJECT_NAME, re.IGNORECASE)


def _names_only(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 60): match.start()]
    after = text[match.end(): match.end() + 30]
    return bool(_QUOTED_BEFORE.search(before) or _SERVICE_BEFORE.search(before)
                or _LISTED_BEFORE.search(before) or _LISTED_AFTER.search(after))


def told_subjects(text: str) -> dict[str, re.Match[str]]:
    """For each subject the text tells of (SUBJECTS), the first words that do."""
    flat = text.lower().replace("\n", " ")
    found = {}
    for subject, pattern in _STORY_RE.items():
        if not _KEYS_RE[subject].search(flat):
            continue
        match = next((m for m in pattern.finditer(text) if not _names_only(text, m)), None)
        if match is not None:
            found[subject] = match
    return found
