"""Evaluation of narrascope stages against public gold data (metrics only, no I/O of their own)."""
