"""The edge's Caddyfile is generated from the routing table: the committed file is exactly what it renders,
Caddy accepts it, and every route of the table reaches its owner."""

from __future__ import annotations

import re
import subprocess

from gateway.edge import caddyfile
from gateway.routing import ROUTES
from khabuan.processes import edge_argv
from services.common.settings import Settings


def test_the_committed_caddyfile_is_the_one_the_routing_table_renders() -> None:
    assert caddyfile.CADDYFILE.read_text() == caddyfile.render(), "run `make edge-config`"


def test_every_prefix_of_the_routing_table_is_routed_to_its_owner_whole_segments_only() -> None:
    rendered = caddyfile.render()
    for prefix, owner in ROUTES.items():
        matcher = re.search(rf"^\t@{owner} path (.*)$", rendered, re.MULTILINE)
        assert matcher is not None, owner
        assert {prefix, prefix + "/*"} <= set(matcher.group(1).split()), prefix
    assert "*/" not in rendered.replace("/*\n", "\n").replace("/* ", " ")  # no bare prefix wildcard


def test_the_caddyfile_reads_exactly_the_variables_the_environment_sets() -> None:
    used = set(re.findall(r"\{\$([A-Z0-9_]+)\}", caddyfile.render()))

    assert used == set(caddyfile.variables())


def test_caddy_accepts_the_caddyfile_and_it_is_formatted() -> None:
    env = caddyfile.environment(
        Settings(),
        host="127.0.0.1",
        port=8000,
        metrics_host="127.0.0.1",
        metrics_port=9180,
        upstreams={owner: ["127.0.0.1:1", "127.0.0.1:2"] for owner in caddyfile.OWNERS},
    )
    caddy = edge_argv()[0]

    validated = subprocess.run(
        [caddy, "validate", "--config", str(caddyfile.CADDYFILE), "--adapter", "caddyfile"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    formatted = subprocess.run(
        [caddy, "fmt", str(caddyfile.CADDYFILE)], capture_output=True, text=True, check=False
    )

    assert validated.returncode == 0, validated.stderr[-2000:]
    assert "not formatted" not in validated.stderr
    assert formatted.stdout == caddyfile.CADDYFILE.read_text()
