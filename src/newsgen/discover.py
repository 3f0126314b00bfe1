"""Which files in articles/ and pages/ are articles, bundles, assets, or a word to the user.

Every file is accounted for: it is read as an article, published as a bundle asset, or
named in a warning (section files, other files, unreadable folders, broken links). A build
never publishes a site that silently lost part of its sources.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from newsgen.errors import ContentError, ContentWarning
from newsgen.fsutil import ARTICLES_DIR, Unusable, walk
from newsgen.urls import language_suffix

ARTICLE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".txt", ".html", ".htm")
UNSUPPORTED = {
    ".rst": "reStructuredText",
    ".org": "Org-mode",
    ".adoc": "AsciiDoc",
    ".asciidoc": "AsciiDoc",
    ".textile": "Textile",
    ".ipynb": "a Jupyter notebook",
}


_TRANSLATION = re.compile(r"\.([a-z]{2})(?:[-_][A-Za-z]{2,4})?\.[^.]+$")
_CODE = re.compile(r"[a-z]{2}(?:[-_][A-Za-z]{2,4})?")


ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi
    ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks
    ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
    vi vo wa wo xh yi yo za zh zu""".split()  # noqa: SIM905
)
"""Two-letter language codes: a `.xx` that is not one (`why-node.js.md`) is part of a name."""


def translation_of(path: Path, language: str) -> str | None:
    """The language of a Hugo translation file (`post.es.md`) other than the site's, or None.

    A name whose last part before the suffix is a language code is a translation only when
    the same article is there under another name too (`post.md`, `post.fr.md`): alone it is
    a name with a dot in it (`socket.io.md`, `trial-on-example.ca.md`), published under that
    name, as Hugo publishes a suffix that is not one of its languages."""
    name = path.name
    match = _TRANSLATION.search(name) if is_article_name(name) else None
    if match is None or match.group(1) == language.split("-")[0].lower():
        return None
    code = match.group(1)
    if code not in ISO_639_1:
        return None
    stem = name[: match.start()]
    try:
        others = [p.name for p in path.parent.iterdir() if p != path]
    except OSError:
        return None
    if not any(_other_version(o, stem) for o in others):
        return None
    return code


def _other_version(name: str, stem: str) -> bool:
    """Whether NAME is STEM's article in another language: `stem.md`, `stem.fr.md`
    (not `stem.com-outage.md`)."""
    if not (name.startswith(stem + ".") and is_article_name(name)):
        return False
    middle = name[len(stem) + 1 :].rpartition(".")[0]
    return not middle or _CODE.fullmatch(middle) is not None


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One article or page file to load, with its bundle when it is a bundle's index."""

    path: Path
    rel: PurePosixPath
    """Relative to the site root; used in every message."""
    bundle: PurePosixPath | None = None
    """The bundle folder, relative to the site root."""
    assets: tuple[PurePosixPath, ...] = ()
    """The bundle's other files, relative to the bundle folder."""


@dataclass(slots=True)
class Discovery:
    sources: list[SourceFile] = field(default_factory=list)
    problems: list[ContentError] = field(default_factory=list)
    sections: list[SourceFile] = field(default_factory=list)
    """`_index` files of folders under articles/ (Hugo's and Zola's section files): each
    describes the section of its folder."""


def is_article_name(name: str) -> bool:
    return name.lower().endswith(ARTICLE_SUFFIXES)


def _rel(path: Path, site_root: Path) -> PurePosixPath:
    return PurePosixPath(path.relative_to(site_root).as_posix())


