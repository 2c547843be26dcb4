"""Regenerate the conference file schema in resources/: `python -m chair_app.exchange.write_schema`."""

from __future__ import annotations

import json

from chair_app.exchange.conference_file import SCHEMA_PATH_NAME, schema
from chair_app.paths import RESOURCES

if __name__ == "__main__":
    path = RESOURCES / SCHEMA_PATH_NAME
    path.write_text(json.dumps(schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path}")
