#!/usr/bin/env python3
"""The project's entry point: ``python build.py build | serve | new | check | i18n``."""

import sys

from parkpress.cli import main

if __name__ == "__main__":
    sys.exit(main())
