"""The tile map of the dashboard: each province a square at its place on a grid (a cartogram of
Indonesia), coloured by its realization."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from budgets.models import Province

TILES_CSV = Path(__file__).resolve().parent / "data" / "province_tiles.csv"

TILE = 60  # side of a province's square, in SVG units
STEP = 64  # distance between neighbouring squares
# Five bands of a sequential palette (ColorBrewer YlGn): readable by lightness alone, so also
# for colour-blind readers; each with the text colour that keeps the label at >= 4.5:1 contrast.
PALETTE = (("#ffffcc", "#212529"), ("#c2e699", "#212529"), ("#78c679", "#212529"), ("#31a354", "#212529"),
           ("#006837", "#ffffff"))  # fmt: skip
NO_DATA = ("#e9ecef", "#495057")


@dataclass(frozen=True)
class TilePosition:
    bps_code: str
    row: int
    col: int
    label: str


@cache
def province_tiles() -> dict[str, TilePosition]:
    """Where each province sits on the tile grid (``dashboard/data/province_tiles.csv``)."""
    with TILES_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["bps_code"]: TilePosition(row["bps_code"], int(row["row"]), int(row["col"]), row["label"])
            for row in csv.DictReader(handle)
        }


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal
    fill: str
    text: str


def colour_bands(values: Sequence[Decimal]) -> list[Band]:
    """Quantile bands: each colour holds about a fifth of the provinces shown, and its range is
    that of its provinces. At year end the provinces lie within a few points of each other
    (one outlier would squeeze fixed or equal-width bands into a single colour); mid-year they
    lie far below 100 %."""
    ordered = sorted(values)
    count, colours = len(ordered), len(PALETTE)
    members: dict[int, list[Decimal]] = {}
    for value in ordered:
        first = ordered.index(value)  # equal percentages share a colour
        if count >= colours:
            colour = first * colours // count
        else:  # a handful of provinces: spread them so that the darkest still means the highest
            colour = round(first * (colours - 1) / (count - 1)) if count > 1 else colours - 1
        members.setdefault(colour, []).append(value)
    return [Band(min(group), max(group), *PALETTE[colour]) for colour, group in sorted(members.items())]


def band_of(value: Decimal | None, bands: Sequence[Band]) -> Band | None:
    if value is None:
        return None
    return next((band for band in bands if band.low <= value <= band.high), None)


@dataclass
class Tile:
    bps_code: str
    name: str
    label: str
    persen: Decimal | None
    rank: int | None
    url: str
    x: int
    y: int
    fill: str
    text: str

    @property
    def label_y(self) -> int:
        return self.y + 25

    @property
    def value_y(self) -> int:
        return self.y + 43

    @property
    def centre_x(self) -> int:
        return self.x + TILE // 2


@dataclass
class TileMap:
    tiles: list[Tile]
    bands: list[Band]
    width: int
    height: int
    size: int = TILE
    no_data: str = NO_DATA[0]


def tile_map(rows: Sequence[dict[str, Any]], provinces: dict[str, Province], urls: dict[str, str]) -> TileMap:
    """Every province with a position, coloured by its row's percentage (grey without one)."""
    positions = province_tiles()
    by_code = {row["province"]: row for row in rows}
    bands = colour_bands([row["persen"] for row in rows if row["persen"] is not None])
    tiles = []
    for code, province in provinces.items():
        position = positions.get(code)
        if position is None:
            continue
        row = by_code.get(code, {})
        band = band_of(row.get("persen"), bands)
        fill, text = (band.fill, band.text) if band else NO_DATA
        tiles.append(
            Tile(
                bps_code=code, name=province.name, label=position.label, persen=row.get("persen"),
                rank=row.get("rank"), url=urls[code], x=position.col * STEP, y=position.row * STEP,
                fill=fill, text=text,
            )
        )  # fmt: skip
    columns = max((p.col for p in positions.values()), default=0) + 1
    lines = max((p.row for p in positions.values()), default=0) + 1
    return TileMap(tiles=tiles, bands=bands, width=columns * STEP - (STEP - TILE), height=lines * STEP - (STEP - TILE))
