"""Helpers for the test suite: browser, HTML validator, axe and a local server."""
