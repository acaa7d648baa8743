#!/usr/bin/env bash
# Builds and runs the stocksync benchmarks from any directory:
#
#   benchmarks/run.sh                          # everything (about 4 minutes on 2 cores)
#   benchmarks/run.sh PlannerBenchmark         # a JMH name filter; any JMH option passes through
#   benchmarks/run.sh -f 0 -wi 1 -i 2 Planner  # e.g. a quick, reduced run
#   SKIP_BUILD=1 SKIP_FOOTPRINT=1 benchmarks/run.sh ...
#
# Outputs: benchmarks/target/jmh.json (JMH JSON), jmh.txt (JMH log), footprint.txt, and a short
# summary on stdout. JMH options given on the command line replace the annotations' ones (note
# that -jvmArgsAppend replaces the forks' -Xms4g -Xmx4g -XX:+AlwaysPreTouch; repeat them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=benchmarks/target
jar="$out/benchmarks.jar"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== build"
  mvn -B -ntp -q package -DskipTests -pl benchmarks -am
fi

echo "== JMH $*"
java -jar "$jar" -rf json -rff "$out/jmh.json" "$@" 2>&1 | tee "$out/jmh.txt"

if [[ "${SKIP_FOOTPRINT:-0}" != 1 ]]; then
  echo "== footprint"
  java -Xms4g -Xmx4g -cp "$jar" io.stocksync.benchmarks.FootprintReport | tee "$out/footprint.txt"
fi

if [[ "${SKIP_SHOPIFY:-0}" != 1 ]]; then
  echo "== shopify hard refresh (emulator time)"
  java -cp "$jar" io.stocksync.benchmarks.ShopifyHardRefreshReport | tee "$out/shopify.txt"
fi

if [[ "${SKIP_ETSY:-0}" != 1 ]]; then
  echo "== etsy: 10,000 listings at 10 requests/s (emulator time)"
  java -cp "$jar" io.stocksync.benchmarks.EtsyHardRefreshReport | tee "$out/etsy.txt"
fi

if [[ "${SKIP_EBAY:-0}" != 1 ]]; then
  echo "== ebay hard refresh (emulator time)"
  java -cp "$jar" io.stocksync.benchmarks.EbayHardRefreshReport | tee "$out/ebay.txt"
fi

if [[ "${SKIP_AMAZON:-0}" != 1 ]]; then
  echo "== amazon hard refresh, feed vs per-item PATCH (emulator time)"
  java -cp "$jar" io.stocksync.benchmarks.AmazonHardRefreshReport | tee "$out/amazon.txt"
fi

echo
echo "== summary ($(nproc) cores, $(java -version 2>&1 | head -1))"
# JMH's result table: one row per benchmark and parameter set for the mean, plus one per
# percentile in SampleTime mode (name:p0.50, name:p0.99).
awk '
  /^Benchmark +.*Mode +Cnt +Score/ {
    table = 1
    for (i = 2; i <= NF; i++) { h = $i; gsub(/[()]/, "", h); header[i] = h }
    next
  }
  !table || NF < 4 { next }
  {
    mode = 0
    for (i = 2; i <= NF; i++) if ($i ~ /^(sample|avgt|thrpt|ss)$/) { mode = i; break }
    if (!mode) next
    params = ""
    for (i = 2; i < mode; i++) if ($i != "N/A") params = params (params == "" ? "" : ",") header[i] "=" $i
    unit = $NF
    # After the mode: [Cnt] Score [± Error] Units; percentile rows have Score and Units only.
    score = (NF - mode == 2) ? $(mode + 1) : $(mode + 2)
    name = $1; stat = "mean"
    if (name ~ /:p0\.50$/) stat = "p50"
    else if (name ~ /:p0\.99$/) stat = "p99"
    else if (name ~ /:/) next
    sub(/:.*/, "", name)
    key = name " [" params "]"
    if (!(key in seen)) { seen[key] = 1; order[++n] = key; units[key] = unit }
    val[key, stat] = score
  }
  END {
    for (k = 1; k <= n; k++) {
      key = order[k]
      printf "%-75s mean=%s p50=%s p99=%s %s\n", key, val[key, "mean"], \
          (val[key, "p50"] == "" ? "-" : val[key, "p50"]), \
          (val[key, "p99"] == "" ? "-" : val[key, "p99"]), units[key]
      # Targets hold for the default catalogue only.
      target = ""
      if (key ~ /skus=250000,stores=4/ && key ~ /changed=1000/) {
        if (key ~ /PlannerBenchmark\.incremental/) target = 5
        else if (key ~ /PlannerBenchmark\.hardRefresh/) target = 1000
      }
      if (target != "" && units[key] == "ms/op") {
        printf "    target mean < %s ms: %s\n", target, (val[key, "mean"] + 0 < target ? "met" : "MISSED")
      }
    }
  }
' "$out/jmh.txt"
if [[ -f "$out/footprint.txt" && "${SKIP_FOOTPRINT:-0}" != 1 ]]; then
  grep -E '^(footprint\.bytesPerListingLocation|hardRefresh\.pushes|hardRefresh\.bytesPerPush)=' \
    "$out/footprint.txt"
  bytes=$(sed -n 's/^footprint\.bytesPerListingLocation=//p' "$out/footprint.txt")
  echo "    target bytes per listing-location < 300: $([[ "$bytes" -lt 300 ]] && echo met || echo MISSED)"
fi
