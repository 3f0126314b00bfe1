"""The tools under test, as the command line names them, and their sites.

newsgen is the tool this is all about: `Newsgen` runs one build of it (the default, or each
``--newsgen [NAME=]PATH``), with each of the settings ``compare --config`` asks for (the
like-for-like config, newsgen's defaults, or both), and `make_tools` turns the names of
``--tools`` into `Tool` objects, Pelican and Hugo coming from ``competitors.py``.
`emit_corpus` and `emit_content` write the sources each tool's site builds from.
"""

from __future__ import annotations

import argparse
import fcntl
import shlex
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import corpus
import sites
from competitors import Hugo, Pelican
from measure import HERE, Tool, corpus_info


class Newsgen(Tool):
    """newsgen as installed (or as given with --newsgen), plus any --newsgen-args."""

    name = kind = "newsgen"

    def __init__(
        self, site: Path, out: Path, exe: str, extra: Sequence[str], name: str = "newsgen"
    ) -> None:
        super().__init__(site, out)
        self.exe, self.extra, self.name = exe, list(extra), name

    def command(self, warm: bool) -> list[str]:
        return [self.exe, "build", str(self.site), "-o", str(self.out), *self.extra]

    def cold_paths(self) -> list[Path]:
        # The persistent cache, and the standby tree that newsgen keeps beside the output.
        standby = self.out.parent / f".{self.out.name}.next"
        return [self.out, standby, self.site / ".newsgen-cache"]

    def settle(self) -> float:
        """After a build that rewrote most files, newsgen returns at once and a detached
        process refreshes its standby tree, holding the output's lock: wait for that lock."""
        lock = self.out.parent / f".{self.out.name}.lock"
        if not lock.exists():
            return 0.0
        start = time.perf_counter()
        with lock.open("rb") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
        return time.perf_counter() - start


