#!/bin/sh
# test_fuzz.sh — issue 9: the libFuzzer targets (fuzz/), when 'make fuzz' has built them
# (./quickstart check does in its sanitizer pass): every input of the seed corpora once, as
# regression inputs, then FUZZ_SECONDS (default 0: none) of fuzzing each. A crash, a
# sanitizer report, a leak or an input that runs past 10 s fails the test.
. "${srcdir:-.}/tests/lib.sh"
case $GDPATH in /*) ;; *) GDPATH=$(pwd)/$GDPATH ;; esac
BIN=$(dirname "$GDPATH")/../fuzz
SRC=$(cd "${srcdir:-.}" && pwd)
SECS=${FUZZ_SECONDS:-0}
if [ ! -x "$BIN/fuzz_theme" ]; then
	echo "1..0 # SKIP fuzz targets not built (make fuzz, with clang)"
	exit 0
fi
for t in theme config data init cli keys; do
	len=4096
	[ "$t" = keys ] && len=200
	run() {
		TMPDIR=$TMP XDG_CONFIG_HOME=/nonexistent-gdpath-fuzz "$BIN/fuzz_$t" -timeout=10 \
			-rss_limit_mb=2048 -max_len=$len -print_final_stats=1 \
			-artifact_prefix="$TMP/crash-$t-" "$@" >"$TMP/$t.log" 2>&1
	}
	if run -runs=0 "$SRC/fuzz/corpus/$t"; then
		ok "fuzz_$t: the seed corpus ($(ls "$SRC/fuzz/corpus/$t" | wc -l) inputs) runs clean"
	else
		not_ok "fuzz_$t: the seed corpus runs clean" "$(grep -E 'ERROR|SUMMARY' "$TMP/$t.log" | head -5)"
	fi
	[ "$SECS" -gt 0 ] || continue
	mkdir -p "$TMP/work-$t"
	if run -max_total_time="$SECS" "$TMP/work-$t" "$SRC/fuzz/corpus/$t"; then
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$TMP/$t.log")
		ok "fuzz_$t: $SECS s of fuzzing, $n executions, no finding"
	else
		not_ok "fuzz_$t: $SECS s of fuzzing" "$(grep -E 'ERROR|SUMMARY|Test unit' "$TMP/$t.log" | head -5)" \
			"input: $(ls "$TMP"/crash-$t-* 2>/dev/null | head -1 | xargs -r od -An -c | head -5)"
		mkdir -p "$(pwd)/fuzz-findings" && cp "$TMP"/crash-$t-* "$(pwd)/fuzz-findings/" 2>/dev/null
	fi
done
done_testing
