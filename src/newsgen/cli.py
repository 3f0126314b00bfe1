"""The command line: argparse in, exit codes out.

Exit codes: 0 success, 1 content errors (each printed as ``PATH[:LINE]: message``),
2 usage errors (argparse's own convention).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from argparse import SUPPRESS
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from newsgen import __version__
from newsgen.errors import BuildFailed, ContentError, NewsgenError, UsageError
from newsgen.reporting import problem_lines


def _port(text: str) -> int:
    port = int(text) if text.isdigit() else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


def _now(text: str) -> datetime:
    from newsgen.schedule import NOW_EXAMPLE, read_now

    now = read_now(text)
    if now is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date and time; write it as {NOW_EXAMPLE}"
            " (without an offset it is read in the site's time zone)"
        )
    return now


def _timing(command: argparse.ArgumentParser) -> None:
    """--now and --future, the same on build, serve and check."""
    command.add_argument(
        "--now",
        type=_now,
        metavar="TIMESTAMP",
        help="publish as at this moment instead of the current time (ISO 8601, e.g."
        " 2027-01-01T09:00Z; without an offset, in the site's time zone)",
    )
    command.add_argument(
        "--future",
        action="store_true",
        help="publish scheduled articles all the same (a preview; expired ones stay out)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgen", description="A static site generator for news archives."
    )
    parser.add_argument("--version", action="version", version=f"newsgen {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a Python traceback for internal errors"
    )
    # Accept --debug after the command too; SUPPRESS keeps the subparser from resetting it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    build = sub.add_parser("build", parents=[common], help="build the site into build/")
    build.add_argument("site", nargs="?", default=".", type=Path, help="site directory (default .)")
    build.add_argument("-o", "--output", type=Path, help="output directory (default SITE/build)")
    build.add_argument("--drafts", action="store_true", help="include draft articles")
    build.add_argument(
        "--strict", action="store_true", help="fail on warnings too (files not used, ...)"
    )
    build.add_argument(
        "-v", "--verbose", action="store_true", help="list every warning, not one line per kind"
    )
    build.add_argument(
        "--record-moves",
        action="store_true",
        help="keep the old URL of an article that moved (new slug or date) as an alias in its"
        " file, so old links redirect",
    )
    build.add_argument(
        "--changes",
        nargs="?",
        const="-",
        metavar="FILE",
        help="list the output files added (+ /path), changed (~) and removed (-) since the"
        " previous build, one a line: on stdout (the summary goes to stderr), or into FILE",
    )
    build.add_argument(
        "--since",
        metavar="MANIFEST",
        type=Path,
        help="with --changes: the changes since the output MANIFEST describes (a copy of the"
        " .newsgen-manifest.json your last deploy uploaded; none yet: every file is added)",
    )
    _timing(build)

    serve = sub.add_parser(
        "serve", parents=[common], help="build, serve and rebuild on change, with live reload"
    )
    serve.add_argument("site", nargs="?", default=".", type=Path, help="site directory (default .)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--drafts", action="store_true", help="include draft articles")
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    serve.add_argument("-o", "--output", type=Path, help="output directory (default SITE/build)")
    _timing(serve)

    check = sub.add_parser(
        "check", parents=[common], help="look for problems in the articles without building"
    )
    check.add_argument("site", nargs="?", default=".", type=Path, help="site directory (default .)")
    check.add_argument("--drafts", action="store_true", help="check draft articles too")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    _timing(check)
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    check.add_argument(
        "-v", "--verbose", action="store_true", help="list every warning, not one line per kind"
    )
    check.add_argument(
        "--old-urls",
        type=Path,
        metavar="FILE",
        help="the old site's sitemap.xml, a list of its URLs, or its output folder:"
        " report each old URL the new build does not serve (exit 1 if any)",
    )
    check.add_argument(
        "--old-urls-under",
        metavar="PATH",
        default="",
        help="read the old URLs as if under PATH of the new site (a language the old site"
        " served on a host of its own: --old-urls-under fr/)",
    )
    check.add_argument(
        "--known-paths",
        type=Path,
        metavar="FILE",
        help="paths that exist on the same host outside the archive, one a line",
    )

    init = sub.add_parser("init", parents=[common], help="create a new site in DIR")
    init.add_argument("dir", type=Path, help="directory to create (must be empty or missing)")

    new = sub.add_parser("new", parents=[common], help="create a new draft article")
    new.add_argument("title", help="the article's title")
    new.add_argument("site", nargs="?", default=".", type=Path, help="site directory (default .)")
    new.add_argument("--tags", default="", help="comma-separated tags")
    new.add_argument("--txt", action="store_true", help="create a plain-text wire-copy article")

    imp = sub.add_parser(
        "import", parents=[common], help="turn a WordPress export or a feed into articles"
    )
    imp.add_argument("kind", choices=("wordpress", "feed"), help="what FILE is")
    imp.add_argument("file", type=Path, help="a WordPress export (WXR) or an RSS/Atom file")
    imp.add_argument("site", nargs="?", default=".", type=Path, help="site directory (default .)")
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        from newsgen.build import Builder, stderr_progress

        builder = Builder(
            args.site,
            args.output,
            drafts=args.drafts,
            strict=args.strict,
            progress=stderr_progress(),
            background=True,
            on_wait=lambda message: print(f"newsgen: {message}", file=sys.stderr, flush=True),
            record_moves=args.record_moves,
            clock=_clock(args.now),
            future=args.future,
        )
        try:
            if args.since is not None and args.changes is None:
                raise UsageError("--since MANIFEST goes with --changes: it says since when")
            since = _since(args.since) if args.since is not None else None
            out_dir = builder.out_dir
            changes = _changes_file(args.changes, out_dir) if args.changes != "-" else None
            report = builder.build()
        finally:
            builder.close()
        for line in problem_lines(report.warnings, verbose=args.verbose):
            print(line, file=sys.stderr)
        # A pipe reading the changes gets them alone.
        said = sys.stderr if args.changes == "-" else sys.stdout
        for line in report.moves:
            print(line, file=said)
        for line in report.schedule_lines():
            print(line, file=said)
        if args.changes is not None:
            from newsgen.manifests import change_lines

            found = list(report.changes) if since is None else _since_then(since, out_dir)
            listed = change_lines(found)
            if changes is None:
                try:
                    sys.stdout.write(listed)
                    sys.stdout.flush()
                except BrokenPipeError:  # the reader stopped early (| head): the build is done
                    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            else:
                _write_changes(changes, listed)
        print(report.summary(), file=said)
        return 0
    if args.command == "serve":
        from newsgen.server import serve

        return serve(
            args.site,
            out_dir=args.output,
            host=args.host,
            port=args.port,
            drafts=args.drafts,
            open_browser=args.open,
            debug=args.debug,
            clock=_clock(args.now),
            future=args.future,
        )
    if args.command == "check":
        return _check(args)
    if args.command == "init":
        from newsgen.scaffold import init_site

        init_site(args.dir)
        print(f"Created a new site in {args.dir}. Next: newsgen serve {args.dir}")
        return 0
    if args.command == "new":
        from newsgen.scaffold import new_article

        tags = [t.strip() for t in args.tags.split(",") if t.strip()]
        path = new_article(args.site, args.title, tags=tags, txt=args.txt)
        print(path)
        return 0
    if args.command == "import":
        from newsgen.importers import import_feed, import_wordpress

        run = import_wordpress if args.kind == "wordpress" else import_feed
        imported = run(args.file, args.site)
        for problem in imported.warnings:
            print(problem, file=sys.stderr)
        print(imported.summary())
        return 0
    raise AssertionError(f"unknown command {args.command}")


def _changes_file(written: str | None, out_dir: Path) -> Path | None:
    """Where `--changes FILE` writes, emptied before the build: a build that fails (or is
    killed) leaves it empty, as the output is left as it was, so a deploy script that runs
    on regardless uploads and purges nothing."""
    if written is None:
        return None
    path = Path(written).resolve()
    out = out_dir.resolve()
    if path.is_dir():
        raise UsageError(
            f"--changes {written}: {written} is a folder, not a file (to print the changes of"
            f" a build of the site {written}, write: newsgen build {written} --changes)"
        )
    for tree in (out, out.parent / f".{out.name}.next"):
        if path.is_relative_to(tree):
            raise UsageError(
                f"--changes {written} is inside the output {out_dir}, which each build"
                " replaces: write it elsewhere"
            )
    try:
        _write_changes(path, "")
    except NewsgenError as e:
        raise UsageError(str(e)) from None
    return path


def _since(path: Path) -> dict[str, tuple[str, int]]:
    """The files of the output a manifest describes (none when there is no such file yet:
    before the first deploy, every file is new)."""
    from newsgen.manifests import parse_manifest

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise UsageError(f"--since {path}: cannot be read: {e.strerror}") from None
    files = parse_manifest(data)
    if files is None:
        raise UsageError(f"--since {path} is not a .newsgen-manifest.json newsgen can read")
    return files


def _since_then(since: dict[str, tuple[str, int]], out_dir: Path) -> list[tuple[str, str]]:
    """The changes from the output SINCE describes to the one just built (its manifest
    lists every file)."""
    from newsgen.manifests import MANIFEST_FILE, changes, parse_manifest

    return changes(since, parse_manifest((out_dir / MANIFEST_FILE).read_bytes()) or {})


def _write_changes(path: Path, text: str) -> None:
    """Write the list whole or not at all (a temporary file renamed over it)."""
    temporary = path.with_name(f".{path.name}.newsgen-tmp")
    try:
        temporary.write_text(text, encoding="utf-8", errors="surrogateescape")
        temporary.replace(path)
    except OSError as e:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise NewsgenError(f"cannot write --changes {path}: {e.strerror}") from None


def _check(args: argparse.Namespace) -> int:
    """`newsgen check`: every finding on stdout, exit 1 on errors (or warnings, --strict)."""
    import json

    from newsgen.check import as_json, check_site
    from newsgen.oldurls import read_known_paths, report_lines

    known = read_known_paths(args.known_paths) if args.known_paths else ()
    found = check_site(
        args.site,
        drafts=args.drafts,
        now=args.now,
        future=args.future,
        old_urls=args.old_urls,
        known=known,
        old_urls_under=args.old_urls_under,
    )
    if args.format == "json":
        print(json.dumps(as_json(found), indent=2, ensure_ascii=False))
    else:
        for line in problem_lines(found.problems, verbose=args.verbose, line=_check_line):
            print(line)
        for line in found.held_lines():
            print(line)
        if found.old_urls is not None:
            print("\n".join(report_lines(found.old_urls)))
        counts = f"{_plural(found.errors, 'error')}, {_plural(found.warnings, 'warning')}"
        if found.old_urls is not None:
            counts += f", {_plural(len(found.old_urls.missing), 'old URL')} missing"
        print(
            f"Checked {_plural(found.articles, 'article')} and {_plural(found.pages, 'page')}"
            f" in {found.seconds:.2f} s: {counts}"
        )
    failed = found.errors or (args.strict and found.warnings)
    failed = failed or (found.old_urls is not None and found.old_urls.missing)
    return 1 if failed else 0


def _clock(now: datetime | None) -> Callable[[], datetime] | None:
    """--now as the build's clock; None: the wall clock (schedule.wall_clock)."""
    return None if now is None else (lambda: now)


