# Shared by dist_train.sh, dist_test.sh and slurm_train.sh (sourced):
# argument checks and the Python interpreter that runs the tools.

VLKD_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

vlkd_die() {
    echo "error: $*" >&2
    exit 2
}

# vlkd_require_file KIND PATH: stop unless PATH is a file.
vlkd_require_file() {
    [ -n "$2" ] || vlkd_die "no $1 given; usage: $VLKD_USAGE"
    [ -f "$2" ] || vlkd_die "$1 $2 does not exist; usage: $VLKD_USAGE"
}

# vlkd_python: print a Python that can import torch and vlkd_seg: $PYTHON,
# else `python` on PATH, else the repository's .venv (made by `make setup`).
vlkd_python() {
    local candidate
    for candidate in "${PYTHON:-python}" "$VLKD_REPO/.venv/bin/python"; do
        if PYTHONPATH="$VLKD_REPO${PYTHONPATH:+:$PYTHONPATH}" \
            "$candidate" -c 'import torch, vlkd_seg' >/dev/null 2>&1; then
            echo "$candidate"
            return
        fi
    done
    vlkd_die "${PYTHON:-python} cannot import torch and vlkd_seg, and" \
        "$VLKD_REPO/.venv is not set up: run \`make setup\` and" \
        "\`source .venv/bin/activate\` (or set PYTHON=/path/to/python)"
}

# vlkd_check_count NAME VALUE: VALUE is a positive integer.
vlkd_check_count() {
    [[ "$2" =~ ^[1-9][0-9]*$ ]] ||
        vlkd_die "$1 must be a positive integer, got '$2'; usage: $VLKD_USAGE"
}

# vlkd_check_gpus PYTHON COUNT: COUNT GPUs are not more than this machine
# has, when it has any (CPU machines run COUNT processes over gloo).
vlkd_check_gpus() {
    local present
    present=$("$1" -c 'import torch; print(torch.cuda.device_count())')
    if [ "$present" -gt 0 ] && [ "$2" -gt "$present" ]; then
        vlkd_die "$2 GPUs asked for, but this machine has $present;" \
            "pass at most $present"
    fi
}
