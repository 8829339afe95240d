"""Core: what every stage stands on.

Owns the problem collector (``path:line: message``), YAML with line numbers, the
declarative schema validator, the site configuration (``parkpress.toml``), the seals on
what the build cache keeps, and the process helpers (worker processes, the paused
garbage collector, the C library).

May import: nothing of parkpress.
"""
