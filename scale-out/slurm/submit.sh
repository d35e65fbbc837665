#!/usr/bin/env bash
# Submit a sharded tdlv sweep to Slurm: an array job of N shards and a merge job that runs once all succeeded.
#   scale-out/slurm/submit.sh THEOREM [FIDELITY=full] [SHARDS=8] [CPUS_PER_SHARD=1]
# Run from the repository (or any folder holding checkpoints/ and proofs-numeric/ on a shared file system).
# Environment: TDLV (default "npx tdlv"), CHECKPOINTS (runs), OUT (proofs-numeric), extra sbatch flags in SBATCH_FLAGS.
# Prints the array job id and the merge job id.
set -euo pipefail
theorem=${1:?usage: submit.sh THEOREM [FIDELITY] [SHARDS] [CPUS_PER_SHARD]}
fidelity=${2:-full}
shards=${3:-8}
cpus=${4:-1}
here=$(dirname "$(realpath "$0")")
export THEOREM=$theorem FIDELITY=$fidelity CHECKPOINTS=${CHECKPOINTS:-runs} OUT=${OUT:-proofs-numeric} TDLV=${TDLV:-npx tdlv}
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_FLAGS:-} --chdir="$PWD" --export=ALL --array="1-$shards" --cpus-per-task="$cpus" "$here/sweep.sbatch")
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_FLAGS:-} --chdir="$PWD" --export=ALL --dependency="afterok:$array" --kill-on-invalid-dep=yes "$here/merge.sbatch")
echo "$array $merge"
