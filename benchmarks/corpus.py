"""A deterministic, synthetic news corpus for benchmarking static site generators.

Every article is made from its own RNG, seeded with ``(seed, index)``, so the same N and seed
always give byte-identical articles, and an article does not change when N grows except for
its date (dates are spread evenly over 20 years whatever N is). All text is made from the
built-in vocabulary below: nothing is copied from real articles, and every link points at a
reserved example domain.

Two variants:

- ``prose``: 600-900 words of Markdown per article (paragraphs, ``##`` subheadings, lists,
  emphasis, a few links, an occasional blockquote), like a news story.
- ``links``: a weekly links digest, where most lines are bullets of ``[title](https://...)``
  links, to measure what link-dense bodies cost per byte compared with prose.

``sites.py`` writes it as one site per tool (run it as a script); this module imports nothing
of the benchmarks.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DEFAULT_SEED = 20261128
TAG_COUNT = 300
AUTHOR_COUNT = 50
START = datetime(2006, 1, 1, 6, 0, tzinfo=UTC)
SPAN = timedelta(days=365 * 20 + 5)
VARIANTS = ("prose", "links")


def words(text: str) -> list[str]:
    """The vocabulary is kept as running text, which is easier to read and extend."""
    return text.split()


NOUNS = words(
    """
council harbour ferry quay budget school library museum market bridge road station tram
river festival report survey plan policy fund grant lease contract tender vote motion ward
committee mayor officer warden trustee union crew fleet dock berth pier beacon lighthouse
storm tide flood wall dune marsh estuary cliff meadow orchard garden allotment park square
street lane terrace cottage mill barn quarry forge bakery dairy brewery cinema theatre hall
chapel clinic surgery hospital ambulance lifeboat coastguard police court tribunal inquiry
audit deficit surplus levy tariff fare ticket timetable route depot garage workshop factory
warehouse office archive record ledger minute agenda petition campaign protest strike ballot
candidate election turnout result count seat majority coalition cabinet portfolio scheme
project phase milestone deadline delay closure opening repair upgrade extension survey
sample study trial pilot review forecast estimate figure rate index price wage pension
tenant landlord resident neighbour visitor volunteer student teacher pupil parent nurse
doctor farmer fisher builder engineer architect planner surveyor inspector auditor clerk
chair editor reporter photographer historian curator librarian musician painter poet
season harvest catch quota licence permit notice warning alert forecast outage shortage
supply demand queue backlog waiting list shelter housing estate development site plot
"""
)

ADJECTIVES = words(
    """
new old local regional coastal northern southern eastern western upper lower central
temporary permanent annual seasonal weekly monthly public private independent joint
unexpected careful cautious bold modest ambitious narrow broad sharp steady gradual sudden
early late final initial second third additional revised delayed approved rejected disputed
popular contested urgent routine formal informal quiet busy crowded empty wet dry windy
bright grey historic modern rural urban maritime municipal voluntary statutory detailed
brief lengthy heated calm frank open closed shared separate rising falling stable fragile
"""
)

VERBS = words(
    """
approved rejected delayed announced confirmed questioned welcomed criticised reviewed
published proposed funded reopened closed extended repaired inspected surveyed recorded
praised challenged debated postponed accepted cancelled launched completed started planned
measured counted estimated doubled halved raised lowered blocked cleared restored replaced
"""
)

ADVERBS = words(
    """
quietly quickly slowly finally again recently formally briefly narrowly firmly openly
carefully reluctantly unanimously partly largely mostly initially eventually
"""
)

PLACES = words(
    """
