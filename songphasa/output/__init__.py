"""Output: what a build writes (its files, their paths, the record of them), PDFs, and the packs for recipients."""
