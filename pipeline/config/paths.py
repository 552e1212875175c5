"""Where the tool's own folders are: one definition for every module that needs one."""

from __future__ import annotations

from pathlib import Path

#: The repository (or unpacked release) root: the folder holding pipeline/, templates/, input/.
REPO = Path(__file__).resolve().parents[2]
INPUT_DIR = REPO / "input"
OUTPUT_DIR = REPO / "output"
TEMPLATES_ROOT = REPO / "templates"
#: `make templates` writes the blank template and one copy per unit here.
TEMPLATES_DIR = TEMPLATES_ROOT / "bieu_mau"
#: The bundled sample workbooks, one folder per period (``templates/mau/2024-H1``).
SAMPLES_DIR = TEMPLATES_ROOT / "mau"
#: The criteria catalogues (CSV) a district may edit.
CATALOGUE_DIR = TEMPLATES_ROOT / "danh_muc"
SETTINGS_PATH = TEMPLATES_ROOT / "cai_dat.toml"
