"""Processed images kept in the cache folder (`.newsgen-cache/images/KEY/`), keyed by the
image's bytes, the settings and the name it is published under (which names its versions):
an image processed once is never processed again while
neither changes. Each folder holds the files made and `info.json` (written last, so a
folder without it is an interrupted write and is made again).

Which bytes a source file holds is remembered by its stat (`digests.json`), so a build
reads an image only when it changed; a file changed within the last two seconds is read
every time, as its stat cannot tell a second change in the same clock tick.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from newsgen.cache import CACHE_DIR, stat_key
from newsgen.images import VERSION, ImageProblem, Made, Processed, bare, metadata_cut, process
from newsgen.models import ImageSettings
from newsgen.pictures import Stored

IMAGES_DIR = "images"
ORIGINAL = "_original"
"""The name the stripped original is kept under in its image's folder."""
AS_IT_IS = "as-it-is:"
"""Marks the name of a job for an image published as it is: only its metadata is cut out
(images.stripped), under a key of its own."""
RACY_NS = 2_000_000_000


def settings_key(settings: ImageSettings) -> str:
    """What of the settings and code every processed file depends on."""
    from PIL import __version__ as pillow

    return f"{VERSION}|{pillow}|{settings!r}"


class ImageStore:
    """The processed images of one site, and the digests of its image files."""

    def __init__(self, site_root: Path) -> None:
        self.folder = site_root / CACHE_DIR / IMAGES_DIR
        self._memo_file = self.folder / "digests.json"
        self._memo: dict[str, list[Any]] = {}
        self._changed = False
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self._memo_file.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                self._memo = data

    def key(self, source: Path, settings: ImageSettings, published_name: str) -> str:
        """SOURCE's cache key: its bytes' digest (read only when its stat changed), the
        settings, and PUBLISHED_NAME, the file name it is published under, which names the
        versions made ('pier-480.webp'): a picture renamed is made again under its new name,
        as a clean build names it. OSError when it cannot be read."""
        st = source.stat()
        stat = list(stat_key(st))
        name = os.fspath(source)
        known = self._memo.get(name)
        if known is not None and known[:-1] == stat:
            digest = str(known[-1])
        else:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
            if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
                self._memo[name] = [*stat, digest]
                self._changed = True
        mixed = f"{settings_key(settings)}|{digest}|{published_name}".encode()
        return hashlib.sha256(mixed).hexdigest()[:20]

    def recall(self, key: str) -> Stored | None:
        """What processing KEY made, if the cache holds it whole."""
        try:
            info = json.loads((self.folder / key / "info.json").read_text(encoding="utf-8"))
            files = tuple(
                (str(r), str(n), int(w), int(h), str(m), int(z))
                for r, n, w, h, m, z in info["files"]
            )
            problem = str(info.get("problem", ""))
            return Stored(
                int(info["width"]), int(info["height"]), str(info["mime"]), files, problem
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def file(self, key: str, name: str) -> Path:
        return self.folder / key / name

    def close(self) -> None:
        """Write the digests remembered this build (only those of files seen)."""
        if not self._changed:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self._memo_file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(self._memo, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self._memo_file)
        self._changed = False


def make(folder: Path, settings: ImageSettings, job: tuple[str, Path, str]) -> Stored | str:
    """Process one image (a worker's job: KEY, its source, its file name) into FOLDER/KEY;
    a message for its author when it cannot be read."""
    key, source, name = job
    try:
        data = source.read_bytes()
    except OSError as e:
        return f"cannot be read ({e.strerror})"
    problem = ""
    try:
        if name.startswith(AS_IT_IS):
            made = metadata_cut(data, name.removeprefix(AS_IT_IS), settings)
        else:
            made = process(data, name, settings)
    except ImageProblem as e:
        # Shown as it is, but not with the camera and place it holds (unless kept).
        stripped = None if settings.keep_metadata else bare(data)
        if stripped is None:
            return str(e)
        problem = str(e)
        original = Made("src", name, 0, 0, stripped[1], stripped[0])
        made = Processed(0, 0, stripped[1], (original,))
    # The stripped original keeps a name of its own: its file name may be any variant's.
    named = [(ORIGINAL if m.role == "src" else m.name, m) for m in made.files]
    files = tuple((m.role, name, m.width, m.height, m.mime, len(m.data)) for name, m in named)
    stored = Stored(made.width, made.height, made.mime, files, problem)
    temporary = folder / f".{key}.{os.getpid()}.tmp"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    for name, m in named:
        (temporary / name).write_bytes(m.data)
    info = {"width": made.width, "height": made.height, "mime": made.mime, "files": files}
    if problem:
        info["problem"] = problem
    (temporary / "info.json").write_text(json.dumps(info), encoding="utf-8")
    target = folder / key
    if (target / "info.json").is_file():  # another build made it meanwhile (same bytes)
        shutil.rmtree(temporary, ignore_errors=True)
        return stored
    shutil.rmtree(target, ignore_errors=True)  # an interrupted write, without its info.json
    try:
        os.rename(temporary, target)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)  # another process made it first
    return stored
