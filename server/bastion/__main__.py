from bastion.cli.main import main

raise SystemExit(main())
