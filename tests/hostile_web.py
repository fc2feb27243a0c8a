"""Hostile markup and styles: attributes, sizes, CSS bombs, theme files carried into the EPUB."""

from __future__ import annotations
