#!/bin/sh
# test_sweep.sh — `--batch --sweep phase` and `--merge` through the real binary (SPEC §7,
# issue 11): the CSV layout, the same bytes for any --jobs, shards that merge into exactly
# the single run's file, merges that refuse what does not match, bad input with exit 2
# (1 for unreadable files), no partial CSV left behind, no progress text off a terminal.
. "${srcdir:-.}/tests/lib.sh"

GRID="--sweep phase -n 12 --ks 2:6:2 --ds 2,5 --trials 2 --max-steps 3000"

# --- the CSV ---
run_gdpath --batch $GRID --jobs 1
cp "$TMP/out" "$TMP/j1.csv"
check "sweep exits 0, stderr silent off a terminal" test "$status" -eq 0 -a -z "$err"
check "header row" grep -qx 'k,d,kd,trials,successes,diverged,rate,median_steps,median_misfit' "$TMP/j1.csv"
check "one row per cell, k-major" sh -c '[ "$(grep -v "^#" "$1" | sed 1d | cut -d, -f1,2 | tr "\n" " ")" = "2,2 2,5 4,2 4,5 6,2 6,5 " ]' _ "$TMP/j1.csv"
check "metadata names the paper, the grid and the rule" sh -c 'grep -q "^# sweep: phase (\[OS19b\] Sec. 4" "$1" && grep -qx "# ks: 2,4,6" "$1" && grep -qx "# rows: 6" "$1" && grep -qx "# eta: 0.15" "$1" && grep -q "^# success: " "$1"' _ "$TMP/j1.csv"
check "kd column and rate = successes/trials" awk -F, '!/^#/ && NR > 1 && $1 != "k" { if ($3 != $1 * $2 || $7 != $5 / $4) exit 1 }' "$TMP/j1.csv"

# --- determinism: any --jobs, and a range written as a list ---
run_gdpath --batch $GRID --jobs 2
check "--jobs 2 gives the bytes of --jobs 1" cmp -s "$TMP/out" "$TMP/j1.csv"
run_gdpath --batch --sweep phase -n 12 --ks 2,4,6 --ds 2,5 --trials 2 --max-steps 3000 --jobs 3
check "--ks 2,4,6 is the sweep --ks 2:6:2" cmp -s "$TMP/out" "$TMP/j1.csv"

# --- shards and merge ---
for i in 1 2 3 4; do
	"$GDPATH" --batch $GRID --shard $i/4 -o "$TMP/s$i.csv" 2>"$TMP/err"
done
check "shard 2/4 says so and holds its cells" sh -c 'grep -qx "# shard: 2/4" "$1" && [ "$(grep -vc "^#" "$1")" -eq 3 ]' _ "$TMP/s2.csv"
run_gdpath --merge "$TMP/s3.csv" "$TMP/s1.csv" "$TMP/s4.csv" "$TMP/s2.csv"
check "merge of the shards (any order) is the single run, byte for byte" cmp -s "$TMP/out" "$TMP/j1.csv"
"$GDPATH" --merge "$TMP/s1.csv" "$TMP/s2.csv" "$TMP/s3.csv" "$TMP/s4.csv" -o "$TMP/merged.csv"
check "merge -o FILE writes the same" cmp -s "$TMP/merged.csv" "$TMP/j1.csv"
"$GDPATH" --batch $GRID --seed 2 --shard 2/4 -o "$TMP/other.csv"
expect_fail "merge refuses a shard of another sweep" 2 "s[0-9].csv:[0-9]+: '# seed: 2' differs|other.csv:[0-9]+: .*differs" \
	--merge "$TMP/s1.csv" "$TMP/other.csv" "$TMP/s3.csv" "$TMP/s4.csv"
expect_fail "merge refuses a missing shard" 2 "all 4 shards" --merge "$TMP/s1.csv" "$TMP/s2.csv" "$TMP/s3.csv"
expect_fail "merge refuses a shard twice" 2 "both shard 2/4" --merge "$TMP/s1.csv" "$TMP/s2.csv" "$TMP/s2.csv" "$TMP/s4.csv"
expect_fail "merge refuses a whole run" 2 "no '# shard: i/N' line" --merge "$TMP/j1.csv"
head -n -1 "$TMP/s2.csv" >"$TMP/cut.csv"
expect_fail "merge refuses a shard with a row missing" 2 "cut.csv has 1 rows, shard 2/4 of 6 needs 2" --merge "$TMP/s1.csv" "$TMP/cut.csv" "$TMP/s3.csv" "$TMP/s4.csv"
expect_fail "merge of an unreadable file exits 1" 1 "nope.csv" --merge "$TMP/s1.csv" "$TMP/nope.csv" "$TMP/s3.csv" "$TMP/s4.csv"
expect_fail "merge without files" 2 "give the shard files" --merge
expect_fail "merge with sweep options" 2 "--merge: takes the shard files" --merge --jobs 2 "$TMP/s1.csv"
check "a refused merge leaves no output file" sh -c '! "$1" --merge "$2" -o "$3" 2>/dev/null && [ ! -e "$3" ]' _ "$GDPATH" "$TMP/s1.csv" "$TMP/never.csv"

