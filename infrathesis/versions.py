"""Content digests that stand for "what a cached result depends on" (code and the data it reads)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def digest_files(paths) -> str:
    """Short hash over the names and bytes of the files that exist among `paths`, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


SEGMENTATION = Path(__file__).with_name("sentences.py")  # shared by parsing and tagging: both depend on it
