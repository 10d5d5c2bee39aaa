"""Landed files as dynamic partitions: registering them and the run tags that cover a set of them."""

import dagster as dg

from assets.ingest.store import landed_keys
from assets.tagging.assets import LANDED_FILES
from infrathesis.settings import Settings

# Public tag names Dagster reads to give a run a partition range (one run for many partitions).
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
TAGGING_KEYS = (dg.AssetKey("topic_mentions"), dg.AssetKey("capex_statements"), dg.AssetKey("supply_link_statements"))


def sync_partitions(instance: dg.DagsterInstance, settings: Settings) -> tuple[list[str], list[str]]:
    """Adds a partition per new landed file and drops those of removed files; returns (added, removed)."""
    landed = sorted(landed_keys(settings))
    existing = instance.get_dynamic_partitions(LANDED_FILES.name)
    known, live = set(existing), set(landed)
    added = [k for k in landed if k not in known]
    removed = [k for k in existing if k not in live]
    if added:
        instance.add_dynamic_partitions(LANDED_FILES.name, added)
    for key in removed:
        instance.delete_dynamic_partition(LANDED_FILES.name, key)
    return added, removed


def range_groups(order: list[str], wanted: set[str]) -> list[tuple[str, str]]:
    """Contiguous runs of wanted keys in partition order, so each becomes one run's range."""
    groups, start, prev = [], None, None
    for key in order:
        if key in wanted:
            start = start or key
            prev = key
        elif start:
            groups.append((start, prev))
            start = None
    if start:
        groups.append((start, prev))
    return groups


def range_tags(start: str, end: str) -> dict[str, str]:
    return {RANGE_START: start, RANGE_END: end}


def full_refresh_request(instance: dg.DagsterInstance, settings: Settings) -> tuple[dict[str, str], list | None]:
    """Tags and asset selection for one run over everything: every partition as one range, or, with
    no landed file at all, every asset except the partitioned tagging ones."""
    sync_partitions(instance, settings)
    keys = instance.get_dynamic_partitions(LANDED_FILES.name)
    if not keys:
        return {}, [k for k in refresh_asset_keys() if k not in TAGGING_KEYS]
    return range_tags(keys[0], keys[-1]), None


def refresh_asset_keys() -> list[dg.AssetKey]:
    """What the refresh job covers: every asset but the sources (they have their own jobs)."""
    from assets.sources.assets import GROUP as SOURCES_GROUP

    from .definitions import defs

    return [s.key for s in defs.resolve_all_asset_specs() if s.group_name != SOURCES_GROUP]
