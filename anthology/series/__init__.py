"""Resolve the whole series: order, references, the page map, indexes."""
