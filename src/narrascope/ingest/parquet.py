"""Parquet files of pages: one row per page, columns `html` or `text`, optional `url` and `fetched_at`.

The same columns as the JSON Lines records, so a crawl exported by Spark, DuckDB or Ray lands as it is.
Rows are read one row group at a time: a file of a million pages never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from narrascope.config import IngestSettings
from narrascope.models import RawPage, Rejection

_COLUMNS = ("html", "text", "url", "fetched_at")
_ROWS_PER_READ = 256


def iter_parquet_pages(path: Path, settings: IngestSettings) -> Iterator[RawPage | Rejection]:
    """Yield a RawPage or a Rejection for every row; a file pyarrow cannot read is one Rejection."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from narrascope.ingest import page_of_record

    source = str(path)
    try:
        reader = pq.ParquetFile(path)
        columns = [name for name in _COLUMNS if name in reader.schema_arrow.names]
        if "html" not in columns and "text" not in columns:
            yield Rejection(source, "bad_parquet", "no 'html' or 'text' column")
            return
        row = 0
        for batch in reader.iter_batches(batch_size=_ROWS_PER_READ, columns=columns):
            for record in batch.to_pylist():
                row += 1
                yield page_of_record(record, f"{source}:row {row}", f"row {row}", settings, "bad_parquet")
    except (pa.ArrowException, OSError) as error:
        yield Rejection(source, "bad_parquet", f"not a readable Parquet file ({error})")
