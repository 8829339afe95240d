"""QR codes of page addresses, as inline SVG for printed pages.

The encoder is our own (ISO/IEC 18004, byte mode only, one fixed mask) instead of segno's
general one: every news item and park profile prints its address as a QR code, and segno
took ~3.5 ms to encode and ~2 ms to write the SVG of each, as much as rendering all the
rest of the page.  Everything that depends only on a symbol's version (where the function
patterns are, the order in which data modules are placed, the mask) is worked out once per
process, so a code costs a few big-integer operations and one pass over its modules; see
tests/test_qrcode.py for the checks against segno and a scanner.
"""

from __future__ import annotations

import functools
import re
from itertools import chain
from operator import itemgetter

from markupsafe import Markup

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks, so scanners find its edges
# Every code uses one mask pattern: scoring all eight (what encoders do by default) costs
# more than everything else together.  Any of the eight gives a valid code; scanners read
# a short URL's code with any of them.
MASK = 0

# Error correction: at least M (15 % of the code may be lost, a printed code survives a
# crease or a stain); higher when the text fits the same symbol anyway.  The two bits
# are what the format information calls the level.
LEVELS = ("M", "Q", "H")
_LEVEL_BITS = {"L": 1, "M": 0, "Q": 3, "H": 2}
# ISO/IEC 18004 table 9, versions 1 to 40: error correction codewords per block, and blocks.
_EC_PER_BLOCK = {
    "M": (10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
          26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28),
    "Q": (13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
          28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "H": (17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
          30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
}  # fmt: skip
_BLOCKS = {
    "M": (1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
          17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49),
    "Q": (1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
          23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68),
    "H": (1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
          25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81),
}  # fmt: skip
_MASKS = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: r * c % 2 + r * c % 3 == 0,
    lambda r, c: (r * c % 2 + r * c % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + r * c % 3) % 2 == 0,
)


class TooLong(ValueError):
    """The text does not fit the largest QR code (version 40)."""


def qr_svg(url: str) -> Markup:
    """The QR code of ``url`` as an <svg> that scales to its box and that screen readers skip."""
    data = _bytes_of(url)
    version, level = _symbol_for(len(data))
    return Markup(_svg(_modules(data, version, level, MASK), 4 * version + 17))


def _bytes_of(text: str) -> bytes:
    # Byte mode means ISO 8859-1 unless an ECI says otherwise; scanners read UTF-8 too,
    # which is what an address outside Latin-1 can only be.
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _symbol_for(length: int) -> tuple[int, str]:
    """The smallest version that holds ``length`` bytes at level M, and the best level that version allows."""
    for version in range(1, 41):
        needed = 4 + _count_bits(version) + 8 * length  # mode, character count, data
        if needed <= 8 * _data_codewords(version, "M"):
            level = "M"
            for better in LEVELS[1:]:
                if needed > 8 * _data_codewords(version, better):
                    break
                level = better
            return version, level
    raise TooLong(f"{length} bytes do not fit a QR code")


def _count_bits(version: int) -> int:
    return 8 if version < 10 else 16


def _raw_modules(version: int) -> int:
    """Modules left for codewords (and remainder bits) once the function patterns are placed."""
    result = (16 * version + 128) * version + 64
    if version >= 2:
        aligns = version // 7 + 2
        result -= (25 * aligns - 10) * aligns - 55
        if version >= 7:
            result -= 36  # the two version information blocks
    return result


def _data_codewords(version: int, level: str) -> int:
    return _raw_modules(version) // 8 - _EC_PER_BLOCK[level][version - 1] * _BLOCKS[level][version - 1]


def _modules(data: bytes, version: int, level: str, mask: int) -> str:
    """The symbol's modules row by row, '1' dark and '0' light, each row ended by a newline."""
    capacity = _data_codewords(version, level)
    bits = 4 + _count_bits(version) + 8 * len(data)
    stream = ((0b0100 << _count_bits(version)) | len(data)) << (8 * len(data)) | int.from_bytes(data, "big")
    terminator = min(4, 8 * capacity - bits)
    stream <<= terminator + (-(bits + terminator) % 8)  # terminator, then zeros to the byte boundary
    used = (bits + terminator + 7) // 8
    codewords = stream.to_bytes(used, "big") + b"\xec\x11" * ((capacity - used + 1) // 2)
    message = _interleave(codewords[:capacity], version, level)
    layout = _layout(version, level, mask)
    value = (int.from_bytes(message, "big") << layout.remainder) ^ layout.mask_bits
    return "".join(layout.place(f"{value:0{layout.data_modules}b}01\n"))


def _interleave(codewords: bytes, version: int, level: str) -> bytes:
    """Split into blocks, add each block's error correction, and interleave (ISO/IEC 18004 7.6)."""
    blocks, ec = _BLOCKS[level][version - 1], _EC_PER_BLOCK[level][version - 1]
    short = len(codewords) // blocks  # the last (len % blocks) blocks hold one codeword more
    longs = len(codewords) % blocks
    data, start = [], 0
    for index in range(blocks):
        end = start + short + (index >= blocks - longs)
        data.append(codewords[start:end])
        start = end
    table, top, full = _reed_solomon(ec), 8 * (ec - 1), (1 << 8 * ec) - 1
    remainders = []
    for block in data:
        remainder = 0
        for byte in block:  # polynomial division, one data codeword at a time
            remainder = ((remainder << 8) & full) ^ table[(remainder >> top) ^ byte]
        remainders.append(remainder.to_bytes(ec, "big"))
    interleaved = bytearray(chain.from_iterable(zip(*(block[:short] for block in data), strict=True)))
    interleaved.extend(block[short] for block in data[blocks - longs :])
    interleaved.extend(chain.from_iterable(zip(*remainders, strict=True)))
    return bytes(interleaved)


@functools.cache
def _reed_solomon(degree: int) -> tuple[int, ...]:
    """For each value of the leading coefficient, what one step of dividing by the generator
    polynomial of ``degree`` XORs into the remainder (kept as one integer of ``degree`` bytes)."""
    exp, log = [0] * 255, [0] * 256
    value = 1
    for power in range(255):
        exp[power], log[value] = value, power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    generator = [1]  # coefficients, highest power first: product of (x - 2^i) for i < degree
    for root in range(degree):
        generator = [a ^ (exp[(log[b] + root) % 255] if b else 0) for a, b in zip([*generator, 0], [0, *generator], strict=True)]
    divisor = generator[1:]

    def times(factor: int) -> int:
        products = bytes(exp[(log[c] + log[factor]) % 255] if c and factor else 0 for c in divisor)
        return int.from_bytes(products, "big")

    return tuple(times(factor) for factor in range(256))


class _Layout:
    """Where everything goes in one version's symbol, for one level and mask."""

    def __init__(self, version: int, level: str, mask: int):
        size = 4 * version + 17
        grid: list[list[int | None]] = [[None] * size for _ in range(size)]  # 0 light, 1 dark, None data

        for index in range(size):  # timing patterns
            grid[6][index] = grid[index][6] = int(index % 2 == 0)
        for top, left in ((3, 3), (3, size - 4), (size - 4, 3)):  # finders with their light separators
            for row in range(top - 4, top + 5):
                for col in range(left - 4, left + 5):
                    if 0 <= row < size and 0 <= col < size:
                        distance = max(abs(row - top), abs(col - left))
                        grid[row][col] = int(distance not in (2, 4))
        centres = _alignment_centres(version)
        corners = {(6, 6), (6, size - 7), (size - 7, 6)}  # where the finders are
        for top in centres:
            for left in centres:
                if (top, left) not in corners:
                    for row in range(top - 2, top + 3):
                        for col in range(left - 2, left + 3):
                            grid[row][col] = int(max(abs(row - top), abs(col - left)) != 1)

        format_bits = _format_bits(level, mask)
        for index in range(15):
            bit = (format_bits >> index) & 1
            # first copy: down column 8 (rows 0-5, 7, 8), then along row 8 leftwards (columns 7, 5-0)
            if index < 6:
                grid[index][8] = bit
            elif index < 8:
                grid[index + 1][8] = bit
            elif index == 8:
                grid[8][7] = bit
            else:
                grid[8][14 - index] = bit
            # second copy: row 8 from the right edge, then column 8 towards the bottom edge
            if index < 8:
                grid[8][size - 1 - index] = bit
            else:
                grid[size - 15 + index][8] = bit
        grid[size - 8][8] = 1  # the dark module
        if version >= 7:
            version_bits = _version_bits(version)
            for index in range(18):
                bit = (version_bits >> index) & 1
                grid[index // 3][size - 11 + index % 3] = grid[size - 11 + index % 3][index // 3] = bit

        order = []  # data module positions in placement order: two-column strips from the right, zigzagging
        right = size - 1
        while right >= 1:
            if right == 6:
                right = 5  # the vertical timing pattern is skipped as a whole column
            upward = (right + 1) & 2 == 0
            for step in range(size):
                row = size - 1 - step if upward else step
                for col in (right, right - 1):
                    if grid[row][col] is None:
                        order.append((row, col))
            right -= 2
        self.data_modules = len(order)
        self.remainder = self.data_modules - 8 * (self.data_modules // 8)
        flip = _MASKS[mask]
        self.mask_bits = int("".join("1" if flip(row, col) else "0" for row, col in order), 2)
        # The placed text is the data bits followed by '0', '1' and '\n': function modules
        # and line ends are taken from those three, data modules from their own bit.
        light, dark, newline = len(order), len(order) + 1, len(order) + 2
        position = {cell: index for index, cell in enumerate(order)}
        source = []
        for row in range(size):
            for col in range(size):
                value = grid[row][col]
                source.append(position[(row, col)] if value is None else dark if value else light)
            source.append(newline)
        self.place = itemgetter(*source)


@functools.cache
def _layout(version: int, level: str, mask: int) -> _Layout:
    return _Layout(version, level, mask)


def _alignment_centres(version: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    step = (version * 8 + count * 3 + 5) // (count * 4 - 4) * 2
    last = 4 * version + 10
    return [6, *sorted(last - index * step for index in range(count - 1))]


def _format_bits(level: str, mask: int) -> int:
    """Level and mask with their BCH(15,5) check bits, XORed with the standard's mask."""
    data = _LEVEL_BITS[level] << 3 | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    return (data << 10 | remainder) ^ 0x5412


def _version_bits(version: int) -> int:
    """The version with its Golay(18,6) check bits."""
    remainder = version
    for _ in range(12):
        remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25)
    return version << 12 | remainder


def _svg(modules: str, size: int) -> str:
    """One stroked path along the rows' runs of dark modules, each move relative to the end
    of the last run: the smallest SVG for a QR code (about 2.3 KB for a typical address)."""
    width = size + 2 * QUIET_ZONE
    first, *runs = _RUNS(modules)
    rows, dark = first.count("\n"), len(first) - len(first.rstrip("1"))
    x = QUIET_ZONE + len(first) - dark - (first.rfind("\n") + 1)
    start = f"M{x} {QUIET_ZONE + rows}.5h{dark}"  # a stroke 1 wide, centred on the row
    # A code has hundreds of runs, and the same few hundred steps between them recur in every
    # code of its size: each step is a dictionary look-up, not formatting.
    steps = _steps.get(size) or _steps.setdefault(size, _Steps(size))
    return (
        f'<svg aria-hidden="true" viewBox="0 0 {width} {width}" class="qr">'
        f'<path fill="#fff" d="M0 0h{width}v{width}h-{width}z"/>'
        f'<path stroke="#000" d="{start}{"".join(map(steps.__getitem__, runs))}"/></svg>'
    )


# From the end of one run of dark modules, over light modules and row ends, to the end of the next.
_RUNS = re.compile("[0\n]*+1++").findall


class _Steps(dict):
    """Path commands of steps from one run to the next, made when first needed."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def __missing__(self, run: str) -> str:
        dark = len(run) - len(run.rstrip("1"))
        rows = run.count("\n")
        move = len(run) - dark  # the light modules between the two runs
        if rows:  # the next run is in a later row: from where this one ended to where that one starts
            move = (move - run.rfind("\n") - 1) - (self.size - run.find("\n"))
        self[run] = step = f"m{move} {rows}h{dark}"
        return step


_steps: dict[int, _Steps] = {}