Merrowcombe Polwenna Tregarrick Halsbury Kestlemouth Boscawen Lanreath Penhallow Trewin
Carnmore Eastbrook Westhaven Saltcote Fernleigh Rosemullion Hollowmere Brackenford Dunmere
"""
)

FIRST_SYLLABLES = words("Ta Ro Ke Mi Lo Sa De Ne Ha Jo Be Fe Ca Wi Ma Ru Ela Ori Ise Amo")
SECOND_SYLLABLES = words("mara lin sen vik dra nor bel tis gan rel")
SURNAME_ROOTS = words("Pen Tre Pol Car Ros Bos Lan Kes Hal Tor")
SURNAME_TAILS = words("hallow wick garrow dennick mellin vose thorne kellow")

LINK_HOSTS = ("example.org", "example.com", "example.net")
CONNECTORS = ("and", "but", "while", "because", "although", "after", "before", "so")
PREPOSITIONS = ("at", "near", "beside", "beyond", "behind", "above", "below", "around")


@dataclass(frozen=True, slots=True)
class Article:
    """One synthetic article, independent of the tool it is written out for."""

    index: int
    """Position in the corpus, 0-based; articles are in date order."""
    slug: str
    """URL slug, unique in the corpus; also the file name after the date prefix."""
    title: str
    """Plain ASCII words, no characters that need quoting in any front-matter dialect."""
    date: datetime
    """UTC, distinct for every article, so every tool sorts them the same way."""
    tags: tuple[str, ...]
    """Display names, 1-5, drawn Zipf-like from the shared tag list."""
    authors: tuple[str, ...]
    """1-2 names from the shared author list."""
    body: str
    """Markdown, ending with one newline."""


def tag_names(seed: int = DEFAULT_SEED) -> list[str]:
    """Return TAG_COUNT distinct two-word tag names, most popular first.

    Two-word names made only of letters slugify the same way in newsgen, Pelican and Hugo,
    so tag URLs, and therefore tag page counts, match across the tools.
    """
    rng = random.Random(f"{seed}:tags")
    words = [w.capitalize() for w in sorted(set(NOUNS + ADJECTIVES))]
    pairs = [f"{a} {b}" for a, b in itertools.permutations(words, 2)]
    return rng.sample(pairs, TAG_COUNT)


def author_names(seed: int = DEFAULT_SEED) -> list[str]:
    """Return AUTHOR_COUNT distinct invented names (first name, surname)."""
    rng = random.Random(f"{seed}:authors")
    names: list[str] = []
    while len(names) < AUTHOR_COUNT:
        first = rng.choice(FIRST_SYLLABLES) + rng.choice(SECOND_SYLLABLES)
        last = rng.choice(SURNAME_ROOTS) + rng.choice(SURNAME_TAILS)
        name = f"{first} {last}"
        if name not in names:
            names.append(name)
    return names


def zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    """Weights proportional to 1/rank**exponent: a few tags are everywhere, most are rare."""
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


class Writer:
    """Makes sentences, paragraphs and bodies from one article's RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def noun_phrase(self) -> str:
        """'the <adjective> <noun>' or a place's noun, for variety."""
        rng = self.rng
        if rng.random() < 0.15:
            return f"the {rng.choice(PLACES)} {rng.choice(NOUNS)}"
        if rng.random() < 0.5:
            return f"the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
        return f"the {rng.choice(NOUNS)}"

    def clause(self) -> str:
        """Subject, verb, object and sometimes a place or an adverb."""
        rng = self.rng
        words = [self.noun_phrase(), rng.choice(VERBS), self.noun_phrase()]
        if rng.random() < 0.4:
            words.insert(1, rng.choice(ADVERBS))
        if rng.random() < 0.35:
            words.append(f"{rng.choice(PREPOSITIONS)} {rng.choice(PLACES)}")
        return " ".join(words)

    def sentence(self, *, links: bool = True) -> str:
        """One or two clauses, with occasional emphasis and, rarely, an inline link."""
        rng = self.rng
        text = self.clause()
        if rng.random() < 0.45:
            text += f", {rng.choice(CONNECTORS)} {self.clause()}"
        words = text.split(" ")
        words[0] = upper_first(words[0])
        roll = rng.random()
        if roll < 0.08:
            i = rng.randrange(len(words))
            words[i] = f"*{words[i]}*"
        elif roll < 0.12:
            i = rng.randrange(len(words))
            words[i] = f"**{words[i]}**"
        elif links and roll < 0.16 and len(words) > 3:
            i = rng.randrange(len(words) - 2)
            words[i : i + 2] = [f"[{words[i]} {words[i + 1]}]({self.url()})"]
        return " ".join(words) + "."

    def paragraph(self) -> str:
        """Three to six sentences."""
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))

    def heading(self) -> str:
        """A short '##' subheading."""
        rng = self.rng
        return f"## {rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} {rng.choice(NOUNS)}"

    def bullet_list(self) -> str:
        """Three to six short bullets, sometimes numbered."""
        rng = self.rng
        numbered = rng.random() < 0.3
        items = [upper_first(self.clause()) for _ in range(rng.randint(3, 6))]
        marks = [f"{i}." for i in range(1, len(items) + 1)] if numbered else ["-"] * len(items)
        return "\n".join(f"{m} {item}" for m, item in zip(marks, items, strict=True))

    def quote(self) -> str:
        """A one-sentence blockquote, as a quoted official would give."""
        return f"> {self.sentence(links=False)}"

    def url(self) -> str:
        """A link target on a reserved example domain."""
        rng = self.rng
        path = "-".join(rng.choice(NOUNS) for _ in range(rng.randint(2, 4)))
        return f"https://{rng.choice(LINK_HOSTS)}/{rng.randint(2006, 2025)}/{path}"

    def link_item(self) -> str:
        """A digest bullet: a linked title and a short comment."""
        rng = self.rng
        title = " ".join(rng.choice(NOUNS + ADJECTIVES) for _ in range(rng.randint(3, 7)))
        comment = self.clause()
        return f"- [{upper_first(title)}]({self.url()}) - {comment}."

    def prose_body(self) -> str:
        """600-900 words: a lead, then sections with paragraphs, lists and a quote."""
        rng = self.rng
        target = rng.randint(600, 900)
        blocks = [self.paragraph(), self.paragraph()]
        count = sum(len(b.split()) for b in blocks)
        while count < target:
            roll = rng.random()
            if roll < 0.18:
                block = self.heading()
            elif roll < 0.30:
                block = self.bullet_list()
            elif roll < 0.36:
                block = self.quote()
            else:
                block = self.paragraph()
            blocks.append(block)
            count += len(block.split())
        return finish(blocks, count)

    def links_body(self) -> str:
        """A links digest of about the same word count: a short intro, then link bullets."""
        rng = self.rng
        target = rng.randint(600, 900)
        blocks = [self.paragraph()]
        count = len(blocks[0].split())
        while count < target:
            items = [self.link_item() for _ in range(rng.randint(6, 12))]
            block = self.heading() + "\n\n" + "\n".join(items)
            blocks.append(block)
            count += len(block.split())
        return finish(blocks, count)

    def title(self) -> str:
        """Five to nine words, capitalised like a headline."""
        rng = self.rng
        words = [rng.choice(PLACES), *self.clause().split(" ")[1:]]
        words = [w for w in words if w != "the"][: rng.randint(5, 9)]
        return " ".join(w.capitalize() if w.islower() else w for w in words)


