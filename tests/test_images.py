"""Pictures: lead images processed with Pillow (sizes, smaller versions in WebP and the
original's format, a cropped thumbnail, EXIF orientation applied and metadata stripped),
published under /_img/, cached by content and settings, carried by feeds and social cards."""

from __future__ import annotations

import io
from pathlib import Path

import feedparser
import pytest
from conftest import MakeSite, article, diagnostics, run_newsgen, warnings_of
from PIL import Image, PngImagePlugin

pytestmark = pytest.mark.fast

CONFIG = (
    'title: "T"\nbase_url: "https://example.org/"\nsearch: false\n'
    "images: {widths: [120, 240], thumbnail: 60x40}\n"
)
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width: int = 300, height: int = 200, *, turned: bool = False, fmt: str = "JPEG") -> bytes:
    """A small photo with a camera name and a GPS position in its EXIF (and, when TURNED,
    an orientation saying it must be turned a quarter to be seen upright)."""
    image = Image.new("RGB", (width, height), (180, 40, 40))
    for x in range(0, width, 7):
        image.putpixel((x, x % height), (20, 20, 220))
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (51.0, 30.0, 12.0)
    if turned:
        exif[ORIENTATION] = 6
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def opened(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


def story(image: str = "harbour.jpg", **meta: str) -> str:
    return article("Harbour", "2025-03-14 09:30", "Body.", image=image, image_alt="Boats", **meta)


def bundle(data: bytes, name: str = "harbour.jpg") -> dict[str, str | bytes]:
    return {"articles/harbour/index.md": story(name), f"articles/harbour/{name}": data}


def test_a_lead_image_is_drawn_with_its_size_and_smaller_versions(make_site: MakeSite) -> None:
    site = make_site(bundle(photo(300, 200)), CONFIG)
    assert warnings_of(site.build()) == []
    page = site.page("2025/03/14/harbour/")
    img = page.all("//figure[@class='lead-figure']/picture/img")[0]
    assert (img.get("width"), img.get("height")) == ("300", "200")
    assert img.get("src") == "/2025/03/14/harbour/harbour.jpg"
    assert img.get("alt") == "Boats"
    webp = page.all("//figure/picture/source[@type='image/webp']")[0]
    for srcset, kind in ((webp.get("srcset"), "WEBP"), (img.get("srcset"), "JPEG")):
        candidates = [c.strip().split(" ") for c in srcset.split(",")]
        assert [w for _, w in candidates] == ["120w", "240w"]  # never wider than 300
        for url, width in candidates:
            assert url.startswith("/_img/")
            made = opened(site.out / url.lstrip("/"))
            assert (made.format, f"{made.width}w") == (kind, width)
            assert made.height == round(200 * made.width / 300)
    assert img.get("sizes") and webp.get("sizes") == img.get("sizes")


def test_orientation_is_applied_and_location_stripped_from_everything(
    make_site: MakeSite,
) -> None:
    site = make_site(bundle(photo(300, 200, turned=True)), CONFIG)
    assert warnings_of(site.build()) == []
    img = site.page("2025/03/14/harbour/").all("//figure/picture/img")[0]
    assert (img.get("width"), img.get("height")) == ("200", "300")  # upright
    published = [site.out / "2025/03/14/harbour/harbour.jpg", *(site.out / "_img").rglob("*.*")]
    assert len(published) > 4
    for file in published:
        made = opened(file)
        exif = made.getexif()
        assert dict(exif) == {} and exif.get_ifd(GPS_IFD) == {}, file
        assert made.height >= made.width or "thumb" in file.name, file


def test_keep_metadata_keeps_the_camera_and_location(make_site: MakeSite) -> None:
    original = photo()
    config = CONFIG.replace("thumbnail: 60x40", "thumbnail: 60x40, keep_metadata: true")
    site = make_site(bundle(original), config)
    assert warnings_of(site.build()) == []
    assert (site.out / "2025/03/14/harbour/harbour.jpg").read_bytes() == original
    smaller = next((site.out / "_img").rglob("*-120.jpg"))
    assert opened(smaller).getexif().get_ifd(GPS_IFD)


def test_a_photo_no_page_shows_is_published_without_its_location(make_site: MakeSite) -> None:
    """A file of static/ or of a bundle that no page shows as a picture (a link to it, an
    embargoed story's photo left in static/) is published as it is but for its metadata:
    its picture's bytes untouched, turned upright when its EXIF says so; one with nothing
    to remove, or that is not an image at all, goes out as it is, and keep_metadata keeps it."""
    loose, turned = photo(), photo(turned=True)
    png = io.BytesIO()
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "shot at the source's flat")
    Image.new("RGB", (20, 10)).save(png, "PNG", pnginfo=text)
    clean = io.BytesIO()
    Image.new("RGB", (20, 10)).save(clean, "PNG")
    files: dict[str, str | bytes] = {
        "articles/linked/index.md": article("Linked", "2025-03-14 09:30", "[Map](map.png)"),
        "articles/linked/map.png": png.getvalue(),
        "static/loose.jpg": loose,
        "static/turned.jpg": turned,
        "static/clean.png": clean.getvalue(),
        "static/not-a-photo.jpg": "<html>a page saved under a picture's name</html>",
    }
    site = make_site(files, CONFIG)
    assert warnings_of(site.build()) == []
    out = opened(site.out / "loose.jpg")
    assert dict(out.getexif()) == {} and out.getexif().get_ifd(GPS_IFD) == {}
    assert out.tobytes() == opened(site.root / "static/loose.jpg").tobytes()  # not drawn again
    upright = opened(site.out / "turned.jpg")
    assert upright.size == (200, 300) and dict(upright.getexif()) == {}
    assert "Comment" not in opened(site.out / "2025/03/14/linked/map.png").info
    assert (site.out / "clean.png").read_bytes() == clean.getvalue()
    assert (site.out / "not-a-photo.jpg").read_bytes() == files["static/not-a-photo.jpg"].encode()
    first = site.snapshot()
    assert site.build().code == 0 and site.snapshot() == first  # from the cache: the same

    config = CONFIG.replace("thumbnail: 60x40", "thumbnail: 60x40, keep_metadata: true")
    kept = make_site(files, config, name="kept")
    assert kept.build().code == 0
    assert (kept.out / "loose.jpg").read_bytes() == loose


