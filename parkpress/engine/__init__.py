"""The incremental engine: what changed since the last build, and what it can reach.

Owns the snapshot of the inputs, page fingerprints, the build cache (SQLite), the memo
of parsed documents and rendered Markdown, and replanning (which pages an edit reaches).
Nothing here decides what a page looks like; it decides what need not be done again.

May import: core, content, i18n, search, site, render, theme.
"""
