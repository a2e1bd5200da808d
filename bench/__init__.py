"""Askroom's load harness (SPEC §9): `python -m bench.fanout --help`; results in RESULTS.md.

Modules: `fanout` (the command and one run), `clients` (WebSocket client worker
processes), `posting` (the cards, on schedule), `targets` (starting the servers under
test), `machine` (/proc figures), `stats` (figures and the table), `ceiling` (bare
`websockets.broadcast`), `naive` (FastAPI docs' pattern), `hotspots` (py-spy).
"""
