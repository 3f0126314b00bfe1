"""Related articles, found through the tag index: never by comparing every pair of articles.

For each article, the candidates are the articles that share a tag with it and are near it in
that tag's timeline: for each of its tags, the WINDOW articles of that tag just before it and
the WINDOW just after it (the `related_window` setting). So an old story leads to its
follow-ups, and the first stories of a topic have related stories too. They are ranked by the
number of tags shared (all of them: a candidate found through one tag's window also counts a
tag in which more than WINDOW stories stand between them), then by how rare those tags are (a
tag on few articles says more than one on half the archive), then nearest in time first (the
later one first at equal distance).
Pure: models in, models out.

The window bounds what publishing one story changes: it enters only the candidates of the
articles within WINDOW of it in one of its tags' timelines, so at most 2 * WINDOW article
pages per tag of the new story can show a different list (WINDOW per tag when it is the
newest story, the usual case), whatever the size of the archive. Outside the window a list
can change only through rarity: when one of the story's tags becomes as common as another tag,
or more, the lists of articles carrying both may reorder, anywhere (docs/output.md).
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Mapping, Sequence

from newsgen.models import Article


def related_articles(
    articles: Sequence[Article],
    by_tag: Mapping[str, Sequence[Article]],
    limit: int,
    window: int,
) -> dict[str, tuple[Article, ...]]:
    """Source path → up to LIMIT related articles, best first.

    ARTICLES is the whole archive (of one edition) newest first; BY_TAG each tag's articles,
    newest first. The work is about len(ARTICLES) * tags per article * 2 * WINDOW.
    """
    if limit <= 0 or not articles:
        return {}
    position = {id(a): i for i, a in enumerate(articles)}
    # How common each tag is, as an integer, so equal scores are exactly equal and ties break
    # the same way always. log(size) alone, not log(archive / size): between candidates that
    # share as many tags the archive's size cancels out, and leaving it out keeps one more
    # article from changing every weight's rounding (and so lists all over the archive).
    commonness = {
        key: round(1000 * math.log(len(members))) for key, members in by_tag.items() if members
    }
    places = {key: [position[id(a)] for a in members] for key, members in by_tag.items()}
    keys = [frozenset(tag.key for tag in a.tags) for a in articles]
    seconds = [a.date.timestamp() for a in articles]
    result: dict[str, tuple[Article, ...]] = {}
    for here, article in enumerate(articles):
        # Spot → (minus the tags shared, how common they are): a candidate found through one
        # tag's window counts every tag it shares, also those in which other stories stand
        # between it and this one.
        shared: dict[int, tuple[int, int]] = {}
        mine = keys[here]
        for tag in article.tags:
            spots, weight = places.get(tag.key, []), commonness.get(tag.key, 0)
            at = bisect.bisect_left(spots, here)  # this article's place in the tag's timeline
            after = at + 1 if at < len(spots) and spots[at] == here else at
            for spot in spots[max(0, at - window) : at] + spots[after : after + window]:
                if spot in shared:
                    continue
                both = mine & keys[spot] if len(mine) > 1 else mine
                if len(both) == 1:
                    shared[spot] = (-1, weight)
                else:
                    shared[spot] = (-len(both), sum(commonness.get(key, 0) for key in both))
        if shared:
            when = seconds[here]
            ranked = [
                (fewer, common, abs(seconds[spot] - when), spot)
                for spot, (fewer, common) in shared.items()
            ]
            result[str(article.source)] = tuple(
                articles[spot] for *_, spot in heapq.nsmallest(limit, ranked)
            )
    return result