def discover(
    site_root: Path, folder: str, language: str = "en", languages: Sequence[str] = ()
) -> Discovery:
    """Classify every file under SITE/FOLDER. A missing folder is an empty one.

    A folder that holds `index.<article suffix>` is a page bundle: the index is the article,
    every other file under the folder is an asset; in a site of several LANGUAGES, each
    language's index (`index.ja.md`) is an article of the bundle. `_index.*` is a Hugo/Zola
    section file. Hugo translations in a language other than the site's (`index.es.md`) and
    not among its LANGUAGES are named, not read.
    """
    found = Discovery()
    root = site_root / folder
    if not root.exists() and not root.is_symlink():
        return found
    if not root.is_dir():
        found.problems.append(ContentError(PurePosixPath(folder), None, "is not a folder"))
        return found
    files: list[Path] = []
    for item in walk(root, site_root):
        if isinstance(item, Unusable):
            found.problems.append(_unusable(item, site_root, root))
        elif (lang := translation_of(item, language)) and not language_suffix(item.name, languages):
            message = (
                f"is a translation ({lang}); newsgen builds one language ({language}),"
                f" so it is not published (list {lang} in 'languages' in newsgen.yaml to"
                " publish it)"
                if not languages
                else f"is a translation ({lang}), a language not among the site's"
                f" ({', '.join(languages)}); not published (add {lang} to 'languages')"
            )
            found.problems.append(ContentWarning(_rel(item, site_root), None, message))
        else:
            files.append(item)
    bundles = _bundles(files, root, languages)
    assets: dict[Path, list[PurePosixPath]] = {b[0]: [] for b in bundles.values()}
    by_folder = {os.fspath(folder): folder for folder in bundles}
    inside = len(os.fspath(root)) + 1  # walk's paths all start with root's own spelling
    for file in files:
        bundle = _bundle_of(os.fspath(file), os.fspath(root), by_folder) if bundles else None
        if bundle is not None:
            indexes = bundles[bundle]
            index = indexes[0]
            if file in indexes:
                continue
            if is_article_name(file.name) and _has_front_matter(file):
                # Published as an asset, its source (a draft, perhaps) would be readable by all.
                message = (
                    f"is an article inside the page bundle {_rel(bundle, site_root)}/, whose"
                    f" article is {index.name}; neither read nor published"
                    " (move it out of the bundle)"
                )
                found.problems.append(ContentWarning(_rel(file, site_root), None, message))
                continue
            assets[index].append(PurePosixPath(file.relative_to(bundle).as_posix()))
            continue
        name = file.name
        suffix = os.path.splitext(name)[1].lower()
        rel = PurePosixPath(folder + "/" + os.fspath(file)[inside:].replace(os.sep, "/"))
        if is_article_name(name) and name.lower().startswith("_index."):
            if folder == ARTICLES_DIR and rel.parent != PurePosixPath(ARTICLES_DIR):
                found.sections.append(SourceFile(file, rel))
                continue
            found.problems.append(
                ContentWarning(
                    rel,
                    None,
                    "is a section file (_index), not an article;"
                    " newsgen makes its own listing pages",
                )
            )
        elif is_article_name(name):
            found.sources.append(SourceFile(file, rel))
        elif suffix in UNSUPPORTED:
            found.problems.append(
                ContentWarning(
                    rel,
                    None,
                    f"is {UNSUPPORTED[suffix]}, which newsgen cannot read; not published"
                    " (convert it to Markdown, e.g. with pandoc -t markdown)",
                )
            )
        else:
            found.problems.append(
                ContentWarning(
                    rel,
                    None,
                    f"is not an article ({', '.join(ARTICLE_SUFFIXES)}) and not in a page bundle;"
                    " not published (move it to static/ or next to an index.md)",
                )
            )
    for folder_path, indexes in bundles.items():
        for index in indexes:
            found.sources.append(
                SourceFile(
                    index,
                    _rel(index, site_root),
                    _rel(folder_path, site_root),
                    tuple(sorted(assets[indexes[0]])),
                )
            )
    found.sources.sort(key=lambda s: str(s.rel))
    return found


def static_files(
    folder: Path, allowed: Path, label: str
) -> tuple[list[tuple[Path, PurePosixPath]], list[ContentError]]:
    """Every file of a static folder with its path inside it, and a word on what is left out.

    A broken link or unreadable folder is an error (pages link to static files); a link
    loop or a FIFO is a warning. LABEL names the folder in messages ('static').
    """
    files: list[tuple[Path, PurePosixPath]] = []
    problems: list[ContentError] = []
    if not folder.is_dir():
        return files, problems
    for item in walk(folder, allowed):
        if isinstance(item, Unusable):
            rel = PurePosixPath(label) / item.path.relative_to(folder).as_posix()
            if item.kind in ("loop", "special", "badname"):
                problems.append(ContentWarning(rel, None, f"{item.reason}; not published"))
            else:
                problems.append(ContentError(rel, None, item.reason))
        else:
            files.append((item, PurePosixPath(item.relative_to(folder).as_posix())))
    return files, problems


def _bundles(
    files: Iterable[Path], root: Path, languages: Sequence[str] = ()
) -> dict[Path, list[Path]]:
    """Bundle folder → its index files, outermost bundles only (a bundle's subfolders are
    assets): one, or one per language of LANGUAGES (`index.md`, `index.ja.md`), the one
    without a language suffix first."""
    candidates: dict[Path, list[Path]] = {}
    for file in files:
        stem, dot, _ = file.name.partition(".")
        if stem.lower() == "index" and dot and is_article_name(file.name) and file.parent != root:
            candidates.setdefault(file.parent, []).append(file)
    result: dict[Path, list[Path]] = {}
    for folder in sorted(candidates, key=lambda p: len(p.parts)):
        if any(parent in result for parent in folder.parents):
            continue
        # Two index files (index.md and index.html): Markdown is the article; the other is
        # an asset, published as it is unless it has front matter of its own (then warned).
        by_language: dict[str, list[Path]] = {}
        for file in candidates[folder]:
            by_language.setdefault(language_suffix(file.name, languages) or "", []).append(file)
        result[folder] = [min(by_language[key], key=_index_rank) for key in sorted(by_language)]
    return result


def _has_front_matter(file: Path) -> bool:
    """Whether a file starts like an article (YAML, TOML or JSON front matter)."""
    try:
        with open(file, "rb") as f:
            start = f.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return start.startswith((b"---", b"+++", b"{"))


def _index_rank(file: Path) -> tuple[int, str]:
    suffix = file.suffix.lower()
    rank = ARTICLE_SUFFIXES.index(suffix) if suffix in ARTICLE_SUFFIXES else len(ARTICLE_SUFFIXES)
    return rank, file.name


def _bundle_of(file: str, root: str, bundles: dict[str, Path]) -> Path | None:
    """The bundle folder a file is in, if any (paths as strings: this runs for every file)."""
    parent = os.path.dirname(file)
    while len(parent) > len(root):
        if parent in bundles:
            return bundles[parent]
        parent = os.path.dirname(parent)
    return None


def _unusable(item: Unusable, site_root: Path, root: Path) -> ContentError:
    rel = _rel(item.path, site_root)
    if item.kind == "outside":
        return ContentError(rel, None, item.reason)
    if item.path == root:
        # Publishing without it would replace the site with an empty one.
        return ContentError(rel, None, f"{item.reason}: no article can be read")
    return ContentWarning(rel, None, f"{item.reason}; not published")
