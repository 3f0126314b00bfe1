"""Previous/next article links for the benchmark's Pelican theme.

newsgen's and Hugo's article pages link to the neighbouring articles; Pelican needs a plugin
for that (the community `neighbors` plugin does the same), so this one sets the two attributes
in one pass, which is what a real Pelican site would pay.
"""

from pelican import signals


def set_neighbors(generator: object) -> None:
    """Give each article `prev_article` (older) and `next_article` (newer)."""
    articles = generator.articles  # newest first
    for i, article in enumerate(articles):
        article.prev_article = articles[i + 1] if i + 1 < len(articles) else None
        article.next_article = articles[i - 1] if i > 0 else None


def register() -> None:
    """Pelican's plugin entry point."""
    signals.article_generator_finalized.connect(set_neighbors)
