"""Translation catalogs (gettext PO files, with Babel): read and write them, extract the strings, update,
compile, count what is left to translate, and exchange translations with other tools (memory, XLIFF)."""
