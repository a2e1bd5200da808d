"""The shipped deployment (compose.yaml, deploy/nginx.conf) trusts only its proxy's
X-Forwarded-For, and the proxy sets that header rather than passing on the client's.
No Docker engine here: the files are read and checked, and a real server shows what
ASKROOM_FORWARDED_ALLOW_IPS restricted to one address does to a spoofed header."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any

import httpx
import yaml  # PyYAML comes with schemathesis, a test dependency

from tests.server import REAL_LIMITS, Server

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())  # type: ignore[no-any-return]


def nginx_headers() -> dict[str, str]:
    """proxy_set_header name -> value, from deploy/nginx.conf."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    text = re.sub(r"#[^\n]*", "", text)
    return {name.lower(): value for name, value in
            re.findall(r"proxy_set_header\s+(\S+)\s+([^;]+);", text)}


def test_compose_trusts_only_the_proxys_fixed_address() -> None:
    services = compose()["services"]
    trusted = {service: spec["environment"]["ASKROOM_FORWARDED_ALLOW_IPS"]
               for service, spec in services.items()
               if "ASKROOM_FORWARDED_ALLOW_IPS" in spec.get("environment", {})}
    assert set(trusted) == {"migrate", "askroom"}
    proxy_address = services["proxy"]["networks"]["default"]["ipv4_address"]
    assert set(trusted.values()) == {proxy_address}
    # No other container can be given the proxy's address: they draw from ip_range.
    (pool,) = compose()["networks"]["default"]["ipam"]["config"]
    address = ipaddress.ip_address(proxy_address)
    assert address in ipaddress.ip_network(pool["subnet"])
    assert address not in ipaddress.ip_network(pool["ip_range"])
    # Only the proxy is published: nobody outside reaches a replica directly.
    assert [name for name, spec in services.items() if spec.get("ports")] == ["proxy"]


def test_nginx_sets_x_forwarded_for_to_the_address_it_saw() -> None:
    headers = nginx_headers()
    assert headers["x-forwarded-for"] == "$remote_addr"
    assert "$proxy_add_x_forwarded_for" not in (ROOT / "deploy" / "nginx.conf").read_text()
    # The Host with its port, as the stream's Host check compares it with the public URL.
    assert headers["host"] == "$http_host"


def test_a_spoofed_x_forwarded_for_from_an_untrusted_address_changes_no_limit(
        tmp_path: Path) -> None:
    """The server trusts 127.0.0.2 (the proxy, here) only. A client on 127.0.0.1 naming
    a new address in each request is still one address to the limits; the proxy's
    header is believed."""
    running = Server(tmp_path / "askroom.db", env={
        **REAL_LIMITS, "ASKROOM_FORWARDED_ALLOW_IPS": "127.0.0.2"}).start()
    try:
        with httpx.Client(base_url=running.url, timeout=10) as client:
            for n in range(10):
                created = client.post("/api/rooms", json={"title": f"room {n}"},
                                      headers={"X-Forwarded-For": f"203.0.113.{n}"})
                assert created.status_code == 201, created.text
            refused = client.post("/api/rooms", json={"title": "eleventh"},
                                  headers={"X-Forwarded-For": "203.0.113.99"})
            assert refused.status_code == 429
        proxy = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(base_url=running.url, timeout=10, transport=proxy) as client:
            for n in range(11):  # eleven clients behind the proxy, one room each
                created = client.post("/api/rooms", json={"title": f"proxied {n}"},
                                      headers={"X-Forwarded-For": f"198.51.100.{n}"})
                assert created.status_code == 201, created.text
    finally:
        running.stop()
