"""One source image → the files a site publishes of it (Pillow). Pure: bytes and settings
in, bytes out; no disk, no site. The same bytes and settings give the same bytes.

An image is turned upright by its EXIF orientation, stripped of its metadata (camera, GPS
location: a photo's location can expose a source) unless `keep_metadata` says otherwise, and
made again at each of the configured widths narrower than itself, in WebP and in a format
every reader takes (the original's, or JPEG), plus a cropped thumbnail.
"""

from __future__ import annotations

import contextlib
import io
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from newsgen.models import ImageSettings

VERSION = 7
"""The processing's own version: a change of how files are made changes every cache key."""

_ORIENTATION = 0x0112
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
_MIMES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
UNPROCESSED_SUFFIXES = (".svg", ".svgz")
"""Vector images: drawn at any size by the browser, nothing to make of them."""
MAX_PIXELS = 80_000_000
"""An image larger than this (a 10,000 by 8,000 photo) is refused: decoding it would take
gigabytes (Pillow's decompression bomb guard, made an error rather than a warning)."""


class ImageProblem(Exception):
    """An image that cannot be read, in words for its author ('is not an image …')."""


@dataclass(frozen=True, slots=True)
class Made:
    """One file made of an image."""

    role: str
    """'src' (the original, stripped), 'webp', 'fallback', 'thumb-webp' or 'thumb'."""
    name: str
    """Its file name ('harbour-480.webp'); 'src' keeps the original's name."""
    width: int
    height: int
    mime: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Processed:
    """What processing one image made: its size upright, and its files."""

    width: int
    height: int
    mime: str
    files: tuple[Made, ...]
    """No file with role 'src' when the original is published as it is (keep_metadata, or an
    animation, which is not made again)."""


