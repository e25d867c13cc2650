"""Quality checks: the content, every catalog, the spelling; one registry that check, the build and --release read."""
