#!/usr/bin/env bash
# Runs one fuzz target for a while, seeded from the examples and test fixtures.
#   fuzz/run.sh TARGET [SECONDS]     e.g. fuzz/run.sh load_project 600
# Needs cargo-fuzz (cargo install cargo-fuzz). Works on stable Rust with --sanitizer none.
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-600}
corpus=corpus/$target
mkdir -p "$corpus"
case "$target" in
    load_project) seeds=(../examples/*.ron ../tests/fixtures/versions/*.ron) ;;
    import_cloudformation) seeds=(../tests/fixtures/import/*.yaml ../tests/fixtures/import/nested/*.yaml ../tests/fixtures/import/eks-cluster.json) ;;
    import_terraform) seeds=(../tests/fixtures/import/terraform-*.json) ;;
    import_drawio) seeds=(../tests/fixtures/drawio/* ../tests/golden/*.drawio) ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac
for seed in "${seeds[@]}"; do
    [[ -f $seed ]] && cp "$seed" "$corpus/"
done
cargo fuzz run --sanitizer none "$target" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 2>&1 | tail -n 30
