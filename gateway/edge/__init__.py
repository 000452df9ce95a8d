"""The edge: a real reverse proxy (Caddy) on the public port, configured from the one routing table.

`caddyfile.render()` writes the Caddyfile committed beside this module (`make edge-config`); `make run` and
compose both run Caddy on that same file and differ only in the environment they give it (`environment()`).
"""
