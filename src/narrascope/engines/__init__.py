"""Engines that run the per-page stages somewhere else than this process (Ray).

The stages themselves stay in their packages; an engine only decides where they run and hands every
result back to `pipeline.store_result`, so the store sees the same writes as from a local run.
"""
