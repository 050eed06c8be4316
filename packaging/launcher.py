"""Entry script of the frozen app: the same as the ``hkdesk`` console script.

``<exe> sim ...`` reaches the simulator through ``hkdesk.cli.main``, which is how the
app starts its simulator child when ``python -m`` is not available (frozen builds).
"""

from hkdesk.cli import main

raise SystemExit(main())