def test_listings_get_a_cropped_thumbnail_and_cards(make_site: MakeSite) -> None:
    site = make_site(
        {
            **bundle(photo(300, 200)),
            "templates/index.html": (
                '{% from "_pictures.html" import picture %}'
                "{% for a in articles %}<div class='thumb'>{{ picture(a, 'thumb') }}</div>"
                "<div class='card'>{{ picture(a, 'card') }}</div>{% endfor %}"
            ),
        },
        CONFIG,
    )
    assert warnings_of(site.build()) == []
    home = site.page("")
    thumb = home.all("//div[@class='thumb']/picture/img")[0]
    assert (thumb.get("width"), thumb.get("height")) == ("60", "40")
    assert thumb.get("loading") == "lazy"
    crop = opened(site.out / thumb.get("src").lstrip("/"))
    assert crop.size == (60, 40)
    doubled = home.all("//div[@class='thumb']/picture/source")[0].get("srcset")
    assert "120w" in doubled  # 2x for sharp screens: the original is large enough
    card = home.all("//div[@class='card']/picture/img")[0]
    assert (card.get("width"), card.get("height")) == ("300", "200")


def test_social_cards_feeds_and_json_ld_use_a_processed_version(make_site: MakeSite) -> None:
    site = make_site(bundle(photo(300, 200)), CONFIG.replace("[120, 240]", "[120, 240, 280]"))
    assert warnings_of(site.build()) == []
    page = site.page("2025/03/14/harbour/")
    og = page.attrs("//meta[@property='og:image']", "content")
    assert len(og) == 1 and og[0].startswith("https://example.org/_img/")
    assert og[0].endswith("-280.jpg")
    assert page.attrs("//meta[@name='twitter:image']", "content") == og
    assert page.attrs("//meta[@property='og:image:width']", "content") == ["280"]
    assert og[0] in page.text("//script[@type='application/ld+json']").replace("\\/", "/")


