#!/usr/bin/env bash
# Build (once) and install mmcv with its compiled ops into the given venv.
#
# The wheel is cached outside the repository under a key made of the mmcv
# version, the torch version it is compiled against, the Python ABI and the
# CUDA availability, so a second install takes seconds and a wheel built
# against another torch is never reused by mistake.
#
# Usage: tools/build_mmcv.sh VENV_DIR [MMCV_VERSION]
set -euo pipefail

venv=${1:?usage: tools/build_mmcv.sh VENV_DIR [MMCV_VERSION]}
mmcv_version=${2:-2.1.0}
here=$(cd "$(dirname "$0")/.." && pwd)
py="$venv/bin/python"
cache_root=${VLKD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vlkd_seg}

key=$("$py" - <<'PY'
import platform, sys, torch
cuda = 'cu' + torch.version.cuda.replace('.', '') if torch.cuda.is_available() else 'cpu'
print(f'torch{torch.__version__}-cp{sys.version_info[0]}{sys.version_info[1]}'
      f'-{platform.machine()}-{cuda}')
PY
)
wheel_dir="$cache_root/wheels/mmcv-$mmcv_version-$key"

if ! ls "$wheel_dir"/mmcv-"$mmcv_version"-*.whl >/dev/null 2>&1; then
    echo "[build_mmcv] no cached wheel in $wheel_dir: building mmcv $mmcv_version" \
         "with its ops (about 9 minutes on 2 cores)"
    build_env=$(mktemp -d)
    trap 'rm -rf "$build_env"' EXIT
    "$py" -m venv "$build_env/venv"
    "$build_env/venv/bin/pip" install -q -r "$here/requirements/build.txt"
    # Reuse the target venv's torch instead of installing a second copy:
    # its site-packages goes after the build env's own (setuptools<70 wins).
    target_site=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    build_site=$("$build_env/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$target_site" > "$build_site/zz_target_venv.pth"
    mkdir -p "$build_env/out"
    MMCV_WITH_OPS=1 MAX_JOBS=${MAX_JOBS:-$(nproc)} \
        "$build_env/venv/bin/pip" wheel --no-build-isolation --no-cache-dir \
        --no-deps -w "$build_env/out" "mmcv==$mmcv_version"
    mkdir -p "$wheel_dir"
    # Move into place only when the build finished: no half-written cache.
    mv "$build_env"/out/mmcv-*.whl "$wheel_dir"/
fi
"$venv/bin/pip" install -q --no-deps "$wheel_dir"/mmcv-"$mmcv_version"-*.whl
"$py" -c "import mmcv, mmcv.ops; print('[build_mmcv] mmcv', mmcv.__version__, 'with ops')"
