"""Read-only access to the marts dbt built. Nothing but dbt opens the DuckDB file for writing."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

MARTS = (
    "pattern_frequency", "layer_topic_matrix", "quarterly_capex", "capex_guidance", "capex_floor",
    "region_comparison", "topic_timeline", "disclosure_coverage", "evidence", "review",
    "filed_capex", "capex_reconciliation", "supply_links",
    "catalysts",
)
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def read_mart(warehouse: Path, name: str) -> pd.DataFrame:
    import duckdb

    if not _IDENT.match(name):
        raise ValueError(f"not a mart name: {name!r}")
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse} does not exist yet: run the dbt stage first")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        df = con.execute(f"select * from main.{name}").df()
    for column in df.columns:  # dates travel as ISO strings: stable in CSV, XLSX and expectations
        if pd.api.types.is_datetime64_any_dtype(df[column]):
            df[column] = df[column].dt.strftime("%Y-%m-%d")
    return df


def read_marts(warehouse: Path, names=MARTS) -> dict[str, pd.DataFrame]:
    from .locks import warehouse_lock

    with warehouse_lock(warehouse):
        return {name: read_mart(warehouse, name) for name in names}