def test_an_unchanged_image_is_never_processed_again(make_site: MakeSite) -> None:
    site = make_site(bundle(photo()), CONFIG)
    first = site.build()
    assert first.code == 0 and "1 image processed" in first.stdout
    cached = {p: p.stat().st_ino for p in (site.root / ".newsgen-cache/images").rglob("*.*")}
    site.write("articles/harbour/index.md", story() + "More.\n")
    again = site.build()
    assert again.code == 0 and "processed" not in again.stdout
    assert {p: p.stat().st_ino for p in cached} == cached
    site.write("articles/harbour/harbour.jpg", photo(310, 200))
    changed = site.build()
    assert "1 image processed" in changed.stdout
    img = site.page("2025/03/14/harbour/").all("//figure/picture/img")[0]
    assert img.get("width") == "310"


def test_a_missing_lead_image_is_an_error_at_its_line(make_site: MakeSite) -> None:
    site = make_site({"articles/harbour/index.md": story("gone.jpg")}, CONFIG)
    result = site.build()
    assert result.code == 1
    errors, _ = diagnostics(result.stderr)
    assert [(e.path, e.line) for e in errors] == [("articles/harbour/index.md", 4)]
    assert "gone.jpg is missing" in errors[0].message
    assert not site.out.exists()
    # One written from the root, lost as an archive's pictures are, names the setting.
    lost = make_site({"articles/harbour/index.md": story("/gone.jpg")}, CONFIG, name="lost")
    errors, _ = diagnostics(lost.build().stderr)
    assert "images.missing: warning" in errors[0].message


def test_images_missing_warning_shows_a_missing_lead_image_as_written(
    make_site: MakeSite,
) -> None:
    config = CONFIG.replace("thumbnail: 60x40}", "thumbnail: 60x40, missing: warning}")
    site = make_site({"articles/harbour/index.md": story("gone.jpg")}, config)
    warnings = warnings_of(site.build())
    assert [(w.path, w.line, "gone.jpg is missing" in w.message) for w in warnings] == [
        ("articles/harbour/index.md", 4, True)
    ]
    page = site.page("2025/03/14/harbour/")
    assert page.attrs("//img[contains(@class, 'lead-image')]", "src") == [
        "/2025/03/14/harbour/gone.jpg"
    ]


def test_a_broken_lead_image_is_a_warning_and_shown_as_it_is(make_site: MakeSite) -> None:
    site = make_site(bundle(b"\xff\xd8\xff\xe0 not really"), CONFIG)
    warnings = warnings_of(site.build())
    assert [(w.path, w.line) for w in warnings] == [("articles/harbour/index.md", 4)]
    assert "cannot be read" in warnings[0].message or "not an image" in warnings[0].message
    page = site.page("2025/03/14/harbour/")
    assert page.attrs("//figure/img", "src") == ["/2025/03/14/harbour/harbour.jpg"]


def test_processing_gives_the_same_bytes_every_build(make_site: MakeSite) -> None:
    site = make_site(bundle(photo()), CONFIG)
    assert site.build().code == 0
    first = site.snapshot()
    import shutil

    shutil.rmtree(site.root / ".newsgen-cache")
    shutil.rmtree(site.out)
    assert site.build().code == 0
    assert site.snapshot() == first


def test_feeds_carry_the_lead_image(make_site: MakeSite) -> None:
    site = make_site(bundle(photo()), CONFIG)
    assert warnings_of(site.build()) == []
    rss = feedparser.parse((site.out / "feed.xml").read_bytes())
    entry = rss.entries[0]
    large = entry.media_content[0]["url"]
    assert large.startswith("https://example.org/_img/") and large.endswith("-240.jpg")
    assert entry.enclosures[0]["href"] == large
    assert entry.enclosures[0]["type"] == "image/jpeg"
    atom = feedparser.parse((site.out / "atom.xml").read_bytes())
    assert [link["href"] for link in atom.entries[0].links if link["rel"] == "enclosure"] == [large]
    import json

    feed = json.loads((site.out / "feed.json").read_text())
    assert feed["items"][0]["image"] == large


def test_default_image_for_pages_without_one(make_site: MakeSite) -> None:
    files = {
        "articles/a.md": article("Plain"),
        "static/brand.png": photo(400, 300, fmt="PNG"),
    }
    site = make_site(files, CONFIG + "default_image: /brand.png\n")
    assert warnings_of(site.build()) == []
    for rel in ("2024/05/01/a/", ""):
        page = site.page(rel)
        og = page.attrs("//meta[@property='og:image']", "content")
        assert len(og) == 1 and og[0].startswith("https://example.org/_img/"), rel
        assert og[0].endswith("-240.png")
        assert page.attrs("//meta[@name='twitter:image']", "content") == og
    ld = site.page("2024/05/01/a/").text("//script[@type='application/ld+json']")
    assert "brand-240.png" in ld


