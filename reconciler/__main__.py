"""Allow ``python -m reconciler`` as an alias of the ``camp`` command."""

from reconciler.cli.main import main

if __name__ == "__main__":
    main()
