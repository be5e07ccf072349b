"""The application as `uvicorn --workers` builds it in each worker process.

Several worker processes need an importable factory rather than an app object; `narrascope serve`
passes its options through one environment variable, which the workers inherit.
"""

from __future__ import annotations

import json
import os
from typing import Any

from fastapi import FastAPI

from narrascope.web.app import create_app

OPTIONS_VARIABLE = "NARRASCOPE_SERVE_OPTIONS"


def options_environment(db_path: str, **options: Any) -> dict[str, str]:
    """The environment entry that `app_from_environment` reads back in each worker."""
    return {OPTIONS_VARIABLE: json.dumps({"db_path": db_path, **options})}


def app_from_environment() -> FastAPI:
    """`create_app` with the options `narrascope serve` put in the environment."""
    options = json.loads(os.environ[OPTIONS_VARIABLE])
    return create_app(options.pop("db_path"), **options)
