"""What an import did: counts for the summary line and warnings for stderr."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

_PLURALS = {"entry": "entries", "entry without a date": "entries without a date"}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun if number == 1 else _PLURALS.get(noun, noun + 's')}"


def _counts(pairs: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(_count(number, noun) for noun, number in pairs)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The outcome of one `newsgen import`: what was written, skipped and left behind."""

    site: str
    """The site directory as the user named it."""
    articles: int = 0
    """Article files written by this run."""
    drafts: int = 0
    """How many of those articles are drafts."""
    pages: int = 0
    """Page files written by this run (WordPress pages)."""
    page_drafts: int = 0
    """How many of those pages are drafts."""
    already_there: int = 0
    """Items whose target file existed: left as they were, never overwritten."""
    skipped: tuple[tuple[str, int], ...] = ()
    """Items dropped on purpose, as (singular noun, count): ("trashed item", 2)."""
    not_imported: tuple[tuple[str, int], ...] = ()
    """Content the importer does not turn into files, as (singular noun, count)."""
    no_alias: int = 0
    """Old links that were only a query (/?p=123): no redirect page can serve them."""
    written: tuple[PurePosixPath, ...] = ()
    """The files this run created, relative to the site."""
    warnings: tuple[str, ...] = ()
    """Lines of the form PATH[:LINE]: warning: message."""

    def summary(self) -> str:
        """One line (two when some old links cannot get a redirect)."""
        what = _count(self.articles, "article")
        if self.drafts:
            what += f" ({_count(self.drafts, 'draft')})"
        if self.pages:
            what += f" and {_count(self.pages, 'page')}"
            if self.page_drafts:
                what += f" ({_count(self.page_drafts, 'draft')})"
        parts = [f"Imported {what} into {self.site}"]
        if self.skipped:
            parts.append(f"skipped {_counts(self.skipped)}")
        if self.not_imported:
            parts.append(f"not imported: {_counts(self.not_imported)}")
        parts.append(f"{self.already_there} already there.")
        text = "; ".join(parts)
        if self.no_alias:
            links = _count(self.no_alias, "old link")
            text += (
                f"\n{links} had only a query (such as /?p=123) and got no alias:"
                " static pages cannot redirect a query."
            )
        return text


@dataclass
class Tally:
    """The mutable counters an importer fills in as it goes, then freezes into a report."""

    site_root: Path
    articles: int = 0
    drafts: int = 0
    pages: int = 0
    page_drafts: int = 0
    already_there: int = 0
    no_alias: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    not_imported: Counter[str] = field(default_factory=Counter)
    written: list[PurePosixPath] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def warn(self, path: Path | PurePosixPath | str, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line else f"{path}"
        self.warnings.append(f"{where}: warning: {message}")

    def freeze(self, first: tuple[str, ...] = (), last: tuple[str, ...] = ()) -> ImportReport:
        """The report: kinds not imported in the order FIRST, the others by name, then LAST."""
        kinds = {k for k, n in self.not_imported.items() if n}
        middle = sorted(kinds - set(first) - set(last))
        order = [k for k in first if k in kinds] + middle + [k for k in last if k in kinds]
        return ImportReport(
            site=str(self.site_root),
            articles=self.articles,
            drafts=self.drafts,
            pages=self.pages,
            page_drafts=self.page_drafts,
            already_there=self.already_there,
            skipped=tuple(sorted(self.skipped.items())),
            not_imported=tuple((k, self.not_imported[k]) for k in order),
            no_alias=self.no_alias,
            written=tuple(self.written),
            warnings=tuple(self.warnings),
        )