def newsgen_builds(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(tool name, command) for each --newsgen [NAME=]PATH; the default is one build, named
    'newsgen', from the project's venv, else `newsgen` on PATH.

    Several builds (say, two commits installed into scratch venvs) become tools of their own,
    named newsgen-NAME, with a site and an output each, so `compare` interleaves them.
    """
    if not args.newsgen:
        local = HERE.parent / ".venv" / "bin" / "newsgen"
        return [
            ("newsgen", str(local) if local.exists() else (shutil.which("newsgen") or "newsgen"))
        ]
    builds = []
    for given in args.newsgen:
        label, sep, exe = given.rpartition("=") if "=" in given else ("", "", given)
        name = f"newsgen-{label}" if sep else "newsgen"
        # Builds run with the site as working directory, so a relative path must be resolved.
        builds.append((name, str(Path(exe).resolve()) if "/" in exe else exe))
    if len({name for name, _ in builds}) < len(builds):
        raise SystemExit(
            "--newsgen: give each build its own NAME (NAME=PATH) when there are several"
        )
    return builds


CONFIG_CHOICES = ("both", "like-for-like", "defaults")
SUFFIXES = {"like-for-like": "", "defaults": "-defaults"}
"""The tool name of a newsgen build with each of the configs `compare` runs: newsgen (or
newsgen-NAME) for the like-for-like config, newsgen-defaults (newsgen-NAME-defaults) for the
defaults. The keys are sites.NEWSGEN_CONFIGS."""
LABELS = {"like-for-like": "like-for-like", "defaults": "newsgen defaults"}
"""What the tables call each config in their settings row."""


def newsgen_configs(args: argparse.Namespace) -> list[str]:
    """The newsgen configs that `compare --config` asks for; the other modes, which have no
    --config, get like-for-like (and the tool name 'newsgen', as before)."""
    config = getattr(args, "config", "like-for-like")
    return list(SUFFIXES) if config == "both" else [config]


def newsgen_tools(args: argparse.Namespace) -> dict[str, tuple[str, str]]:
    """Tool name to (command, config) for every --newsgen build with every config asked for,
    the like-for-like ones first."""
    tools = {
        name + SUFFIXES[config]: (exe, config)
        for config in newsgen_configs(args)
        for name, exe in newsgen_builds(args)
    }
    if len(tools) < len(newsgen_configs(args)) * len(newsgen_builds(args)):
        raise SystemExit(
            "--newsgen: a NAME ending in -defaults clashes with the defaults config's tool names"
        )
    return tools


def settings_labels(names: Sequence[str], args: argparse.Namespace) -> dict[str, str]:
    """Each tool's settings as the tables' settings row shows them: a newsgen tool's config,
    'like-for-like' for Pelican and Hugo."""
    ours = newsgen_tools(args)
    return {n: LABELS[ours[n][1]] if n in ours else LABELS["like-for-like"] for n in names}


def newsgen_exe(args: argparse.Namespace) -> str:
    """The first --newsgen command, for the modes that run one newsgen."""
    return newsgen_builds(args)[0][1]


def tool_names(names: Sequence[str], args: argparse.Namespace) -> list[str]:
    """--tools with 'newsgen' expanded into one name per --newsgen build."""
    builds = list(newsgen_tools(args))
    return [t for name in names for t in (builds if name == "newsgen" else [name])]


def make_tools(names: Sequence[str], root: Path, args: argparse.Namespace) -> list[Tool]:
    """Tool objects for the sites under `root`; outputs go to `root`/out-TOOL."""
    tools: list[Tool] = []
    builds = newsgen_tools(args)
    for name in names:
        site, out = root / name, root / f"out-{name}"
        if name in builds:
            extra = shlex.split(args.newsgen_args)
            tools.append(Newsgen(site, out, builds[name][0], extra, name))
        elif name == "pelican":
            tools.append(Pelican(site, out))
        elif name == "hugo":
            tools.append(Hugo(site, out))
        else:
            raise SystemExit(f"unknown tool {name!r}; expected one of {sites.TOOLS}")
    return tools


def emit_corpus(
    args: argparse.Namespace, names: Sequence[str], root: Path
) -> tuple[dict[str, object], Callable[[Tool], Path]]:
    """Write the synthetic corpus for every tool; return what to report of it and, for a
    tool, the file that the edit scenario changes (the middle article)."""
    print(f"writing a {args.variant} corpus of {args.n} articles for {', '.join(names)}")
    articles = list(corpus.generate(args.n, args.variant, args.seed))
    for tool_name in names:
        sites.emit(kind_of(tool_name), articles, root / tool_name, config_of(tool_name, args))
    edited = articles[len(articles) // 2]
    return corpus_info(articles), lambda t: sites.article_path(t.kind, t.site, edited)


def emit_content(
    source: Path, names: Sequence[str], root: Path, args: argparse.Namespace
) -> tuple[dict[str, object], Callable[[Tool], Path]]:
    """Copy a real Pelican content folder into every tool's site; return what to report of it
    (counts only: the text of a real archive stays out of the results) and, for a tool, the
    file that the edit scenario changes (the middle one in name order)."""
    print(f"copying the Markdown files of {source.name} for {', '.join(names)}")
    files = {
        name: sites.emit_folder(kind_of(name), source, root / name, config_of(name, args))
        for name in names
    }
    sources = sorted(
        p for p in source.rglob("*") if p.name.lower().endswith(sites.MARKDOWN_SUFFIXES)
    )
    text = [p.read_text(encoding="utf-8") for p in sources]
    info = {
        "articles": len(sources),
        "body_bytes": sum(len(t.partition("\n\n")[2].encode()) for t in text),
        "links": sum(t.count("](http") for t in text),
    }
    middle = len(sources) // 2
    return info, lambda t: files[t.name][middle]


def config_of(name: str, args: argparse.Namespace) -> str:
    """The sites.NEWSGEN_CONFIGS key a tool's site is written with (like-for-like for all but
    the newsgen defaults builds; Pelican and Hugo ignore it)."""
    return newsgen_tools(args).get(name, ("", "like-for-like"))[1]


def kind_of(name: str) -> str:
    """Which of sites.TOOLS a tool name is a site for (newsgen-NAME is a newsgen site)."""
    return "newsgen" if name.startswith("newsgen") else name