def _check_line(problem: ContentError) -> str:
    return f"{problem.location}: {problem.severity}: {problem.message}"


def _every_one(args: argparse.Namespace) -> bool:
    """Whether to list every warning: asked for, or --strict made each one a failure."""
    return bool(getattr(args, "verbose", False) or getattr(args, "strict", False))


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def failure_counts(failed: BuildFailed) -> str:
    """'2 errors, 1 warning' (or '3 warnings' under --strict)."""
    warnings = sum(1 for e in failed.errors if e.severity == "warning")
    errors = len(failed.errors) - warnings
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors or not warnings else []
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Run newsgen; return the process exit code."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    # argparse fills both of `new TITLE [SITE]` at TITLE, so in the documented order
    # `new "Title" --tags a,b SITE` the SITE arrives as an extra argument: take it here.
    if args.command == "new" and len(extra) == 1 and not extra[0].startswith("-"):
        if args.site != Path("."):
            parser.error(f"unrecognized arguments: {extra[0]}")
        args.site, extra = Path(extra[0]), []
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return _run(args)
    except BuildFailed as failed:
        for line in problem_lines(failed.errors, verbose=_every_one(args)):
            print(line, file=sys.stderr)
        print(f"{args.command} failed: {failure_counts(failed)}", file=sys.stderr)
        return 1
    except UsageError as error:
        print(f"newsgen: error: {error}", file=sys.stderr)
        return 2
    except NewsgenError as error:
        print(f"newsgen: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:
        if args.debug:
            traceback.print_exc()
        else:
            print(
                "newsgen: internal error (run again with --debug for a traceback)",
                file=sys.stderr,
            )
        return 3
