#!/usr/bin/env bash
# Start-up to first frame, and peak memory, of the real release binary opening a generated
# project, in a real window on a virtual X display (Xvfb, Mesa's software OpenGL).
#
#   benches/startup.sh [SERVICES] [RUNS]      defaults: 10000 services, 5 runs
#
# The app prints when its first frame is on screen (WHOOWNS_STARTUP_PROBE) and quits;
# /usr/bin/time reports the peak resident memory. Prints each run and the median.
set -euo pipefail
cd "$(dirname "$0")/.."
services=${1:-10000}
runs=${2:-5}
need=()
command -v Xvfb >/dev/null || need+=(xvfb)
[[ -x /usr/bin/time ]] || need+=(time)
if [[ ${#need[@]} -gt 0 ]]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null
fi
cargo build --release --quiet
work=$(mktemp -d)
trap 'kill "$xvfb" 2>/dev/null; rm -rf "$work"' EXIT
target/release/whoowns generate --services "$services" --seed 1 -o "$work/estate.ron" 2>/dev/null
for n in $(seq 90 140); do [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]] || break; done
Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
times=()
for run in $(seq "$runs"); do
    DISPLAY=":$n" WHOOWNS_STARTUP_PROBE=1 /usr/bin/time -f "peak %M KB" \
        target/release/whoowns "$work/estate.ron" >"$work/out" 2>&1 || true
    ms=$(grep -o 'first frame on screen [0-9]* ms' "$work/out" | grep -o '[0-9]*' || echo "?")
    kb=$(grep -o 'peak [0-9]* KB' "$work/out" | grep -o '[0-9]*' || echo "?")
    echo "run $run: first frame after ${ms} ms, peak memory $((kb / 1024)) MB"
    times+=("$ms")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "median first frame: ${median} ms ($services services)"
