"""The naive pattern, from FastAPI's WebSockets documentation ("Handling disconnections
and multiple clients"): a list of sockets, and a broadcast that awaits `send_text` on
each in turn, inside the POST. Served by uvicorn as `askroom serve` serves Askroom
(websockets-sansio, no per-message deflate, uvloop, httptools), with the same routes and
a card frame of the same shape, so the harness treats it like the app.

    python -m bench.naive --port 9003
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from pydantic import BaseModel

from bench.ceiling import card_json, event_frame


class ConnectionManager:
    """As in FastAPI's docs."""

    def __init__(self) -> None:
        self.active_connections: list[WebSocket] = []

    async def connect(self, websocket: WebSocket) -> None:
        await websocket.accept()
        self.active_connections.append(websocket)

    def disconnect(self, websocket: WebSocket) -> None:
        self.active_connections.remove(websocket)

    async def broadcast(self, message: str) -> None:
        for connection in self.active_connections:
            await connection.send_text(message)


class CardIn(BaseModel):
    client_id: str
    kind: str
    text: str


app = FastAPI()
manager = ConnectionManager()
seq = 0


@app.websocket("/ws/rooms/{code}")
async def stream(websocket: WebSocket, code: str) -> None:
    await manager.connect(websocket)
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        manager.disconnect(websocket)


@app.post("/api/rooms/{code}/cards", status_code=201)
async def post_card(code: str, body: CardIn) -> dict[str, Any]:
    global seq
    seq += 1
    card = card_json(seq, body.model_dump())
    # Compact, like orjson: the clients find the card by its exact bytes.
    await manager.broadcast(json.dumps(event_frame(seq, card), separators=(",", ":")))
    return card


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=args.port, ws="websockets-sansio",
                ws_max_size=65536, ws_per_message_deflate=False, lifespan="off",
                log_level="warning")


if __name__ == "__main__":
    main()
