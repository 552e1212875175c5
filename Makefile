# Set-up is automatic: the first target that needs Python builds .venv from the pinned versions.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: help templates samples consolidate lint test pictures bench clean

help:
	@echo "make templates    - tạo biểu mẫu trống và biểu mẫu cho từng xã (templates/bieu_mau/)"
	@echo "make consolidate  - tổng hợp các file trong input/ (hoặc file mẫu nếu input/ trống)"
	@echo "make test         - kiểm tra mã nguồn (ruff, mypy) rồi chạy kiểm thử"
	@echo "make pictures     - vẽ lại hình minh họa trong README (docs/hinh/, cần LibreOffice)"

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	@touch $(STAMP)

templates: $(STAMP)
	$(PY) -m pipeline templates

samples: $(STAMP)
	$(PY) -m pipeline samples

consolidate: $(STAMP)
	$(PY) -m pipeline consolidate $(ARGS)

bench: $(STAMP)
	$(PY) bench/run.py $(SIZES)

# Static checks first (seconds), then the suite.
lint: $(STAMP)
	$(PY) -m ruff check pipeline tests bench docs
	$(PY) -m mypy

test: lint
	$(PY) -m pytest -q $(PYTEST_ARGS)

pictures: $(STAMP)
	$(PY) docs/make_pictures.py

clean:
	rm -rf $(VENV) output/* .pytest_cache
