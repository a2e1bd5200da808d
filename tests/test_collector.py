"""The garbage collector kept out of the fan-out's way (issue 7: full passes of 50-130 ms
were seen while 1,000 clients connected; bench/ `app+gcstats` times every pass)."""

from __future__ import annotations

import gc
from pathlib import Path

from app.config import Settings
from app.main import GC_THRESHOLDS, create_app


async def test_start_up_freezes_what_it_made_and_makes_full_passes_rarer(
        tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'askroom.db'}"))
    thresholds = gc.get_threshold()
    gc.unfreeze()
    try:
        async with app.router.lifespan_context(app):
            # Modules, routes, mappers: tens of thousands of objects no full pass walks.
            assert gc.get_freeze_count() > 10_000
            assert gc.get_threshold() == GC_THRESHOLDS
            assert GC_THRESHOLDS[0] > 700 and GC_THRESHOLDS[2] > 10  # Python's own
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
