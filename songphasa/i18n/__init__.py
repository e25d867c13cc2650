"""Translation catalogs: read, extract, update, compile, count; translation memory and CAT-tool exchange."""
