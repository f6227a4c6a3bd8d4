set -e
nvidia-smi --query-gpu=name,clocks.sm,clocks.max.sm --format=csv,noheader
bash scripts/gpu-suite.sh run gpu-bundle 2>&1 | tail -25
python3 bench/sdpa_sweep.py run bench-bundle 2>&1 | tail -40