def upper_first(text: str) -> str:
    """Capitalise the first letter only, leaving place names as they are."""
    return text[:1].upper() + text[1:]


def finish(blocks: list[str], count: int) -> str:
    """Join blocks into a body, dropping a last block that overshoots 900 words."""
    last = len(blocks[-1].split())
    if count > 900 and count - last >= 600:
        blocks = blocks[:-1]
    return "\n\n".join(blocks) + "\n"


def slugify(title: str) -> str:
    """Lowercase words joined by hyphens; titles hold only ASCII letters and spaces."""
    return "-".join(title.lower().split())


def make_article(
    index: int, date: datetime, variant: str, seed: int, tags: Sequence[str], authors: Sequence[str]
) -> Article:
    """Build article number `index` from its own RNG; the slug is made unique by the caller."""
    rng = random.Random(f"{seed}:{variant}:{index}")
    writer = Writer(rng)
    title = writer.title()
    chosen: list[str] = []
    weights = zipf_weights(len(tags))
    for _ in range(rng.randint(1, 5)):
        tag = rng.choices(tags, weights=weights)[0]
        if tag not in chosen:
            chosen.append(tag)
    names = rng.sample(list(authors), 2 if rng.random() < 0.25 else 1)
    body = writer.prose_body() if variant == "prose" else writer.links_body()
    return Article(index, slugify(title), title, date, tuple(chosen), tuple(names), body)


def generate(n: int, variant: str = "prose", seed: int = DEFAULT_SEED) -> Iterator[Article]:
    """Yield n articles in date order, with dates spread evenly over 20 years."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}")
    tags, authors = tag_names(seed), author_names(seed)
    step = SPAN / max(n, 1)
    seen: set[str] = set()
    for index in range(n):
        # Whole minutes keep every tool's date parser happy; the step keeps dates distinct.
        date = (START + step * index).replace(second=0, microsecond=0)
        article = make_article(index, date, variant, seed, tags, authors)
        slug = article.slug
        suffix = 2
        while slug in seen:
            slug = f"{article.slug}-{suffix}"
            suffix += 1
        seen.add(slug)
        if slug != article.slug:
            article = Article(
                index, slug, article.title, date, article.tags, article.authors, article.body
            )
        yield article


def added_article(n: int, variant: str, seed: int, run: int) -> Article:
    """The article the 'one-article add' scenario writes: newer than every corpus article.

    Its slug carries the run number, so no two runs add the same URL.
    """
    tags, authors = tag_names(seed), author_names(seed)
    base = make_article(n + run, START + SPAN + timedelta(days=1), variant, seed, tags, authors)
    return Article(
        base.index,
        f"added-{run}-{base.slug}",
        base.title,
        base.date + timedelta(minutes=run),
        base.tags,
        base.authors,
        base.body,
    )


def edit_paragraph(run: int, seed: int = DEFAULT_SEED) -> str:
    """A paragraph appended to one article in the 'one-article edit' scenario, new each run."""
    return Writer(random.Random(f"{seed}:edit:{run}")).paragraph()