@pytest.mark.parametrize("written", ["/brand.png", "/paper/brand.png"])
def test_default_image_under_a_base_path(make_site: MakeSite, written: str) -> None:
    # Written from the host's root, as a lead image may be: served under the base path.
    files = {"articles/a.md": article("Plain"), "static/brand.png": photo(400, 300, fmt="PNG")}
    config = CONFIG.replace("https://example.org/", "https://example.org/paper/")
    site = make_site(files, config + f"default_image: {written}\n")
    assert warnings_of(site.build()) == []
    og = site.page("").attrs("//meta[@property='og:image']", "content")
    assert len(og) == 1 and og[0].startswith("https://example.org/paper/_img/"), og
    assert site.page("").attrs("//meta[@property='og:image:width']", "content") == ["240"]


def test_a_missing_default_image_is_an_error_in_the_config(make_site: MakeSite) -> None:
    site = make_site({"articles/a.md": article("Plain")}, CONFIG + "default_image: /x.png\n")
    result = site.build()
    errors, _ = diagnostics(result.stderr)
    assert result.code == 1
    assert [(e.path, e.line) for e in errors] == [("newsgen.yaml", 5)]


def test_image_settings_are_checked(make_site: MakeSite) -> None:
    config = CONFIG.replace("thumbnail: 60x40", "thumbnail: big, quality: 0, missing: maybe")
    site = make_site({"articles/a.md": article("Plain")}, config)
    result = site.build()
    errors, _ = diagnostics(result.stderr)
    assert result.code == 1
    assert sorted(e.message.split("'")[1] for e in errors) == [
        "images.missing",
        "images.quality",
        "images.thumbnail",
    ]


def test_incremental_builds_with_images_equal_clean_builds(
    make_site: MakeSite, tmp_path: Path
) -> None:
    from test_incremental import clean_build

    from newsgen.build import Builder

    site = make_site(
        {**bundle(photo()), "static/share.png": photo(200, 100, fmt="PNG")},
        CONFIG + "default_image: /share.png\n",
    )
    assert site.build().code == 0
    kept = Builder(site.root, keep=True, workers=1)  # serve's builder, which keeps its site
    kept.build()
    steps: list[tuple[str, str | bytes]] = [
        ("articles/harbour/harbour.jpg", photo(260, 200, turned=True)),
        ("articles/harbour/index.md", story() + "A longer body.\n"),
        ("newsgen.yaml", CONFIG.replace("[120, 240]", "[100]")),
        ("articles/harbour/index.md", story("/share.png")),
        ("articles/harbour/index.md", article("Harbour", "2025-03-14 09:30", "No picture.")),
        ("articles/harbour/index.md", story()),
        # The same picture under another name: its versions are named after it.
        ("articles/harbour/pier.jpg", photo(260, 200, turned=True)),
        ("articles/harbour/index.md", story("pier.jpg")),
    ]
    try:
        for number, (rel, content) in enumerate(steps):
            site.write(rel, content)
            builder = kept if number % 2 else None
            if builder is None:
                assert site.build().code == 0
            else:
                builder.build()
            assert site.snapshot() == clean_build(site, tmp_path), rel
    finally:
        kept.close()


def test_processing_keeps_transparency_and_leaves_animations_whole() -> None:
    from newsgen.images import process
    from newsgen.models import ImageSettings

    settings = ImageSettings(widths=(50,), thumbnail=(20, 20))
    clear = io.BytesIO()
    Image.new("RGBA", (100, 80), (0, 0, 0, 0)).save(clear, "WEBP", lossless=True)
    made = process(clear.getvalue(), "logo.webp", settings)
    assert {f.mime for f in made.files if f.role == "fallback"} == {"image/png"}
    assert Image.open(io.BytesIO(made.files[-1].data)).mode == "RGBA"
    frames = [Image.new("RGB", (30, 20), colour) for colour in ("red", "blue")]
    moving = io.BytesIO()
    frames[0].save(moving, "GIF", save_all=True, append_images=frames[1:])
    animation = process(moving.getvalue(), "a.gif", settings)
    assert (animation.width, animation.height, animation.files) == (30, 20, ())


