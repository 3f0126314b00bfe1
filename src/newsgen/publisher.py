"""The only module that writes: a staging directory beside the output, swapped in on success."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from newsgen.errors import NewsgenError, PublishError
from newsgen.urls import SITEMAP_URL

OWN_FILES = ("404.html", SITEMAP_URL)
"""Files every newsgen build writes: a folder with them may be replaced by the next build."""


class Publisher:
    """Collects output files in a staging directory; `commit` replaces the output in one swap.

    Until `commit`, the previous output is untouched, so a failed build loses nothing.
    """

    def __init__(self, out_dir: Path) -> None:
        # A symlinked output (build -> /var/www/site) is replaced where it points.
        self.out_dir = out_dir.resolve()
        parent = self.out_dir.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            # Staging must be a sibling of the output: rename only swaps within one filesystem.
            for stale in parent.glob(f".{self.out_dir.name}.staging-*"):
                shutil.rmtree(stale, ignore_errors=True)
            self.staging = self._sibling("staging")
            # mkdir, not mkdtemp: the umask's usual 0755, so web servers can read the output.
            self.staging.mkdir()
        except OSError as e:
            raise NewsgenError(
                f"cannot write the output directory {out_dir}: {e.strerror}"
            ) from None
        self.written: dict[PurePosixPath, str] = {}
        self._replaceable: set[PurePosixPath] = set()

    def _sibling(self, kind: str) -> Path:
        return self.out_dir.parent / f".{self.out_dir.name}.{kind}-{secrets.token_hex(6)}"

    def _target(self, rel: PurePosixPath, owner: str) -> Path:
        # A lexical check is enough: staging is new, and holds only regular files and folders
        # this publisher made, so no symlink inside it can lead out (resolve() per file would
        # cost an lstat per path component on every page).
        if rel.is_absolute() or not rel.parts or any(p in ("..", ".", "") for p in rel.parts):
            raise PublishError(PurePosixPath(owner), None, f"output path {rel} escapes the output")
        return self.staging / rel

    def write(self, rel: PurePosixPath, data: bytes, owner: str = "newsgen") -> None:
        """Write one output file; every path is checked, and no path is written twice."""
        if rel in self.written:
            raise PublishError(
                PurePosixPath(owner), None, f"writes /{rel}, which {self.written[rel]} also writes"
            )
        target = self._target(rel, owner)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError as e:  # a name too long for the file system, a full disk, ...
            message = f"cannot write /{rel}: {e.strerror}"
            raise PublishError(PurePosixPath(owner), None, message) from None
        self.written[rel] = owner

    def copy_file(self, source: Path, rel: PurePosixPath, owner: str) -> None:
        """Publish one source file (a static file, a bundle's image) at REL."""
        if rel in self._replaceable:
            self._replaceable.discard(rel)
            del self.written[rel]
        try:
            data = source.read_bytes()
        except OSError as e:
            raise PublishError(
                PurePosixPath(owner), None, f"cannot be read: {e.strerror}"
            ) from None
        self.write(rel, data, owner)

    def copy_files(
        self,
        files: Iterable[tuple[Path, PurePosixPath]],
        dest: PurePosixPath,
        label: str,
        *,
        replaceable: bool = False,
    ) -> None:
        """Copy (source, path inside) pairs under DEST; replaceable copies yield to later ones.

        The theme's static files are replaceable by the site's; a rendered page is not.
        """
        for source, inside in files:
            self.copy_file(source, dest / inside, f"{label}/{inside}")
            if replaceable:
                self._replaceable.add(dest / inside)

    def commit(self) -> None:
        """Swap the staging directory into place: rename, rename, then delete the old tree."""
        old: Path | None = None
        if self.out_dir.exists():
            old = self._sibling("old")
            os.rename(self.out_dir, old)
        os.rename(self.staging, self.out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Forget everything written; the previous output stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)


def check_output_dir(out_dir: Path, site_root: Path, sources: Iterable[Path]) -> str | None:
    """A reason why out_dir must not be replaced wholesale, or None.

    The output is swapped out as a whole, so it must not hold the site or its sources.
    """
    out, root = out_dir.resolve(), site_root.resolve()
    if root.is_relative_to(out) or out == Path.home().resolve():
        return f"the output directory {out_dir} contains the site; choose another with -o"
    for source in sources:
        src = source.resolve()
        if out.is_relative_to(src) or src.is_relative_to(out):
            return f"the output directory {out_dir} overlaps {source}; choose another with -o"
    if out.exists() and not out.is_dir():
        return f"the output {out_dir} is a file, not a directory; choose another with -o"
    if out.is_dir() and any(out.iterdir()) and not all((out / n).is_file() for n in OWN_FILES):
        return (
            f"{out_dir} is not empty and is not a newsgen build (no {' or '.join(OWN_FILES)});"
            " newsgen replaces the output as a whole, so empty it or choose another -o"
        )
    return None
