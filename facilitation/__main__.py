"""`python -m facilitation ...` is the `facilitation` command."""

from facilitation.cli import main

main()