def body_story(body: str) -> str:
    return article("Harbour", "2025-03-14 09:30", body)


def test_body_images_get_their_size_and_versions(make_site: MakeSite) -> None:
    files = {
        "articles/harbour/index.md": body_story("Boats.\n\n![The quay](quay.jpg)\n"),
        "articles/harbour/quay.jpg": photo(300, 200, turned=True),
    }
    site = make_site(files, CONFIG)
    assert warnings_of(site.build()) == []
    page = site.page("2025/03/14/harbour/")
    img = page.all("//div[@class='body']//picture/img")[0]
    assert (img.get("src"), img.get("alt")) == ("quay.jpg", "The quay")
    assert (img.get("width"), img.get("height")) == ("200", "300")
    assert [c.split(" ")[1] for c in img.get("srcset").split(", ")] == ["120w", "200w"]
    webp = page.all("//div[@class='body']//picture/source")[0]
    assert webp.get("type") == "image/webp" and webp.get("sizes") == img.get("sizes")
    first = webp.get("srcset").split(" ")[0]
    assert opened(site.out / first.lstrip("/")).format == "WEBP"
    original = opened(site.out / "2025/03/14/harbour/quay.jpg")
    assert original.getexif().get_ifd(GPS_IFD) == {} and original.size == (200, 300)


def test_a_changed_body_image_redraws_the_bodies_using_it(
    make_site: MakeSite, tmp_path: Path
) -> None:
    from test_incremental import clean_build

    from newsgen.build import Builder

    files = {
        "articles/a/index.md": body_story("![One](p.png)\n"),
        "articles/a/p.png": photo(300, 200, fmt="PNG"),
        "articles/b.md": article("Other", "2025-03-15", "![Two](/s.jpg)\n"),
        "static/s.jpg": photo(200, 100),
    }
    site = make_site(files, CONFIG)
    assert site.build().code == 0
    kept = Builder(site.root, keep=True, workers=1)
    kept.build()
    steps: list[tuple[str, bytes]] = [
        ("static/s.jpg", photo(220, 100)),
        ("articles/a/p.png", photo(250, 200, fmt="PNG")),
        ("static/s.jpg", b"broken now"),
        ("static/s.jpg", photo(200, 100)),
    ]
    try:
        for number, (rel, content) in enumerate(steps):
            site.write(rel, content)
            if number % 2:
                kept.build()
            else:
                assert site.build().code == 0
            assert site.snapshot() == clean_build(site, tmp_path), rel
    finally:
        kept.close()
    img = site.page("2025/03/15/b/").all("//div[@class='body']//img")[0]
    assert img.get("width") == "200"


def test_a_broken_body_image_is_a_warning_and_a_missing_one_an_error_at_its_line(
    make_site: MakeSite,
) -> None:
    text = body_story("Intro.\n\n![Gone](gone.png)\n\n![Bad](bad.png)\n")
    site = make_site({"articles/a/index.md": text, "articles/a/bad.png": b"not png"}, CONFIG)
    result = site.build()
    assert result.code == 1
    assert "Traceback" not in result.stderr
    errors, warnings = diagnostics(result.stderr)
    assert [(e.path, e.line) for e in errors] == [("articles/a/index.md", 8)]
    assert "image gone.png is missing" in errors[0].message
    assert "images.missing: warning" in errors[0].message
    assert [(w.path, w.line, "bad.png" in w.message) for w in warnings] == [
        ("articles/a/index.md", 10, True)
    ]
    assert not site.out.exists()


def test_images_missing_warning_draws_a_missing_body_image_as_written(
    make_site: MakeSite,
) -> None:
    text = body_story("Intro.\n\n![Gone](gone.png)\n")
    config = CONFIG.replace("thumbnail: 60x40}", "thumbnail: 60x40, missing: warning}")
    site = make_site({"articles/a/index.md": text}, config)
    warnings = warnings_of(site.build())
    assert [(w.path, w.line, "gone.png is missing" in w.message) for w in warnings] == [
        ("articles/a/index.md", 8, True)
    ]
    page = site.page("2025/03/14/a/")
    assert page.attrs("//div[@class='body']//img", "src") == ["gone.png"]
    checked = run_newsgen("check", site.root)
    assert "articles/a/index.md:8: warning: image gone.png is missing" in checked.stdout


