"""Hostile values: what YAML 1.1 would retype, tags, invisible titles, duplicates."""

from __future__ import annotations
