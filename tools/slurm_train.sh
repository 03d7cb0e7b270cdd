#!/usr/bin/env bash
# Usage: [GPUS=8] tools/slurm_train.sh PARTITION JOB_NAME CONFIG [train.py args]
set -eo pipefail
VLKD_USAGE='[GPUS=8] tools/slurm_train.sh PARTITION JOB_NAME CONFIG [train.py args]'
source "$(dirname "$0")/launch_common.sh"
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
GPUS=${GPUS:-4}
GPUS_PER_NODE=${GPUS_PER_NODE:-4}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-""}
[ -n "$PARTITION" ] && [ -n "$JOB_NAME" ] ||
    vlkd_die "PARTITION and JOB_NAME are needed; usage: $VLKD_USAGE"
vlkd_require_file config "$CONFIG"
vlkd_check_count GPUS "$GPUS"
vlkd_check_count GPUS_PER_NODE "$GPUS_PER_NODE"
vlkd_check_count CPUS_PER_TASK "$CPUS_PER_TASK"
PY=$(vlkd_python)

set -x
PYTHONPATH="$VLKD_REPO${PYTHONPATH:+:$PYTHONPATH}" \
srun -p "${PARTITION}" \
    --job-name="${JOB_NAME}" \
    --gres=gpu:"${GPUS_PER_NODE}" \
    --ntasks="${GPUS}" \
    --ntasks-per-node="${GPUS_PER_NODE}" \
    --cpus-per-task="${CPUS_PER_TASK}" \
    --kill-on-bad-exit=1 \
    ${SRUN_ARGS} \
    "$PY" -u "$VLKD_REPO/tools/train.py" "${CONFIG}" --launcher="slurm" "${@:4}"
