"""Pages measured by `make bench`: (name, path, p95 target in ms, kind).

kind "baseline" is the one-query view the others are compared with; "public" pages must have a
p50 within 5x of it (DESIGN.md §5). Each issue adds its pages here.
"""

PAGES = [
    ("healthz (one query)", "/healthz", 100, "baseline"),
    ("home", "/", 100, "public"),
]
