"""Run by the image's own Python (scripts/check-image.sh pipes it in): the installed
package carries every file the web pages load (shared/web/render.py: every page's, and
those of pages that draw charts, uPlot and charts.js), which the Dockerfile's node stage
built from web/package-lock.json. Exit 1 names what is missing."""

import sys

from shared.web.render import (
    CHART_SCRIPTS,
    CHART_STYLESHEETS,
    SCRIPTS,
    STATIC_DIR,
    STYLESHEETS,
)

ASSETS = (*STYLESHEETS, *SCRIPTS, *CHART_STYLESHEETS, *CHART_SCRIPTS)
missing = [
    name
    for name in ASSETS
    if not (STATIC_DIR / name).is_file() or (STATIC_DIR / name).stat().st_size == 0
]
if missing:
    print(f"check-image: missing web assets in {STATIC_DIR}: {', '.join(missing)}", file=sys.stderr)
    sys.exit(1)
print(f"check-image: web assets in {STATIC_DIR}: {', '.join(ASSETS)}")
