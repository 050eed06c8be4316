"""``python -m hkdesk.sim``: same as ``hkdesk sim``."""

import sys

from hkdesk.sim.cli import main

sys.exit(main(sys.argv[1:]))