# --- bad input: exit 2, one line ---
expect_fail "empty range" 2 "--ks: '5:2' is an empty range" --batch --sweep phase --ks 5:2
expect_fail "k = 0" 2 "--ks: '0:3' is not START:END" --batch --sweep phase --ks 0:3
expect_fail "d list with 0" 2 "--ds: '3,0' is not START:END" --batch --sweep phase --ds 3,0
expect_fail "junk range" 2 "--ds: '1::3' is not START:END" --batch --sweep phase --ds 1::3
expect_fail "repeated value" 2 "--ks: '2,3,2' repeats 2" --batch --sweep phase --ks 2,3,2
expect_fail "zero trials" 2 "--trials: '0' is not a whole number from 1" --batch --sweep phase --trials 0
expect_fail "tol 0" 2 "--tol: '0' is not a number strictly between 0 and 1" --batch --sweep phase --tol 0
expect_fail "tol 1" 2 "--tol: '1' is not a number strictly between 0 and 1" --batch --sweep phase --tol 1
expect_fail "shard 3/2" 2 "--shard: '3/2' needs 1 <= i <= N" --batch --sweep phase --shard 3/2
expect_fail "shard junk" 2 "--shard: 'half' is not i/N" --batch --sweep phase --shard half
expect_fail "max-steps 0" 2 "--max-steps: '0' is not a whole number from 1" --batch --sweep phase --max-steps 0
expect_fail "jobs 0" 2 "--jobs: '0' is not a whole number from 1" --batch --sweep phase --jobs 0
expect_fail "unknown sweep" 2 "unknown sweep 'zeta'" --batch --sweep zeta
expect_fail "sweep without batch" 2 "--sweep: only with --batch" --sweep phase
expect_fail "sweep options without a sweep" 2 "--ks: only with --sweep" --batch --ks 1:3
expect_fail "width in a sweep" 2 "--width: --sweep phase does not use it \(use --ks\)" --batch --sweep phase -m shallow -k 3
expect_fail "steps in a sweep" 2 "--steps: --sweep phase does not use it \(use --max-steps\)" --batch --sweep phase --steps 5
expect_fail "a model the sweep does not run" 2 "--sweep phase runs shallow or rf" --batch --sweep phase -m linear
expect_fail "an activation without the paper's step" 2 "--eta: the paper gives no step for tanh" --batch --sweep phase -a tanh
expect_fail "output into a missing directory" 1 "no/such/dir/x.csv" --batch $GRID -o "$TMP/no/such/dir/x.csv"

# --- the live view as a snapshot: the whole sweep first, so the picture is reproducible ---
SNAP="--snapshot --preset phase-softplus $(echo "$GRID" | sed 's/--sweep phase//') --steps 20 --ascii --size 100x30"
"$GDPATH" $SNAP >"$TMP/snap1.txt" 2>"$TMP/err"
"$GDPATH" $SNAP >"$TMP/snap2.txt" 2>>"$TMP/err"
check "phase snapshot: the same picture twice" cmp -s "$TMP/snap1.txt" "$TMP/snap2.txt"
check "phase snapshot: 6/6 cells and a glyph for each" sh -c 'grep -q "success rate: 6/6 cells" "$1" &&
	[ "$(cut -c53- "$1" | sed -n "2,4p" | sed "s/^ *[0-9]*//" | tr -cd ".:+#@*" | wc -c)" -eq 6 ]' _ "$TMP/snap1.txt"
full=$(grep -v '^#' "$TMP/j1.csv" | awk -F, '$7 == 1' | wc -l)
at=$(cut -c53- "$TMP/snap1.txt" | sed -n '2,4p' | tr -cd '@' | wc -c)
check "phase snapshot: its full cells are the CSV's (rate 1: $full, @: $at, one may be marked)" \
	sh -c '[ "$1" -le "$2" ] && [ "$2" -le $(($1 + 1)) ]' _ "$at" "$full"

# --- interrupted: no CSV, no temporary file left ---
mkdir -p "$TMP/int"
"$GDPATH" --batch --sweep phase -n 100 --ks 2 --ds 2:25 --trials 50 --jobs 1 -o "$TMP/int/y.csv" 2>"$TMP/int.err" &
pid=$!
# poll (deadline 10 s) for its temporary file, then interrupt it
n=0
while [ $n -lt 100 ] && ! ls "$TMP/int" | grep -q '^y.csv.tmp'; do sleep 0.1; n=$((n + 1)); done
kill -INT $pid
wait $pid
st=$?
check "SIGINT: exit 130, no CSV and no temporary file" sh -c '[ "$1" -eq 130 ] && [ -z "$(ls "$2" | grep "^y.csv")" ] && grep -q "interrupted" "$3"' _ "$st" "$TMP/int" "$TMP/int.err"

done_testing
