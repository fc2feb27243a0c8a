"""Hostile inputs for process hygiene: signals, memory limits, terminal output, worker ends."""

from __future__ import annotations
