"""Hostile themes: templates that try to escape the sandbox, loop, recurse or fail."""

from __future__ import annotations
