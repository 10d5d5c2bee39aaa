"""infrathesis: evidence-first research pipeline for the AI-infrastructure supply chain."""

import os

# Set before any library reads them: no telemetry leaves the machine, no progress bars in logs.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("TQDM_DISABLE", "1")
