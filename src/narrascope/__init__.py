"""narrascope: raw news pages -> evidence-linked narratives."""

__version__ = "0.1.0"
