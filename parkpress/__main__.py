from parkpress.cli import entry

entry()
