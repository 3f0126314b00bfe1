"""Related lists on the synthetic corpus, in process (issue 19): their time, and how many
lists change when one story is added.

Builds the prose corpus of N articles as newsgen models (no files, no build), then:
- times `related.related_articles` (median of interleaved rounds, the cyclic GC off as in a
  build), against another version of related.py when `--against FILE` is given;
- adds stories one at a time (even runs: newer than the rest; odd runs: at a random date,
  with the tags of a random corpus article) and counts the articles whose related list
  changed, and how many of those did not have the new story within the window in any tag
  they share with it (the changes a tag's rarity makes).

    .venv/bin/python benchmarks/related_churn.py -n 10000 --rounds 7 --adds 40
    git show 72a1eef:src/newsgen/related.py > benchmarks/.work/old_related.py  # before issue 19
    .venv/bin/python benchmarks/related_churn.py --against benchmarks/.work/old_related.py
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import statistics
import time
from datetime import timedelta
from pathlib import PurePosixPath
from types import ModuleType
from typing import Any

import corpus
from markupsafe import Markup

from newsgen import related
from newsgen.models import Article, Tag
from newsgen.site import _newest_first


def model(name: str, when: Any, tags: tuple[str, ...]) -> Article:
    return Article(
        source=PurePosixPath(f"articles/{name}.md"),
        title=name,
        date=when,
        slug=name,
        url=f"{name}/",
        body_html=Markup(""),
        summary="",
        tags=tuple(Tag(t.casefold(), t, t.casefold()) for t in tags),
    )


def index(articles: list[Article]) -> tuple[list[Article], dict[str, list[Article]]]:
    ordered = _newest_first(articles)
    by_tag: dict[str, list[Article]] = {}
    for article in ordered:
        for tag in article.tags:
            by_tag.setdefault(tag.key, []).append(article)
    return ordered, by_tag


def lists(version: ModuleType, articles: list[Article], window: int) -> dict[str, list[str]]:
    ordered, by_tag = index(articles)
    found = version.related_articles(ordered, by_tag, 5, window)
    return {key: [str(a.source) for a in value] for key, value in found.items()}


def churn(
    version: ModuleType, articles: list[Article], window: int, both_ways: bool, adds: int
) -> None:
    rng = random.Random(19)
    before = lists(version, articles, window)
    newest, oldest = max(a.date for a in articles), min(a.date for a in articles)
    rows: dict[str, list[tuple[int, int]]] = {"newest": [], "dated": []}
    for run in range(adds):
        kind = "newest" if run % 2 == 0 else "dated"
        when = (
            newest + timedelta(hours=1)
            if kind == "newest"
            else oldest + (newest - oldest) * rng.random()
        )
        story = model(f"added-{run}", when, tuple(t.name for t in rng.choice(articles).tags))
        after = lists(version, [*articles, story], window)
        changed = [
            k for k in {*before, *after} if k != str(story.source) and before.get(k) != after.get(k)
        ]
        _, by_tag = index([*articles, story])
        place = {key: {id(a): i for i, a in enumerate(members)} for key, members in by_tag.items()}
        mine = {t.key for t in story.tags}
        source = {str(a.source): a for a in articles}
        outside = 0
        for key in changed:
            # Newest first: a positive distance is a story after (older than) this one.
            distances = [
                place[t.key][id(story)] - place[t.key][id(source[key])]
                for t in source[key].tags
                if t.key in mine
            ]
            near = [abs(d) <= window if both_ways else 0 < d <= window for d in distances]
            outside += not any(near)
        rows[kind].append((len(changed), outside))
    for kind, found in rows.items():
        counts = [c for c, _ in found]
        print(
            f"{kind:6} story: lists changed median {statistics.median(counts)}, max {max(counts)}; "
            f"outside the window {sum(o for _, o in found)} in all, max {max(o for _, o in found)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--adds", type=int, default=40)
    parser.add_argument("--window", type=int, default=15)
    parser.add_argument(
        "--against",
        help="another related.py to time and count beside this one, drawing from earlier "
        "stories only (as before issue 19)",
    )
    parser.add_argument("--against-window", type=int, default=30)
    args = parser.parse_args()
    articles = [model(a.slug, a.date, a.tags) for a in corpus.generate(args.n)]
    versions: dict[str, tuple[ModuleType, int, bool]] = {"this": (related, args.window, True)}
    if args.against:
        spec = importlib.util.spec_from_file_location("against", args.against)
        assert spec and spec.loader
        other = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(other)
        versions["against"] = (other, args.against_window, False)
    ordered, by_tag = index(articles)
    times: dict[str, list[float]] = {name: [] for name in versions}
    gc.disable()
    for _ in range(args.rounds):
        for name, (version, window, _) in versions.items():
            started = time.perf_counter()
            version.related_articles(ordered, by_tag, 5, window)
            times[name].append(time.perf_counter() - started)
    gc.enable()
    for name, taken in times.items():
        median, rounds = statistics.median(taken), ", ".join(f"{t:.2f}" for t in taken)
        print(f"{name}: related lists of {args.n} articles: median {median:.2f} s ({rounds})")
    for name, (version, window, both_ways) in versions.items() if args.adds else ():
        print(f"{name}, one story added at a time, {args.adds} times:")
        churn(version, articles, window, both_ways, args.adds)


if __name__ == "__main__":
    main()
