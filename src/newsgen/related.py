"""Related articles, found through the tag index: never by comparing every pair of articles.

For each article, the candidates are the articles that share a tag with it and came before
it: for each of its tags, the WINDOW articles of that tag published just before it. They are
ranked by the number of tags shared, then by how rare those tags are (a tag on few articles
says more than one on half the archive), then newest first. Pure: models in, models out.

Only earlier articles are related ("earlier coverage"): publishing a new article then never
changes the pages of the archive that came before it, which keeps a rebuild after adding one
article small; the new article's own page shows what came before.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Mapping, Sequence

from newsgen.models import Article

WINDOW = 30
"""Per tag, how many of the articles just before this one are considered."""


def related_articles(
    articles: Sequence[Article],
    by_tag: Mapping[str, Sequence[Article]],
    limit: int,
    window: int = WINDOW,
) -> dict[str, tuple[Article, ...]]:
    """Source path → up to LIMIT related articles, best first.

    ARTICLES is the whole archive newest first; BY_TAG each tag's articles, newest first.
    """
    if limit <= 0 or not articles:
        return {}
    total = len(articles)
    position = {id(a): i for i, a in enumerate(articles)}
    # Integer weights, so equal scores are exactly equal and ties break the same way always.
    weight = {
        key: round(1000 * math.log((total + 1) / len(members)))
        for key, members in by_tag.items()
        if members
    }
    places = {key: [position[id(a)] for a in members] for key, members in by_tag.items()}
    result: dict[str, tuple[Article, ...]] = {}
    for here, article in enumerate(articles):
        shared: dict[int, list[int]] = {}
        for tag in article.tags:
            members, spots = by_tag.get(tag.key, ()), places.get(tag.key, [])
            start = bisect.bisect_right(spots, here)  # members after this one: older
            for other in members[start : start + window]:
                score = shared.setdefault(position[id(other)], [0, 0])
                score[0] += 1
                score[1] += weight[tag.key]
        if shared:
            best = heapq.nsmallest(limit, shared.items(), key=lambda s: (-s[1][0], -s[1][1], s[0]))
            result[str(article.source)] = tuple(articles[i] for i, _ in best)
    return result
