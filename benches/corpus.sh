#!/usr/bin/env bash
# Measures acsgen on whole real products (issue 4's numbers, and issue 14's for ACK):
#   import + generate time and peak memory for Live, ECS and ACK (cs, ROA)
#   (2025 merged with 2024), size of the generated Live crate, and `cargo check` /
#   debug `cargo build` time and peak memory of the Live crate and `cargo check` of
#   the ACK crate, each alone (dependencies built beforehand).
# Usage: bash benches/corpus.sh [WORKDIR]   (needs ../shared/metadata)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${1:-$root/target/corpus-bench}
meta=$root/../shared/metadata
[ -d "$meta" ] || { echo "skipped: ../shared/metadata not found"; exit 0; }
cargo build --release -q
acsgen=$root/target/release/acsgen
rm -rf "$work"; mkdir -p "$work"
measure() { /usr/bin/time -f "%e s, %M KB peak" "$@" 2>&1 >/dev/null | tail -1; }

for product in live/2016-11-01 ecs/2014-05-26 cs/2015-12-15; do
    code=${product%%/*}
    spec=$work/spec-$code
    echo "$code import:   $(measure "$acsgen" import --input "$meta/2025-12/$product/api-docs.json" \
        --older "$meta/2024-06/$product/api-docs.json" --crate-name "bench-$code" --out "$spec")"
    echo "$code generate: $(measure "$acsgen" generate --spec "$spec" --out "$work/gen" --runtime-path "$root/runtime")"
    ops=$(ls "$spec/$code/operations" | wc -l)
    echo "$code: $ops operations"
done

crate=$work/gen/live
echo "live crate: $(find "$crate/src" -name '*.rs' | wc -l) files, $(cat "$crate"/src/*.rs "$crate"/src/operations/*.rs | wc -c) bytes, $(cat "$crate"/src/*.rs "$crate"/src/operations/*.rs | wc -l) lines"
printf '[workspace]\nmembers = ["live", "cs"]\nresolver = "2"\n' > "$work/gen/Cargo.toml"
cp "$root/Cargo.lock" "$work/gen/Cargo.lock"
cd "$work/gen"
export CARGO_TARGET_DIR=$work/target
# Full, non-incremental checks: what a first build of the crate costs.
export CARGO_INCREMENTAL=0
cargo build -q -p acsgen-runtime          # dependencies, not measured
cargo check -q -p acsgen-runtime
touch live/src/lib.rs
echo "live cargo check:       $(measure cargo check -q -p bench-live)"
touch live/src/lib.rs
echo "live cargo build (dev): $(measure cargo build -q -p bench-live)"
touch cs/src/lib.rs
echo "cs cargo check:         $(measure cargo check -q -p bench-cs)"
