"""anthology: a film critic's reviews in, store-ready EPUB 3 and print-ready PDF books out."""

__version__ = "0.1.0"