def test_an_animated_body_image_gets_its_size_and_no_empty_srcset(make_site: MakeSite) -> None:
    frames = [Image.new("RGB", (30, 20), colour) for colour in ("red", "blue")]
    moving = io.BytesIO()
    frames[0].save(moving, "GIF", save_all=True, append_images=frames[1:])
    text = body_story("![Moving](m.gif)\n")
    site = make_site({"articles/a/index.md": text, "articles/a/m.gif": moving.getvalue()}, CONFIG)
    assert warnings_of(site.build()) == []
    img = site.page("2025/03/14/a/").all("//div[@class='body']//img")[0]
    assert (img.get("width"), img.get("height")) == ("30", "20")
    assert img.get("srcset") is None and img.get("sizes") is None


def test_a_16_bit_grey_picture_keeps_its_tones_in_its_versions() -> None:
    from newsgen.images import process
    from newsgen.models import ImageSettings

    deep = io.BytesIO()
    Image.new("I;16", (100, 80), 30000).save(deep, "PNG")  # a mid grey (30000 of 65535)
    made = process(deep.getvalue(), "scan.png", ImageSettings(widths=(50,), thumbnail=(20, 20)))
    for f in made.files:
        if f.role != "src":
            grey = Image.open(io.BytesIO(f.data)).convert("L").getpixel((5, 5))
            assert 110 <= grey <= 124, (f.name, grey)  # not 255, white


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_an_animation_is_published_without_its_location(fmt: str) -> None:
    from newsgen.images import process
    from newsgen.models import ImageSettings

    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif.get_ifd(GPS_IFD)[2] = (51.0, 30.0, 12.0)
    frames = [Image.new("RGB", (30, 20), colour) for colour in ("red", "blue")]
    moving = io.BytesIO()
    frames[0].save(moving, fmt, save_all=True, append_images=frames[1:], exif=exif)
    assert b"Canon" in moving.getvalue()
    made = process(moving.getvalue(), "a." + fmt.lower(), ImageSettings())
    (original,) = made.files
    assert original.role == "src" and b"Canon" not in original.data
    published = Image.open(io.BytesIO(original.data))
    assert (published.format, published.n_frames, published.size) == (fmt, 2, (30, 20))
    assert not published.getexif()
    published.seek(1)
    red, _, blue = published.convert("RGB").getpixel((5, 5))
    assert blue > 240 and red < 10  # the second frame, as it was
    kept = process(moving.getvalue(), "a.webp", ImageSettings(keep_metadata=True))
    assert kept.files == ()


def test_images_are_processed_in_the_workers_even_when_few() -> None:
    # Processing takes most of a second an image: three photos are worth the workers,
    # where three pages (a few milliseconds each) are not.
    import multiprocessing
    import os

    from newsgen.processes import run_in_order

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here")
    where = list(run_in_order(lambda _: os.getpid(), [1, 2, 3], 2, heavy=True))
    assert len(where) == 3 and set(where) != {os.getpid()}
    assert set(run_in_order(lambda _: os.getpid(), [1, 2, 3], 2)) == {os.getpid()}


def test_a_cmyk_pictures_versions_carry_no_cmyk_profile() -> None:
    from newsgen.images import process
    from newsgen.models import ImageSettings

    printed = io.BytesIO()
    cmyk = Image.new("CMYK", (100, 80), (0, 255, 255, 0))  # red, as a printer has it
    cmyk.save(printed, "JPEG", icc_profile=b"a press's CMYK profile")
    made = process(printed.getvalue(), "c.jpg", ImageSettings(widths=(50,), thumbnail=(20, 20)))
    for f in made.files:
        image = Image.open(io.BytesIO(f.data))
        if f.role == "src":
            assert image.mode == "CMYK" and image.info.get("icc_profile")
        else:
            assert image.mode == "RGB" and not image.info.get("icc_profile"), f.name
            red, green, _ = image.convert("RGB").getpixel((5, 5))
            assert red > 200 and green < 60, f.name


