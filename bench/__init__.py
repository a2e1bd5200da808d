"""Askroom's load harness (SPEC §9): `python -m bench.fanout --help`.

Modules: `fanout` (the CLI and the runs), `clients` (WebSocket client worker processes),
`targets` (starting the servers under test and reading their /proc figures), `ceiling`
(bare `websockets.broadcast`), `naive` (FastAPI docs' pattern), `stats` (figures and the
table), `hotspots` (summarising a py-spy profile).
"""
