"""Narratives: claims -> claim clusters -> narratives, with readable labels and evidence."""

from narrascope.narratives.build import NarrativeMap, build_narratives
from narrascope.narratives.embedding import Embedder, load_embedder

__all__ = ["Embedder", "NarrativeMap", "build_narratives", "load_embedder"]