@pytest.mark.parametrize("fmt", ["JPEG", "GIF"])
def test_a_pictures_comment_is_stripped_from_every_file(fmt: str) -> None:
    from newsgen.images import process
    from newsgen.models import ImageSettings

    written = io.BytesIO()
    picture = Image.new("RGB", (100, 80), (200, 0, 0))
    picture.save(written, fmt, comment=b"Taken at the informant's flat, 12 Quay Road")
    made = process(written.getvalue(), "x." + fmt.lower(), ImageSettings(widths=(50,)))
    assert made.files
    assert [f.name for f in made.files if b"informant" in f.data] == []


def test_a_lossless_webp_stays_lossless_when_stripped() -> None:
    from newsgen.images import process
    from newsgen.models import ImageSettings

    chart = Image.new("RGB", (100, 80), (255, 255, 255))
    for x in range(0, 100, 3):
        chart.putpixel((x, 40), (0, 0, 0))
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD)[2] = (51.0, 30.0, 12.0)
    written = io.BytesIO()
    chart.save(written, "WEBP", lossless=True, exif=exif)
    made = process(written.getvalue(), "chart.webp", ImageSettings(widths=(50,)))
    (original,) = [f for f in made.files if f.role == "src"]
    published = Image.open(io.BytesIO(original.data))
    assert not published.getexif()
    assert published.convert("RGB").tobytes() == chart.tobytes()


def test_a_picture_cut_short_is_shown_as_it_is_without_its_location(make_site: MakeSite) -> None:
    whole = photo(300, 200)
    cut = whole[: len(whole) * 2 // 3]
    text = body_story("![Cut](cut.jpg)\n")
    files = {"articles/a/index.md": text, "articles/a/cut.jpg": cut, **bundle(cut)}
    site = make_site(files, CONFIG)
    warnings = warnings_of(site.build())
    assert sorted((w.path, w.line) for w in warnings) == [
        ("articles/a/index.md", 6),
        ("articles/harbour/index.md", 4),
    ]
    for rel in ("2025/03/14/a/cut.jpg", "2025/03/14/harbour/harbour.jpg"):
        published = (site.out / rel).read_bytes()
        assert b"Canon" not in published and published.endswith(cut[-100:]), rel
    assert site.page("2025/03/14/a/").attrs("//div[@class='body']//img", "src") == ["cut.jpg"]


@pytest.mark.fast
@pytest.mark.parametrize(
    ("name", "stem"),
    [("Île de Sein.jpg", "Ile-de-Sein"), ("Причал на рассвете.jpg", "Причал-на-рассвете")],
)
def test_a_pictures_versions_keep_the_letters_of_its_name(name: str, stem: str) -> None:
    from newsgen.images import process
    from newsgen.models import ImageSettings

    photo = io.BytesIO()
    Image.new("RGB", (120, 80), (40, 90, 140)).save(photo, "JPEG")
    made = process(photo.getvalue(), name, ImageSettings(widths=(60,), thumbnail=(20, 20)))
    versions = [f.name for f in made.files if f.role != "src"]  # the original keeps its name
    assert versions and all(v.startswith(stem + "-") for v in versions), versions


def test_the_pictures_of_a_story_held_back_are_not_published_until_it_is(
    make_site: MakeSite,
) -> None:
    """A picture drawn into an embargoed story's body is news too: its versions under _img/
    come out with the story, not before (nor a draft's)."""
    files = {
        "articles/harbour/index.md": article(
            "Harbour", "2025-03-14 09:30", "![The quay](quay.jpg)", publish_at="2025-03-15 08:00"
        ),
        "articles/harbour/quay.jpg": photo(300, 200),
        "articles/draft/index.md": article(
            "Draft", "2025-03-13", "![Pier](pier.jpg)", draft="true"
        ),
        "articles/draft/pier.jpg": photo(200, 100),
        "articles/out.md": article("Out", "2025-03-14 08:00"),
    }
    site = make_site(files, CONFIG)
    assert site.build("--now", "2025-03-15 07:59").code == 0
    published = sorted(p.name for p in site.out.rglob("*") if p.is_file())
    assert not [name for name in published if "quay" in name or "pier" in name]
    assert site.build("--now", "2025-03-15 08:00").code == 0
    img = site.page("2025/03/14/harbour/").all("//div[@class='body']//picture/img")[0]
    for candidate in img.get("srcset").split(", "):
        assert (site.out / candidate.split(" ")[0].lstrip("/")).is_file()
    assert not [p for p in site.out.rglob("*") if "pier" in p.name]
