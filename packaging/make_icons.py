"""Render the app's one icon source, resources/icons/hkdesk.svg, into every raster file the platforms use.

    python packaging/make_icons.py            # rewrite the committed icons after editing the SVG
    python packaging/make_icons.py --check    # exit 1 if the committed icons are not the SVG's

Writes, next to the SVG: ``hkdesk-SIZE.png`` (the Linux hicolor sizes; also the window icon),
``hkdesk.ico`` (Windows) and ``hkdesk.icns`` (macOS). The build uses these committed files and
renders nothing. Runs with the project's own Qt (QtSvg), so no image tool is needed. Both
container formats hold plain PNG images: .ico entries may be PNG since Windows Vista, and the
.icns types below are the PNG-based ones macOS has read since 10.7.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

import numpy as np

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}
#: A committed image matches a fresh rendering if no channel of any pixel differs by more than
#: this (0-255): room for another Qt version's anti-aliasing, none for an edited drawing.
TOLERANCE = 24
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


_app: object | None = None


def _qt_app() -> None:
    """QtSvg and QImage need a Gui application; reuse the running one (tests have a QApplication)."""
    global _app
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        _app = QGuiApplication(sys.argv[:1])


def render_png(svg: bytes, size: int) -> bytes:
    """The SVG drawn into a transparent ``size`` x ``size`` square, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _qt_app()
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ValueError("the icon is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != PNG_MAGIC or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def pixels(data: bytes) -> np.ndarray:
    """RGBA pixels (height x width x 4, not premultiplied) of a PNG."""
    from PySide6.QtGui import QImage

    _qt_app()
    image = QImage.fromData(data, "PNG").convertToFormat(QImage.Format.Format_RGBA8888)
    if image.isNull():
        raise ValueError("unreadable PNG")
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4).copy()


def largest_difference(a: bytes, b: bytes) -> int:
    """The largest channel difference between two PNGs of one size (256 if the sizes differ)."""
    pa, pb = pixels(a), pixels(b)
    if pa.shape != pb.shape:
        return 256
    return int(np.abs(pa.astype(np.int16) - pb.astype(np.int16)).max())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon file whose entries are PNG images (a size of 256 is written as 0)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset))
        blobs.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(blobs)


def read_ico(data: bytes) -> dict[int, bytes]:
    """The PNG images of an .ico by their declared size (0 read as 256)."""
    reserved, kind, count = struct.unpack_from("<HHH", data)
    if (reserved, kind) != (0, 1):
        raise ValueError("not an .ico file")
    out = {}
    for i in range(count):
        side, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        out[side or 256] = data[offset : offset + length]
    return out


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon file made of PNG-typed elements."""
    body = b"".join(
        ICNS_TYPES[size] + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for size in sorted(pngs)
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def read_icns(data: bytes) -> dict[bytes, bytes]:
    """The elements of an .icns file by type."""
    if data[:4] != b"icns" or struct.unpack_from(">I", data, 4)[0] != len(data):
        raise ValueError("not an .icns file")
    out, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack_from(">I", data, pos + 4)[0]
        out[kind] = data[pos + 8 : pos + length]
        pos += length
    return out


def render_all(svg: bytes) -> dict[str, bytes]:
    """Every file this script writes, by file name."""
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_TYPES))
    pngs = {size: render_png(svg, size) for size in sizes}
    files = {f"hkdesk-{size}.png": pngs[size] for size in PNG_SIZES}
    files["hkdesk.ico"] = ico_bytes({s: pngs[s] for s in ICO_SIZES})
    files["hkdesk.icns"] = icns_bytes({s: pngs[s] for s in ICNS_TYPES})
    return files


def _images(name: str, data: bytes) -> dict[str, bytes]:
    """The PNG images inside one written file, labelled for messages."""
    if name.endswith(".ico"):
        return {f"{name}[{size}]": png for size, png in read_ico(data).items()}
    if name.endswith(".icns"):
        return {f"{name}[{kind.decode()}]": png for kind, png in read_icns(data).items()}
    return {name: data}


def check_icons(svg_path: Path, icon_dir: Path) -> list[str]:
    """What is missing or differs from a fresh rendering of ``svg_path`` (empty when all is well)."""
    problems = []
    for name, fresh in render_all(svg_path.read_bytes()).items():
        path = icon_dir / name
        if not path.is_file():
            problems.append(f"{name}: missing")
            continue
        try:
            committed = _images(name, path.read_bytes())
        except (ValueError, struct.error) as exc:
            problems.append(f"{name}: {exc}")
            continue
        expected = _images(name, fresh)
        if committed.keys() != expected.keys():
            problems.append(f"{name}: holds {sorted(committed)}, expected {sorted(expected)}")
            continue
        for label, png in expected.items():
            if png_size(committed[label]) != png_size(png):
                problems.append(f"{label}: {png_size(committed[label])} pixels, expected {png_size(png)}")
            elif (diff := largest_difference(committed[label], png)) > TOLERANCE:
                problems.append(f"{label}: differs from the SVG's rendering by up to {diff}/255")
    return problems


def write_icons(svg_path: Path, icon_dir: Path) -> list[Path]:
    icon_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in render_all(svg_path.read_bytes()).items():
        (icon_dir / name).write_bytes(data)
        written.append(icon_dir / name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=ICON_DIR / "hkdesk.svg", help="the source SVG")
    parser.add_argument("--out", type=Path, default=ICON_DIR, help="folder of the icon files")
    parser.add_argument(
        "--check", action="store_true", help="compare instead of writing; exit 1 on a mismatch"
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check_icons(args.svg, args.out)
            for problem in problems:
                print(f"make_icons: {problem}", file=sys.stderr)
            if problems:
                print("make_icons: run python packaging/make_icons.py and commit the result", file=sys.stderr)
                return 1
            print(f"make_icons: the icons in {args.out} match {args.svg.name}")
            return 0
        for path in write_icons(args.svg, args.out):
            print(path)
    except (OSError, ValueError) as exc:
        print(f"make_icons: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
