# Two commands for users: `make demo` and `make test`. Both set up .venv first
# (idempotent: a stamp file records a finished install).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
TORCH_PKGS := torch===2.13.0 torchvision==0.28.0
MMCV_VERSION := 2.1.0
STAMP := $(VENV)/.vlkd_installed

.PHONY: setup demo world-classification test test-gpu clean-venv

setup: $(STAMP)

$(STAMP): requirements/runtime.txt requirements/tests.txt requirements/build.txt setup.cfg setup.py tools/build_mmcv.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q $(TORCH_PKGS)
	$(PIP) install -q -r requirements/runtime.txt -r requirements/tests.txt
	bash tools/build_mmcv.sh $(VENV) $(MMCV_VERSION)
	$(PIP) install -q --no-deps -e .
	$(PY) -c "import vlkd_seg; print('vlkd_seg', vlkd_seg.__version__, 'ready')"
	@touch $@

demo: $(STAMP)
	$(PY) tools/demo.py --seeds 0 1 2

# image-level distillation on the embedded world (L_cls vs L_cls + L_im-cst
# + L_vlprox, three seeds with their 5-shot stages; measured 29 min on 2
# cores as three one-thread processes side by side: `OMP_NUM_THREADS=1
# python tools/world_classification.py --seeds S --work-dir DIR_S`)
world-classification: $(STAMP)
	$(PY) tools/world_classification.py --seeds 0 1 2

test: $(STAMP)
	$(PY) -m pytest tests

# the GPU checks (CUDA distiller with --amp, bf16 MaskCLIP, CUDA benchmark);
# `make test` skips them, saying why, where no GPU is visible
test-gpu: $(STAMP)
	@$(PY) -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 'error: make test-gpu: no CUDA GPU is visible to torch here')"
	$(PY) -m pytest -m gpu tests

clean-venv:
	rm -rf $(VENV)
