"""Check an event's texts and translations: one registry of checks, the checks by kind, spelling, the report."""
