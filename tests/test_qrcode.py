"""The QR encoder: the same symbols as segno, codes a scanner reads, and an SVG that draws them."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from parkpress.render import qrcode
from parkpress.render.qrcode import QUIET_ZONE, qr_svg

segno = pytest.importorskip("segno")

# Every version up to 10 (without and with version information, each count-field width),
# then versions from each group of remainder bits and each count of alignment patterns.
VERSIONS = [*range(1, 11), 13, 14, 21, 22, 27, 28, 34, 35, 40]


def _filling(version: int, level: str) -> bytes:
    """Data that fills the symbol exactly: no room for the terminator's padding, where segno
    adds a zero byte the standard does not ask for, so its symbol must equal ours bit for bit."""
    count = (8 * qrcode._data_codewords(version, level) - 4 - qrcode._count_bits(version) - 4) // 8
    return bytes((index * 37 + 11) % 256 for index in range(count))


def _segno_modules(code) -> str:
    return "".join("".join(str(module) for module in row) + "\n" for row in code.matrix)


@pytest.mark.parametrize("level", qrcode.LEVELS)
def test_the_block_structure_of_every_version_is_the_standards(level):
    for version in range(1, 41):
        blocks = segno.consts.ECC[version][{"M": 0, "Q": 3, "H": 2}[level]]
        assert sum(block.num_blocks for block in blocks) == qrcode._BLOCKS[level][version - 1], version
        assert {block.num_total - block.num_data for block in blocks} == {qrcode._EC_PER_BLOCK[level][version - 1]}, version
        assert sum(block.num_blocks * block.num_data for block in blocks) == qrcode._data_codewords(version, level), version
        assert qrcode._layout(version, level, 0).data_modules == qrcode._raw_modules(version)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_symbol_is_segnos_module_for_module(version):
    for level in qrcode.LEVELS:
        data = _filling(version, level)
        for mask in (qrcode.MASK, (version + len(level)) % 8):
            code = segno.make(data, version=version, error=level.lower(), mask=mask, mode="byte", micro=False, boost_error=False)
            assert qrcode._modules(data, version, level, mask) == _segno_modules(code), (level, mask)


def test_the_version_and_level_are_segnos_for_addresses_of_every_length():
    for length in range(1, 700, 23):
        url = "https://invest.example.org/" + ("de/nachrichten/" * 60)[:length]
        code = segno.make(url, error="m", micro=False, mask=qrcode.MASK)
        assert qrcode._symbol_for(len(url)) == (code.version, code.error), length


def test_the_svg_is_segnos_drawing_of_the_same_symbol():
    for version, level in ((1, "M"), (5, "Q"), (12, "H")):
        data = _filling(version, level)
        code = segno.make(data, version=version, error=level.lower(), mask=0, mode="byte", micro=False, boost_error=False)
        theirs = code.svg_inline(border=QUIET_ZONE, omitsize=True, svgclass="qr", lineclass=None, dark="#000", light="#fff")
        ours = qrcode._svg(qrcode._modules(data, version, level, 0), 4 * version + 17)
        assert ours == theirs.replace("<svg ", '<svg aria-hidden="true" ', 1)


def _drawn(svg: str) -> list[list[int]]:
    """The modules the SVG's path paints dark, quiet zone included."""
    width = int(re.search(r'viewBox="0 0 (\d+) \1"', svg)[1])
    modules = [[0] * width for _ in range(width)]
    path = re.search(r'<path stroke="#000" d="([^"]+)"', svg)[1]
    x = y = 0.0
    for move, dx, dy, length in re.findall(r"([Mm])(-?\d+) (-?[\d.]+)h(\d+)", path):
        x, y = (float(dx), float(dy)) if move == "M" else (x + float(dx), y + float(dy))
        assert y % 1 == 0.5  # centred on a row, so a stroke 1 wide covers it exactly
        for column in range(int(x), int(x) + int(length)):
            modules[int(y)][column] = 1
        x += int(length)
    return modules


@pytest.mark.parametrize(
    "url",
    [
        "https://invest.example.org/",
        "https://invest.example.org/de/nachrichten/2021-alpha-grows/",
        "https://invest.example.org/fr/actualites/" + "tres-longue-adresse-" * 12,  # version 10 and up
        "https://例え.jp/parks/wǔqīng/",  # not Latin-1: UTF-8
    ],
)
def test_a_scanner_reads_the_drawn_code_as_the_address(url):
    zxingcpp = pytest.importorskip("zxingcpp")
    svg = qr_svg(url)
    assert svg.startswith('<svg aria-hidden="true" ') and 'class="qr"' in svg
    modules = _drawn(svg)
    image = Image.new("L", (len(modules), len(modules)))
    image.putdata([0 if dark else 255 for row in modules for dark in row])
    scanned = zxingcpp.read_barcodes(image.resize((8 * image.width, 8 * image.height), Image.NEAREST))
    assert [result.text for result in scanned] == [url]


def test_an_address_too_long_for_any_code_is_an_error():
    with pytest.raises(qrcode.TooLong):
        qr_svg("https://invest.example.org/" + "x" * 3000)
