"""Package the EPUB edition."""
