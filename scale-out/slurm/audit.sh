#!/usr/bin/env bash
# Submit a sharded audit that replays every cell of a certificate: an array job of N slices and a merge job that
# prints one audit of the whole once all slices have ended (also when a slice found a cell that does not reproduce).
#   scale-out/slurm/audit.sh CERTIFICATE [SHARDS=8] [CPUS_PER_SHARD=1]
# Run from a folder on a shared file system. Environment: TDLV (default "npx tdlv"), SHARD_DIR (runs), THEOREM_PATH
# (the module of your own theorem, passed as --theorem; built-ins need none), extra sbatch flags in SBATCH_FLAGS.
# Prints the array job id and the merge job id; the merge's log (tdlv-audit-merge-<id>.out) holds the audit.
set -euo pipefail
certificate=${1:?usage: audit.sh CERTIFICATE [SHARDS] [CPUS_PER_SHARD]}
shards=${2:-8}
cpus=${3:-1}
here=$(dirname "$(realpath "$0")")
export CERTIFICATE=$certificate SHARD_DIR=${SHARD_DIR:-runs} TDLV=${TDLV:-npx tdlv} THEOREM_PATH=${THEOREM_PATH:-}
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_FLAGS:-} --chdir="$PWD" --export=ALL --array="1-$shards" --cpus-per-task="$cpus" "$here/audit.sbatch")
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_FLAGS:-} --chdir="$PWD" --export=ALL --dependency="afterany:$array" "$here/audit-merge.sbatch")
echo "$array $merge"
