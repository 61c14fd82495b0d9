"""Reading the city's places file (kiosk/core/places.py says what it holds): a CSV file in the
SCDL "équipements collectifs publics" schema, read once at start and handed to the core as a
`PlaceDirectory`. Nothing is fetched at run time."""

from __future__ import annotations

import csv
from pathlib import Path

from kiosk.core.places import REQUIRED_COLUMNS, PlaceDirectory, PlacesFileError, parse_places
from kiosk.settings.loader import PACKAGED_CONFIG_DIR


def read_places(path: Path) -> PlaceDirectory:
    """The places in the CSV file at `path` (comma- or semicolon-separated, UTF-8 with or
    without a byte-order mark), or PlacesFileError."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlacesFileError(f"{path}: file not found (set places.file)") from None
    except PermissionError:
        raise PlacesFileError(f"{path}: cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise PlacesFileError(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError:
        raise PlacesFileError(f"{path}: not UTF-8 text") from None
    header = content.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        reader = csv.DictReader(content.splitlines(), delimiter=delimiter, strict=True)
        columns = [c.strip() for c in reader.fieldnames or []]
        rows = list(reader)
    except csv.Error as err:
        raise PlacesFileError(f"{path}: not a valid CSV file ({err})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise PlacesFileError(
            f"{path}: column {', '.join(missing)} missing (the file must follow the SCDL "
            "'équipements collectifs publics' schema)"
        )
    if any(None in row for row in rows):
        bad = next(n for n, row in enumerate(rows, start=2) if None in row)
        raise PlacesFileError(f"{path}: row {bad}: more values than columns "
                              "(put quotes around values holding a comma)")
    stripped = [{(k or "").strip(): v for k, v in row.items()} for row in rows]
    return parse_places(stripped, str(path))


def places_path(configured: Path, packaged_dir: Path = PACKAGED_CONFIG_DIR) -> Path:
    """The file `places.file` names: a relative path is in the packaged `config/`."""
    return configured if configured.is_absolute() else packaged_dir / configured
