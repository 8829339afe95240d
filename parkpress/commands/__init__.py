"""The command line's commands, one module each with ``register(subparsers)`` and ``run(args)``.

Owns what the commands add to the stages: scaffolding new content (``new``), new sites
(``init``), the progress bar.

May import: everything.
"""
