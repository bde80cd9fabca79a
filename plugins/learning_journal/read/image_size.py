"""Width and height of a PNG, JPEG or SVG from its first bytes, so pages reserve the space
an image takes (no layout shift) without an image library."""

import re
import struct

from lxml import etree

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_LENGTH = re.compile(r"^\s*(?P<number>[0-9]*\.?[0-9]+)\s*(?P<unit>px|pt|)\s*$")
PIXELS_PER = {"": 1.0, "px": 1.0, "pt": 4 / 3}


class BadImage(ValueError):
    """The bytes are not the image their type says."""


def png_size(data: bytes) -> tuple[int, int]:
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 24:
        raise BadImage("not a PNG image (no PNG signature and header)")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def jpeg_size(data: bytes) -> tuple[int, int]:
    if not data.startswith(b"\xff\xd8"):
        raise BadImage("not a JPEG image (no start-of-image marker)")
    position = 2
    while position + 9 < len(data):
        if data[position] != 0xFF:
            position += 1
            continue
        marker = data[position + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            position += 1 if marker == 0xFF else 2
            continue
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        # Start-of-frame markers (baseline, progressive, ...) carry the size; C4, C8, CC do not.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    raise BadImage("a JPEG image without a frame header (its size is unknown)")


def parse_svg(text: str) -> etree._Element:
    """The SVG's root element, parsed without entities, network or DTDs."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        raise BadImage(f"not a readable SVG image ({error})") from None
    if etree.QName(root).localname != "svg":
        raise BadImage("not an SVG image (its root element is not <svg>)")
    return root


def svg_size(root: etree._Element) -> tuple[int, int] | None:
    """From width and height (px, pt or no unit), else the viewBox; None when neither says."""
    width, height = svg_length(root.get("width")), svg_length(root.get("height"))
    if width and height:
        return width, height
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            return None
        if box_width > 0 and box_height > 0:
            return round(box_width), round(box_height)
    return None


def svg_length(value: str | None) -> int | None:
    match = SVG_LENGTH.match(value or "")
    if not match:
        return None
    return round(float(match["number"]) * PIXELS_PER[match["unit"]]) or None
