#!/usr/bin/env bash
# Usage: tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py args]
set -eo pipefail
VLKD_USAGE='tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py args]'
source "$(dirname "$0")/launch_common.sh"
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
vlkd_require_file config "$CONFIG"
vlkd_require_file checkpoint "$CHECKPOINT"
vlkd_check_count GPUS "$GPUS"
PY=$(vlkd_python)
vlkd_check_gpus "$PY" "$GPUS"
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}

PYTHONPATH="$VLKD_REPO${PYTHONPATH:+:$PYTHONPATH}" \
"$PY" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" \
    --master_port="$PORT" \
    "$VLKD_REPO/tools/test.py" \
    "$CONFIG" \
    "$CHECKPOINT" \
    --launcher pytorch "${@:4}"
