#!/usr/bin/env bash
# Colour-transfer benchmark: `ncf color-transfer` with its default settings on
# three pairs of the shipped photographs (data/images), then one Markdown table
# in the layout of the NCF paper's colour-transfer table (EMD ↓ / HI ↑ per pair
# and method), for both directions.
#
#   bench/color/run.sh                         # the three default pairs
#   NCF_COLOR_PAIRS="coffee.png:chelsea.png" bench/color/run.sh
#   NCF_COLOR_ARGS="--iterations 4000" bench/color/run.sh   # extra flags for every run
#   NCF_SCRATCH=.build bench/color/run.sh      # another scratch path
#
# Outputs (images, side-by-side figures, JSON reports, logs) go to
# $NCF_BENCH_DIR (default /tmp/ncf-bench-color). Needs python3 (standard
# library only) to print the table from the JSON reports.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${NCF_BENCH_DIR:-/tmp/ncf-bench-color}"
SCRATCH="${NCF_SCRATCH:-.build-color}"
PAIRS="${NCF_COLOR_PAIRS:-coffee.png:chelsea.png astronaut.png:hubble_deep_field.jpg rocket.jpg:coffee.png}"
mkdir -p "$OUT"

swift build -c release --scratch-path "$SCRATCH" -Xcc -march=x86-64-v3 --product ncf >&2
NCF="$SCRATCH/release/ncf"

reports=()
for pair in $PAIRS; do
  content="${pair%%:*}"; style="${pair##*:}"
  name="${content%.*}-to-${style%.*}"
  echo "== $name" >&2
  # shellcheck disable=SC2086
  "$NCF" color-transfer --content "data/images/$content" --style "data/images/$style" \
    --out "$OUT/$name.png" --reverse-out "$OUT/$name-reverse.png" --figure "$OUT/$name-figure.png" \
    --report "$OUT/$name.json" --quiet ${NCF_COLOR_ARGS:-} | tee "$OUT/$name.txt" >&2
  reports+=("$OUT/$name.json")
done

python3 - "${reports[@]}" <<'PY'
import json, sys
reports = [json.load(open(p)) for p in sys.argv[1:]]
methods = ["identity", "NCF", "exact OT", "Sinkhorn"]
def name(r, key):
    return r[key]["path"].rsplit("/", 1)[-1].rsplit(".", 1)[0]
def cell(d, m, secondary):
    s = next((s for s in d["scores"] if s["method"] == m), None)
    if s is not None and secondary:
        s = s.get("secondary")
    return "–" if s is None else f"{s['emd']:.4f} / {s['hi']:.4f}"
tables = [(False, reports[0]["metric"])]
if reports[0].get("secondaryMetric"):
    tables.append((True, reports[0]["secondaryMetric"]))
for secondary, metric in tables:
    print(f"\n## {metric['layout']} histograms, {metric['bins']} bins: EMD ↓ / HI ↑\n")
    print(f"{metric['definition']}.")
    for key, arrow in [("forward", "→"), ("backward", "←")]:
        if not all(r.get(key) for r in reports):
            continue
        pairs = [f"{name(r, 'content')} {arrow} {name(r, 'style')}" for r in reports]
        title = "content → style (forward map T)" if key == "forward" else "style → content (backward map S of the same model)"
        print(f"\n### {title}\n")
        print("| Method | " + " | ".join(pairs) + " |")
        print("|---" * (len(pairs) + 1) + "|")
        for m in methods:
            print(f"| {m} | " + " | ".join(cell(r[key], m, secondary) for r in reports) + " |")
print("\nTimes (s): " + "; ".join(
    f"{name(r, 'content')}→{name(r, 'style')}: training {r['seconds'].get('training', 0):.0f}, "
    f"baselines {r['seconds'].get('baselines', 0):.1f}, total {r['seconds']['total']:.0f}" for r in reports))
PY
