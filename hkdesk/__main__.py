from hkdesk.cli import main

raise SystemExit(main())
