#!/usr/bin/env bash
# Submits a qbwave sweep to Slurm: a job array of SHARDS tasks (sweep.sbatch, one shard each) and a
# merge job (merge.sbatch) that starts only when every task has succeeded (--dependency=afterok).
# Run it from the directory that should receive the results:  bash /path/to/docs/cluster/submit.sh
# Every setting below can be overridden from the environment, e.g.  SHARDS=32 OMEGA0=0.2:3.5:661 bash submit.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

export SHARDS=${SHARDS:-8}                       # number of array tasks = number of shards
export OMEGA0=${OMEGA0:-0.5:3.5:301}              # qbwave sweep --omega0 (START:STOP:COUNT, list or number)
export DZ=${DZ:-0.04:3:200}                       # --dz
export GAMMA=${GAMMA:-0.5}                        # --gamma
export QUANTITIES=${QUANTITIES:-boundStates,energyMinMax,ergotropyMax,effectiveCount}
export OUT=${OUT:-sweep.csv}                      # merged result: .csv, .json or .npy
export SHARD_DIR=${SHARD_DIR:-shards}             # where the tasks write shard-I-of-N.<ext>

mkdir -p "$SHARD_DIR" logs                       # Slurm does not create the --output directory
# qbwave's shards are 1-based (--shard i/n, 1 ≤ i ≤ n), so the array runs 1..SHARDS, not 0..SHARDS-1.
jid=$(sbatch --parsable --array=1-"$SHARDS" --export=ALL "$here/sweep.sbatch")
jid=${jid%%;*}                                   # --parsable prints "jobid" or "jobid;cluster"
mid=$(sbatch --parsable --dependency=afterok:"$jid" --export=ALL "$here/merge.sbatch")
echo "submitted sweep array $jid (tasks 1-$SHARDS) and merge job ${mid%%;*} (starts when all tasks succeeded)"
