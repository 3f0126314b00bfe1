"""What is published at a moment: scheduled, embargoed and expired articles, decided here.

A build publishes for one *now*: `--now` when given, else the wall clock, read in
`wall_clock` and nowhere else, and only to decide what is published (it never appears in the
output). An article is scheduled while its publication time (`publish_at`, else `date`) is
after now, and expired once `expires` is at or before now (or at or before its publication
time: then it is never published); neither is published. What the
site shows changes again at `next_change`, which the build records so that a build at or
after it is not taken for one with nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from newsgen.fields import parse_date_string
from newsgen.models import Article, Held

SCHEDULED = "scheduled"
EXPIRED = "expired"
CORRECTION = "correction"
"""A correction dated after now, of an article that is published: it waits for its time."""

NEWS_WINDOW = timedelta(days=2)
"""Google News lists articles of the last two days, counted back from now."""

NOW_EXAMPLE = "2027-01-01T09:00, 2027-01-01 09:00+01:00 or 2027-01-01T08:00Z"


def wall_clock() -> datetime:
    """The current time: the one place newsgen reads the clock (when `--now` is not given)."""
    return datetime.now(UTC)


def read_now(text: str) -> datetime | None:
    """`--now` as written: an ISO 8601 date and time, with `Z` or an offset, or without
    one (then read in the site's zone, as article dates are: `in_zone`); None if unusable."""
    value = parse_date_string(text.strip())
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    return None


def in_zone(now: datetime, zone: ZoneInfo) -> datetime:
    """NOW as an instant, in UTC: one without an offset is read in the site's zone ZONE.

    In UTC, not in ZONE: Python compares and subtracts two times of one zone by their
    clock hands, and the stories' times are in the site's zone, so a now in it would be
    compared by the hands in the hour the clocks skip or repeat."""
    return (now if now.tzinfo is not None else now.replace(tzinfo=zone)).astimezone(UTC)


def publication(article: Article) -> datetime:
    """When ARTICLE goes out: its embargo, else its date."""
    return article.publish_at or article.date


def never_published(article: Article) -> bool:
    """ARTICLE is taken down at or before its publication: it is never published (Hugo's
    rule; the loader warns at its line), and is held back as one taken down is, at every
    now and under `--future` too."""
    expires = article.expires
    return expires is not None and expires.astimezone(UTC) <= publication(article).astimezone(UTC)


def state(article: Article, now: datetime) -> str:
    """'expired', 'scheduled' or '' (published) at NOW."""
    if article.expires is not None and (article.expires <= now or never_published(article)):
        return EXPIRED
    if publication(article) > now:
        return SCHEDULED
    return ""


def held_back(articles: Iterable[Article], now: datetime) -> list[Held]:
    """The articles not published at NOW, the soonest to be published first, then the
    expired ones, the latest taken down first."""
    scheduled: list[Held] = []
    expired: list[Held] = []
    for article in articles:
        if article.draft:
            continue  # a draft is held back by its own flag, whatever its dates
        found = state(article, now)
        if found == SCHEDULED:
            scheduled.append(Held(article.source, SCHEDULED, publication(article)))
        elif found == EXPIRED and article.expires is not None:
            expired.append(Held(article.source, EXPIRED, article.expires))
    scheduled.sort(key=lambda h: (h.when, str(h.source)))
    expired.sort(key=lambda h: (-h.when.timestamp(), str(h.source)))
    return [*scheduled, *expired]


def corrections_waiting(
    articles: Iterable[Article], now: datetime, *, drafts: bool = False
) -> list[Held]:
    """The corrections of ARTICLES dated after NOW, the soonest first: each waits for its
    time (a date mistyped a year ahead shows here, in every build's summary). A draft's
    count only when DRAFTS are shown (`--drafts`)."""
    found = [
        Held(a.source, CORRECTION, c.date)
        for a in articles
        if drafts or not a.draft
        for c in a.corrections
        if c.date > now
    ]
    found.sort(key=lambda h: (h.when, str(h.source)))
    return found


def next_change(
    articles: Sequence[Article],
    now: datetime,
    zone: ZoneInfo,
    *,
    news: bool,
    day: bool,
    drafts: bool = False,
) -> datetime | None:
    """The first moment after NOW at which what the site shows changes: an article's
    publication or expiry, a correction's time, its `updated` date (warned of until then),
    one leaving the news sitemap's window (NEWS), or the next day in the site's zone ZONE
    (DAY: the front page's "today"). None when nothing is due. DRAFTS: drafts are shown
    (`--drafts`), whatever their dates, so their times count too."""
    moments: list[datetime] = []
    for article in articles:
        if article.draft and not drafts:
            continue  # never shown: nothing about it ever changes the site
        if not article.draft and never_published(article):
            continue  # never shown either (a draft is shown by --drafts all the same)
        moments += [t for t in (publication(article), article.expires) if t is not None]
        moments += [c.date for c in article.corrections]  # one made later waits for it
        if article.updated is not None:  # no longer 'still to come' (site._updated_later)
            moments.append(article.updated)
        if news:  # 48 hours, not two days by the clock's hands (in_news_window)
            moments += _later(publication(article).astimezone(UTC), NEWS_WINDOW)
    if day:
        moments += _later(start_of_day(now, zone), timedelta(days=1))
    later = [t for t in moments if t > now]
    return min(later).astimezone(UTC) if later else None


def _later(when: datetime, delta: timedelta) -> list[datetime]:
    """[WHEN + DELTA], or none past the last moment a date can hold (year 9999)."""
    try:
        return [(when + delta).astimezone(UTC)]
    except (OverflowError, ValueError):
        return []


def start_of_day(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight of NOW's day in ZONE (the first moment of that day, where a zone skips it)."""
    try:
        local = now.astimezone(zone)
    except (OverflowError, ValueError):
        local = now  # at the very edge of the calendar: its own day
    return datetime.combine(local.date(), time(0), local.tzinfo)


def in_news_window(articles: Sequence[Article], now: datetime, limit: int) -> list[Article]:
    """The articles that came out within two days before NOW, the latest out first, at most
    LIMIT: counted from their publication (an embargoed story is news when it comes out,
    whatever the date it shows)."""
    recent = [a for a in articles if timedelta(0) <= now - publication(a) <= NEWS_WINDOW]
    return sorted(recent, key=publication, reverse=True)[:limit]


def shown_time(when: datetime, zone: ZoneInfo) -> str:
    """A moment as a journalist reads it: in the site's zone, with the zone's name."""
    local = when.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or zone.key}"


def summary_lines(held: Sequence[Held], zone: ZoneInfo) -> list[str]:
    """What a build held back, in a line or two: 'Scheduled: 2 articles (next: … at …)'."""
    lines = []
    scheduled = [h for h in held if h.state == SCHEDULED]
    expired = [h for h in held if h.state == EXPIRED]
    if scheduled:
        first = scheduled[0]
        lines.append(
            f"Scheduled: {_count(len(scheduled), 'article')} not published yet"
            f" (next: {first.source} at {shown_time(first.when, zone)})"
        )
    if expired:
        last = expired[0]
        lines.append(
            f"Expired: {_count(len(expired), 'article')} taken down"
            f" (latest: {last.source} at {shown_time(last.when, zone)})"
        )
    if waiting := [h for h in held if h.state == CORRECTION]:
        first = waiting[0]
        lines.append(
            f"Corrections: {_count(len(waiting), 'correction')} dated later, not shown yet"
            f" (next: {first.source}, dated {shown_time(first.when, zone)})"
        )
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
