"""The documents: the table of their kinds, and a builder for each way a kind is made (pages, bilingual, letters)."""
