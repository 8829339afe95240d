"""Publishing: the output folder, filled and swapped in as a whole.

Owns the rules of output paths, the staging folder brought up to date from the spare copy
and swapped in atomically (publisher), the service worker and the offline archive.

May import: core, content, render (planned pages), engine (the cache's folder records).
"""
