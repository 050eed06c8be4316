"""``python -m hkdesk.app``: the desktop app with the same options as ``hkdesk``."""

from hkdesk.app.main import main

raise SystemExit(main())
