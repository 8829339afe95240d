"""parkpress: a static multilingual site generator for industrial-park investor information."""

__version__ = "0.1.0"
