#!/bin/sh
# test_trials.sh — `--batch --trials N` ([OS19] Fig. 2's realizations, issue 12) through the
# real binary, on the fast mlp: the band's layout (a row per misfit grid value, mean and
# sd per layer), the same bytes for any --jobs, shards merged and reduced by --band into
# exactly the unsharded band, and the errors: --trials without --batch, a bad band file.
. "${srcdir:-.}/tests/lib.sh"

ARGS="--trials 4 -m mlp --steps 300"
run_gdpath --batch $ARGS --jobs 1
cp "$TMP/out" "$TMP/j1.csv"
check "trials exit 0" test "$status" -eq 0
check "band header: nresidual, trials, mean and sd per layer" \
	grep -qx 'nresidual,trials,mean.L1,sd.L1,mean.L2,sd.L2,mean.L3,sd.L3' "$TMP/j1.csv"
check "20 grid rows, 0.05 to 1.00" sh -c '[ "$(grep -v "^#" "$1" | sed 1d | cut -d, -f1 | tr "\n" " ")" = "0.05 0.10 0.15 0.20 0.25 0.30 0.35 0.40 0.45 0.50 0.55 0.60 0.65 0.70 0.75 0.80 0.85 0.90 0.95 1.00 " ]' _ "$TMP/j1.csv"
check "at misfit 1 every trial is at distance 0" grep -qx '1.00,4,0,0,0,0,0,0' "$TMP/j1.csv"
# the paper's shape: distances grow as the misfit falls (mean over the trials)
check "mean layer distance grows as the misfit falls" awk -F, '!/^#/ && $1 != "nresidual" && $2 == 4 { if (NR > 1 && prev != "" && $3 > prev) bad = 1; prev = $3 } END { exit bad }' "$TMP/j1.csv"
check "metadata: seeds and trials" sh -c 'grep -qx "# trials: 4" "$1" && grep -q "^# seeds: 1 to 4" "$1"' _ "$TMP/j1.csv"

run_gdpath --batch $ARGS --jobs 2
check "same bytes with --jobs 2" cmp -s "$TMP/out" "$TMP/j1.csv"

for i in 1 2 3; do
	run_gdpath --batch $ARGS --shard $i/3 -o "$TMP/s$i.csv"
done
check "a shard holds its trials, one row each" sh -c '[ "$(grep -v "^#" "$1" | sed 1d | cut -d, -f1 | tr "\n" " ")" = "0 3 " ] && grep -qx "# shard: 1/3" "$1"' _ "$TMP/s1.csv"
run_gdpath --merge "$TMP/s3.csv" "$TMP/s1.csv" "$TMP/s2.csv" -o "$TMP/m.csv"
check "the shards merge" test "$status" -eq 0
run_gdpath --batch --band "$TMP/m.csv"
check "--band of the merged trials is the unsharded band, byte for byte" cmp -s "$TMP/out" "$TMP/j1.csv"

run_gdpath --snapshot -m mlp --steps 100 --size 120x40
cp "$TMP/out" "$TMP/plain.txt"
run_gdpath --snapshot -m mlp --steps 100 --size 120x40 --band "$TMP/j1.csv"
check "--band draws the realizations behind the per-layer panel (and only there)" sh -c '
	[ "$0" -eq 0 ] && ! cmp -s "$1" "$2" &&
	[ "$(head -18 "$1")" = "$(head -18 "$2")" ]' "$status" "$TMP/out" "$TMP/plain.txt"
run_gdpath --snapshot -m mlp --steps 1 --band "$TMP/s1.csv"
check "--band reads a shard's trials too" test "$status" -eq 0

expect_fail "--trials without --batch" 2 '^gdpath: --trials: only with --batch' $ARGS
printf 'a,b\n1,2\n' >"$TMP/junk.csv"
expect_fail "a file that is not a band names file:line" 1 "junk.csv:1: not a band or trials CSV" --batch --band "$TMP/junk.csv"
expect_fail "a missing band file" 1 "nope.csv: No such file" --batch --band "$TMP/nope.csv"

done_testing
