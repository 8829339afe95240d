import sys

from parkpress.cli import main

sys.exit(main())
