"""Render the app's SVG icon into the raster formats installers want: PNG sizes, .ico and .icns.

Runs with the project's own Qt (QtSvg), so no image tool is needed on the build machine.
Both container formats hold plain PNG images: .ico entries may be PNG since Windows Vista,
and the .icns types below are the PNG-based ones macOS has read since 10.7.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}
PNG_SIZES = (48, 128, 256, 512)


def render_png(svg: bytes, size: int) -> bytes:
    """The SVG drawn into a transparent ``size`` x ``size`` square, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

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


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon file made of PNG-typed elements."""
    body = b"".join(
        ICNS_TYPES[size] + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for size in sorted(pngs)
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(svg_path: Path, out_dir: Path) -> dict[str, Path]:
    """Write hkdesk.ico, hkdesk.icns and hkdesk-SIZE.png files into ``out_dir``; return them by kind."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = svg_path.read_bytes()
    sizes = sorted(set(ICO_SIZES) | set(ICNS_TYPES) | set(PNG_SIZES))
    pngs = {size: render_png(svg, size) for size in sizes}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {
        "ico": out_dir / "hkdesk.ico",
        "icns": out_dir / "hkdesk.icns",
    }
    written["ico"].write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    written["icns"].write_bytes(icns_bytes({s: pngs[s] for s in ICNS_TYPES}))
    for size in PNG_SIZES:
        path = out_dir / f"hkdesk-{size}.png"
        path.write_bytes(pngs[size])
        written[f"png{size}"] = path
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("svg", type=Path, help="the source SVG")
    parser.add_argument("out_dir", type=Path, help="folder to write the icons into")
    args = parser.parse_args(argv)
    try:
        written = make_icons(args.svg, args.out_dir)
    except (OSError, ValueError) as exc:
        print(f"make_icons: {exc}", file=sys.stderr)
        return 1
    for kind, path in written.items():
        print(f"{kind}\t{path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
