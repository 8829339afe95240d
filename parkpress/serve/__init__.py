"""The development server: build, serve, watch, rebuild an edit from the files it touched.

Owns the HTTP server (livereload and tornado), the watcher of the sources, the session
that keeps the last build in memory, and the error page shown over the site.

May import: every stage and build.
"""
