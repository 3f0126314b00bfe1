"""Related lists on the synthetic corpus, in process (issue 19): their time, and how many
lists change when one story is added.

Builds the prose corpus of N articles as newsgen models (no files, no build), then:
- times `related.related_articles` in CPU seconds of the process (steadier than the clock on
  a shared machine; median of interleaved rounds, the cyclic GC off as in a build), against
  another version of related.py when `--against FILE` is given;
- adds stories one at a time (even runs: newer than the rest; odd runs: at a random date,
  with the tags of a random corpus article) and counts the articles whose related list
  changed, and how many of those did not have the new story within the window in any tag
  they share with it (the changes a tag's rarity makes);
- with `--pages DIR`, instead: writes the like-for-like site of `run.py compare` (with
  `related: 5`) into DIR, builds it, adds one story (the three most common tags, newer than
  the rest), builds again and counts the files written, by kind (docs/speed.md's first table;
  run it on a checkout of the older code for the "before" row).

    .venv/bin/python benchmarks/related_churn.py -n 10000 --rounds 7 --adds 40
    .venv/bin/python benchmarks/related_churn.py -n 10000 --pages benchmarks/.work/churn
    git show 72a1eef:src/newsgen/related.py > benchmarks/.work/old_related.py  # before issue 19
    .venv/bin/python benchmarks/related_churn.py --against benchmarks/.work/old_related.py
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import importlib.util
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

import corpus
import sites
from markupsafe import Markup

from newsgen import related
from newsgen.build import build
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


def digests(out: Path) -> dict[str, str]:
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in out.rglob("*")
        if path.is_file()
    }


def pages(n: int, folder: Path) -> None:
    """Build the site, add one story, build again: the files the second build writes."""
    site = sites.emit("newsgen", list(corpus.generate(n)), folder)
    config = site / "newsgen.yaml"
    config.write_text(config.read_text().replace("related: 0", "related: 5"))
    build(site)
    before = digests(site / "build")
    story = corpus.added_article(n, "prose", corpus.DEFAULT_SEED, 0)
    story = dataclasses.replace(story, tags=tuple(corpus.tag_names()[:3]))
    sites.write_article("newsgen", site, story)
    report = build(site)
    after = digests(site / "build")
    added = sorted(set(after) - set(before))
    changed = sorted(k for k in before if k in after and before[k] != after[k])
    # Article pages are at /{year}/{month}/{day}/{slug}/ (the default permalink).
    articles = [k for k in changed if k[:4].isdigit() and k.count("/") == 4]
    print(
        f"{n} articles, one story added: {report.written} files written (the build's count), "
        f"{len(added)} new, {len(changed)} changed: {len(articles)} article pages, "
        f"{len(changed) - len(articles)} listings, feeds and the rest"
    )
    for rel in articles:
        print("  article page:", rel)


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
    parser.add_argument("--pages", type=Path, help="a folder to build the site in (replaced)")
    args = parser.parse_args()
    if args.pages:
        pages(args.n, args.pages)
        return
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
            started = time.process_time()
            version.related_articles(ordered, by_tag, 5, window)
            times[name].append(time.process_time() - started)
    gc.enable()
    for name, taken in times.items():
        median, rounds = statistics.median(taken), ", ".join(f"{t:.2f}" for t in taken)
        print(f"{name}: related lists of {args.n} articles: median {median:.2f} s CPU ({rounds})")
    for name, (version, window, both_ways) in versions.items() if args.adds else ():
        print(f"{name}, one story added at a time, {args.adds} times:")
        churn(version, articles, window, both_ways, args.adds)


if __name__ == "__main__":
    main()
