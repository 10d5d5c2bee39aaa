import sys
from pathlib import Path

from infrathesis.settings import Settings

from .build import build

target = Path(sys.argv[1]) if len(sys.argv) > 1 else Settings.from_env().sample_landing
print(build(target), "->", target)
