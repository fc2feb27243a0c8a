"""Hostile places to write: symlinked build/ and cache, forged manifests, hard links."""

from __future__ import annotations
