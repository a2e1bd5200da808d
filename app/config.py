"""Settings, read once from ASKROOM_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASKROOM_", extra="ignore")

    database_url: str = "sqlite:///./askroom.db"
    # The origin put in join_url, board_url and facilitate_url; None: the request's own.
    public_url: str | None = None
    redis_url: str | None = None
    # Extra origins whose browsers may open the live stream (comma-separated).
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # The interactive API docs at /docs (vendored Swagger UI); /openapi.json is always on.
    api_docs: bool = False

    max_body_bytes: int = 16 * 1024
    ws_max_message_bytes: int = 64 * 1024
    # Live streams one client address may hold open in one process; past it, 429. As
    # large as SPEC §8's room, 1,000: a conference hall behind one NAT is one address.
    sockets_per_address: int = Field(default=1000, ge=1)
    # Frames a socket may have waiting before it is dropped as too slow (when the server
    # writes through a task per socket), or bytes its transport may hold (when the hub
    # writes to it directly, with uvicorn's sans-I/O protocol).
    ws_send_backlog: int = 512
    ws_send_buffer_bytes: int = 1 << 20
    # Recent events each process keeps per room to serve `after=N` without the database.
    replay_window: int = 1024
    # How long a missing seq may stay missing before the hub reads it from the database.
    gap_wait_s: float = 0.25
    # How often each process compares its rooms with the database, to catch a lost message.
    sweep_s: float = 5.0

    # Closed rooms (cards, participants, events) are deleted this many days after closing.
    retention_days: int = 90
    # A partnership, and every meeting of it, is deleted this many days after its last
    # meeting opened (SPEC §10); its meetings are not deleted on their own before.
    partnership_retention_days: int = 730
    # How often each process looks for rooms past their retention.
    retention_check_s: float = 3600.0

    # Proxies whose X-Forwarded-For/-Proto are believed (comma-separated, or "*"): behind a
    # load balancer, rate limits must count the real client, not the proxy.
    forwarded_allow_ips: str = "127.0.0.1"

    # Rate limits, in the `limits` notation ("10/10 seconds", "10/minute").
    rate_cards: str = "10/10 seconds"  # per participant
    rate_progress: str = "20/minute"  # progress reports, per participant
    rate_rooms: str = "10/minute"  # per client address
    rate_joins: str = "120/minute"  # per client address: a hall behind one NAT joins at once
    rate_misses: str = "30/minute"  # unknown room codes per client address

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list):
            return [str(v).strip().rstrip("/") for v in value if str(v).strip()]
        return value

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else None


@lru_cache
def get_settings() -> Settings:
    return Settings()
