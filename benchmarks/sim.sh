#!/usr/bin/env bash
# The simulated sales day (issue 15): stocksync vs a 10-minute sync cycle, same day, same seed.
#
#   benchmarks/sim.sh                                   # full day: 2,000 SKUs, 20,000 buyers
#   benchmarks/sim.sh --seed 7 --skus 200 --arrivals 2000
#   benchmarks/sim.sh --mode stocksync_guarded          # slow stores hide the last unit
#   benchmarks/sim.sh --amazon-queue-read 2             # a host long-polling its SQS queue
#   SKIP_BUILD=1 benchmarks/sim.sh ...
#
# Prints a Markdown table; writes benchmarks/target/sim/{summary,hourly,oversold-timeline,
# latencies}.csv, table.md and oversold.svg.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== build" >&2
  mvn -B -ntp -q package -DskipTests -pl benchmarks -am
fi
java -cp benchmarks/target/benchmarks.jar io.stocksync.benchmarks.sim.SalesDayReport "$@"
