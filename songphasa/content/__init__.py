"""The event's content: its files read with the line of every value, validated, and checked across files.

text → yaml / markdown → fields, models, recipients → files (the table) → load (explain, salvage,
crosscheck) → event (EventContent); decide records one decision in the content and the catalogs.
"""
