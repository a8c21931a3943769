"""Where the project's own files live, resolved from the package, never the working directory."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_ROOT / "content" / "questions"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