def process(data: bytes, name: str, settings: ImageSettings) -> Processed:
    """The files to publish of image DATA, whose file is called NAME; ImageProblem when
    it is not an image Pillow can read whole."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            opened.load()
    except UnidentifiedImageError:
        raise ImageProblem("is not an image newsgen can read (JPEG, PNG, WebP or GIF)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(f"is too large to process (more than {MAX_PIXELS:,} pixels)") from None
    except (OSError, SyntaxError, ValueError) as e:
        raise ImageProblem(f"cannot be read whole; is it damaged or cut short? ({e})") from None
    kind = "JPEG" if opened.format == "MPO" else (opened.format or "PNG")
    stem = _stem(name)
    if getattr(opened, "n_frames", 1) > 1 and opened.format != "MPO":
        # An animation keeps its frames: drawn at its size, published as it is but for
        # its metadata (an animated WebP or PNG carries EXIF, GPS too, like a photo).
        mime = _MIMES.get(kind, "image/gif")
        bare = None if settings.keep_metadata else _without_metadata(data, kind)
        if bare is None or bare == data:
            return Processed(opened.width, opened.height, mime, ())
        original = Made("src", name, opened.width, opened.height, mime, bare)
        return Processed(opened.width, opened.height, mime, (original,))
    upright = ImageOps.exif_transpose(opened) or opened
    turned = opened.getexif().get(_ORIENTATION, 1) not in (0, 1)
    width, height = upright.size
    icc = opened.info.get("icc_profile")
    exif = upright.getexif().tobytes() if settings.keep_metadata else None
    files: list[Made] = []
    fallback = kind if kind in ("JPEG", "PNG") else ("PNG" if _has_alpha(upright) else "JPEG")
    if not settings.keep_metadata and kind in _EXTENSIONS:
        if kind == "JPEG" and not turned and opened.format == "JPEG":
            # The original's own quantization: stripping costs no quality.
            stripped = _encode(opened, "JPEG", settings.quality, icc, None, keep=True)
        elif kind == "WEBP" and not turned and (bare := _without_metadata(data, kind)):
            # Its metadata chunks dropped, its picture untouched (a lossless WebP stays so).
            stripped = bare
        else:
            stripped = _encode(upright, kind, settings.quality, icc, None)
        files.append(Made("src", name, width, height, _MIMES[kind], stripped))
    if upright.mode == "CMYK":
        # The versions are RGB (WebP has no CMYK): turned so through the original's profile
        # when it has one, and carrying none (a CMYK profile on RGB pixels is wrong).
        upright, icc = _from_cmyk(upright, icc), None
    shown = sorted({w for w in settings.widths if w < width} | {min(width, max(settings.widths))})
    ext = _EXTENSIONS[fallback]
    for w in shown:
        h = max(1, round(height * w / width))
        smaller = upright if w == width else _resized(upright, (w, h))
        files.append(
            Made("webp", f"{stem}-{w}.webp", w, h, "image/webp",
                 _encode(smaller, "WEBP", settings.quality, icc, exif))
        )  # fmt: skip
        files.append(
            Made("fallback", f"{stem}-{w}.{ext}", w, h, _MIMES[fallback],
                 _encode(smaller, fallback, settings.quality, icc, exif))
        )  # fmt: skip
    tw, th = settings.thumbnail
    fits = min(1.0, width / tw, height / th)  # a small image is cropped, never enlarged
    for scale in (1, 2):
        size = (max(1, round(tw * fits * scale)), max(1, round(th * fits * scale)))
        if scale > 1 and (fits < 1 or width < size[0] or height < size[1]):
            break
        crop = ImageOps.fit(_drawable(upright), size, Image.Resampling.LANCZOS)
        label = f"{stem}-thumb-{size[0]}x{size[1]}"
        files.append(
            Made("thumb-webp", f"{label}.webp", *size, "image/webp",
                 _encode(crop, "WEBP", settings.quality, icc, exif))
        )  # fmt: skip
        files.append(
            Made("thumb", f"{label}.{ext}", *size, _MIMES[fallback],
                 _encode(crop, fallback, settings.quality, icc, exif))
        )  # fmt: skip
    return Processed(width, height, _MIMES.get(kind, "image/jpeg"), tuple(files))


STRIPPED_SUFFIXES = (".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp")
"""Files published as they are (no page shows them as a picture) whose metadata is cut out."""


def metadata_cut(data: bytes, name: str, settings: ImageSettings) -> Processed:
    """Image DATA, published as it is (no page shows it as a picture), without its metadata
    (camera, GPS location, comments): cut from its structure, its picture untouched, unless
    its EXIF turns it (then it is drawn upright, as `process` draws an original). No file
    when it holds nothing to remove or is not an image of a kind known here."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as opened:  # the header alone, no pixels
            turned = opened.getexif().get(_ORIENTATION, 1) not in (0, 1)
    except Exception:  # any bytes at all: then cut from the structure alone
        turned = False
    if turned:
        with contextlib.suppress(ImageProblem):
            made = process(data, name, settings)
            original = tuple(m for m in made.files if m.role == "src")
            return Processed(made.width, made.height, made.mime, original)
    cut = bare(data)
    if cut is None:
        return Processed(0, 0, "", ())
    return Processed(0, 0, cut[1], (Made("src", name, 0, 0, cut[1], cut[0]),))


