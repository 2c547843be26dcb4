from chair_app.entry import main

raise SystemExit(main())
