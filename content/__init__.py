"""The exercise program as data. This package holds files only; code reads them via CONTENT_DIR."""

from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent
