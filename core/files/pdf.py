"""Active content in a PDF, found by scanning its bytes for the names that carry it.

A PDF runs script or acts by itself only through dictionary keys: ``/JavaScript``, ``/JS``,
``/OpenAction`` (except an explicit destination ``[page /XYZ ...]``, which only opens a page),
``/AA`` (additional actions), ``/Launch``, ``/EmbeddedFile`` (an attached file),
plus ``/RichMedia`` and ``/XFA`` (forms with script). Names may be written with ``#xx`` escapes
(``/J#61vaScript``): they are decoded before the comparison. Dictionaries are plain text in a
PDF, except inside compressed object streams (``/Type /ObjStm``, PDF 1.5+): those streams (and
only those, FlateDecode) are decompressed, at most ``MAX_INFLATED`` bytes in all, and scanned the
same way. Other compressed streams (page content, images, fonts) are not decompressed: they
cannot hold dictionary keys a viewer acts on.
"""

from __future__ import annotations

import re
import zlib

ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"OpenAction", b"AA", b"Launch", b"EmbeddedFile",
                          b"EmbeddedFiles", b"RichMedia", b"XFA"})  # fmt: skip
MAX_INFLATED = 64 * 1024 * 1024

_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm")


class TooComplex(Exception):
    """The object streams expand beyond MAX_INFLATED: refused rather than left unchecked."""


def _names(data: bytes) -> set[bytes]:
    found = set()
    for match in _NAME.finditer(data):
        name = match.group(1)
        if b"#" in name:
            name = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        if name == b"OpenAction" and data[match.end() : match.end() + 64].lstrip()[:1] == b"[":
            # An explicit destination ("open at page 1, fit width"), as LibreOffice writes in every
            # export: it goes to a page and cannot run anything. An action dictionary, or a
            # reference that may name one, is refused.
            continue
        found.add(name)
    return found


def _object_streams(data: bytes) -> list[bytes]:
    """The decompressed content of each FlateDecode object stream (bounded in total)."""
    inflated, budget = [], MAX_INFLATED
    for match in _STREAM.finditer(data):
        dictionary = data[max(0, match.start() - 400) : match.start()]
        dictionary = dictionary[dictionary.rfind(b"obj") :]
        if not _OBJSTM.search(dictionary):
            continue
        end = data.find(b"endstream", match.end())
        raw = data[match.end() : end if end != -1 else len(data)]
        decompressor = zlib.decompressobj()
        try:
            content = decompressor.decompress(raw, budget + 1)
        except zlib.error:
            continue
        if len(content) > budget:
            raise TooComplex
        budget -= len(content)
        inflated.append(content)
    return inflated


def active_content(data: bytes) -> list[str]:
    """The active-content names found (sorted), empty for a passive PDF. Raises TooComplex."""
    names = _names(data)
    for content in _object_streams(data):
        names |= _names(content)
    return sorted(name.decode("latin-1") for name in names & ACTIVE_NAMES)
