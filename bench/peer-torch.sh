#!/bin/sh
# PyTorch CPU peer measurement for the ratio in bench/README.md: the shared script, run from the repository root.
# Usage: bench/peer-torch.sh [threads]   (default 2; needs Debian's python3-torch and python3-torchvision)
cd "$(dirname "$0")/.." || exit 1
script=../shared/tools/peer_torch_bench.py
if [ ! -f "$script" ]; then
  echo "peer-torch: $script not found (it lives outside this repository); skipping" >&2
  exit 0
fi
exec /usr/bin/python3 "$script" "${1:-2}"
