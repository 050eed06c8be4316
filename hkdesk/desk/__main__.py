"""``python -m hkdesk.desk``: see :mod:`hkdesk.desk.cli`."""

import sys

from hkdesk.desk.cli import main

sys.exit(main(sys.argv[1:]))
