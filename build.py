#!/usr/bin/env python3
"""The project's entry point: ``python build.py build | serve | new | check | i18n``."""

from parkpress.cli import entry

if __name__ == "__main__":
    entry()
