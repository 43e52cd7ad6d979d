#!/bin/sh
# run.sh — fuzz each target for a while (after 'make fuzz'); new inputs go to a scratch
# corpus, crashes to fuzz/crashes/. Prints each target's execution count.
#   fuzz/run.sh SECONDS [TARGET...]      e.g. fuzz/run.sh 600 theme data
# Run it from the build directory (where make fuzz put the binaries).
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-theme config data init cli keys}
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$(pwd)/fuzz
work=${FUZZ_WORK:-$(pwd)/fuzz/work}
mkdir -p "$work" "$(pwd)/fuzz/crashes"
status=0
for t in $targets; do
	[ -x "$bin/fuzz_$t" ] || { echo "run.sh: $bin/fuzz_$t missing: make fuzz" >&2; exit 1; }
	mkdir -p "$work/$t"
	len=4096
	[ "$t" = keys ] && len=200
	TMPDIR=$work XDG_CONFIG_HOME=/nonexistent-gdpath-fuzz "$bin/fuzz_$t" \
		-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=$len \
		-print_final_stats=1 -artifact_prefix="$(pwd)/fuzz/crashes/$t-" \
		"$work/$t" "$src/fuzz/corpus/$t" >"$work/$t.log" 2>&1 || status=1
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
	echo "$t: ${n:-?} executions in ${secs} s$( [ $status -ne 0 ] && echo ' — FAILED, see '"$work/$t.log")"
done
exit $status