def bare(data: bytes) -> tuple[bytes, str] | None:
    """The bytes of an image Pillow cannot read whole (cut short, too large) without its
    metadata, read from its structure alone, and its MIME type; None when it holds none
    to remove or its kind is not known."""
    stripped: bytes | None
    if data[:2] == b"\xff\xd8":
        kind, stripped = "JPEG", _jpeg_without_metadata(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind, stripped = "WEBP", _without_metadata(data, "WEBP")
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        kind, stripped = "PNG", _without_metadata(data, "PNG")
    else:
        return None
    return None if stripped is None or stripped == data else (stripped, _MIMES[kind])


def _jpeg_without_metadata(data: bytes) -> bytes:
    """A JPEG's bytes without its comments and APP segments (EXIF, XMP, IPTC) but JFIF, the
    colour profile and Adobe's (which says how its colours are stored); its picture, from
    the start of the scan on, as it is, cut short or not."""
    kept, at = [data[:2]], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the picture itself
            kept.append(data[at:])
            break
        segment = data[at : at + 2 + int.from_bytes(data[at + 2 : at + 4], "big")]
        at += len(segment)
        profile = marker == 0xE2 and segment[4:16] == b"ICC_PROFILE\0"
        if marker == 0xFE or (0xE1 <= marker <= 0xEF and marker != 0xEE and not profile):
            continue
        kept.append(segment)
    return b"".join(kept)


def _without_metadata(data: bytes, kind: str) -> bytes | None:
    """An animated WebP's or PNG's bytes without their metadata chunks (EXIF, XMP, text),
    the frames untouched; None for another kind (a GIF holds no EXIF)."""
    if kind == "WEBP" and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kept, at = [b"WEBP"], 12
        while at + 8 <= len(data):
            size = int.from_bytes(data[at + 4 : at + 8], "little")
            chunk, at = data[at : at + 8 + size + (size & 1)], at + 8 + size + (size & 1)
            if chunk[:4] == b"VP8X" and len(chunk) > 8:
                chunk = chunk[:8] + bytes([chunk[8] & ~0x0C & 0xFF]) + chunk[9:]  # EXIF, XMP
            if chunk[:4] not in (b"EXIF", b"XMP "):
                kept.append(chunk)
        body = b"".join(kept)
        return b"RIFF" + len(body).to_bytes(4, "little") + body
    if kind == "PNG" and data[:8] == b"\x89PNG\r\n\x1a\n":
        kept, at = [data[:8]], 8
        while at + 12 <= len(data):
            size = int.from_bytes(data[at : at + 4], "big")
            chunk, at = data[at : at + 12 + size], at + 12 + size
            if chunk[4:8] not in (b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"):
                kept.append(chunk)
        return b"".join(kept)
    return None


def _from_cmyk(image: Image.Image, icc: bytes | None) -> Image.Image:
    """A CMYK IMAGE in sRGB, through its colour profile ICC when it has a readable one."""
    if icc:
        from PIL import ImageCms

        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            srgb = ImageCms.createProfile("sRGB")
            turned = ImageCms.profileToProfile(image, profile, srgb, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            turned = None
        if turned is not None:
            return turned
    return image.convert("RGB")


def _stem(name: str) -> str:
    """A file name's stem as a safe URL part ('Harbour at dawn.JPG' → 'Harbour-at-dawn',
    'Île de Sein.jpg' → 'Ile-de-Sein', 'Причал.png' → 'Причал'): a Latin letter's accents
    go, letters of every script stay, as the name is all a reader sees of a picture's URL."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    kept: list[str] = []
    for c in unicodedata.normalize("NFKD", stem):  # a mark goes only from a Latin letter:
        if not (unicodedata.combining(c) and kept and kept[-1].isascii()):  # Й, हि keep theirs
            kept.append(c)
    bare = unicodedata.normalize("NFC", "".join(kept))
    word = "".join(c if _in_word(c) else " " for c in bare)
    return "-".join(word.split()).strip("-_")[:60] or "image"


def _in_word(c: str) -> bool:
    return c.isalnum() or c in "-_" or unicodedata.category(c).startswith("M")


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _drawable(image: Image.Image) -> Image.Image:
    """IMAGE in a mode resizing works well in (palettes and 1-bit become colour; 16-bit
    grey becomes 8-bit grey, scaled: converted as it is, every value above 255 is white)."""
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    if image.mode == "I" or image.mode.startswith("I;16"):
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    return _drawable(image).resize(size, Image.Resampling.LANCZOS)


def _encode(
    image: Image.Image,
    kind: str,
    quality: int,
    icc: bytes | None,
    exif: bytes | None,
    *,
    keep: bool = False,
) -> bytes:
    """IMAGE as KIND's bytes with fixed settings (the same bytes every build): no metadata
    but the colour profile, and EXIF only when given."""
    options: dict[str, object] = {}
    if icc:
        options["icc_profile"] = icc
    if exif:
        options["exif"] = exif
    if kind in ("JPEG", "GIF"):
        options["comment"] = b""  # Pillow copies the original's comment (a COM marker) else
    if kind == "JPEG":
        if keep:
            options.update(quality="keep", subsampling="keep", qtables="keep")
        else:
            image = image if image.mode in ("RGB", "L", "CMYK") else _drawable(image).convert("RGB")
            options.update(quality=quality, optimize=False, progressive=False)
    elif kind == "WEBP":
        image = _drawable(image)
        options.update(quality=quality, method=4, lossless=False, exact=False)
    elif kind == "PNG":
        options.update(optimize=False, compress_level=9)
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()
