#!/bin/sh
# phase.sh — the phase-transition sweep of [OS19b] Sec. 4 (issue 11, "Speed"): gdpath
# against a NumPy implementation of the same protocol (bench/phase_numpy.py, Debian's
# python3-numpy, one thread) in the same run, on the 12 x 12 even grid (k, d = 2..24) at
# n = 100 with 5 trials a cell, for softplus and ReLU; then the projected time of the
# paper's full grid (k, d = 1..25, 10 trials). Numbers are printed, never asserted. Run by
# 'make bench-phase'; by hand:   sh bench/phase.sh BUILDDIR [SRCDIR]
# Knobs: BENCH_PHASE_GRID (2:24:2), BENCH_PHASE_TRIALS (5), BENCH_PHASE_ACTS ("softplus
# relu"), BENCH_PHASE_NUMPY=0 (skip the peer), BENCH_PHASE_FULL=1 (measure the full grid
# with 1 trial a cell instead of projecting from the even grid). About 12 minutes on an
# idle 2-core machine with the peer, 3 without.
set -u
B=$(cd "${1:-.}" && pwd) || exit 1
S=$(cd "${2:-$(dirname "$0")/..}" && pwd) || exit 1
G=$B/src/gdpath
GRID=${BENCH_PHASE_GRID:-2:24:2}
TRIALS=${BENCH_PHASE_TRIALS:-5}
ACTS=${BENCH_PHASE_ACTS:-softplus relu}
PY=/usr/bin/python3
[ -x "$G" ] || { echo "phase.sh: $G is missing: build first" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/gdpath-phase.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
list() { # START:END:STEP -> a,b,c
	echo "$1" | awk -F: '{ s = ($3 == "" ? 1 : $3); o = ""; for (x = $1; x <= $2; x += s) o = o (o == "" ? "" : ",") x; print o }'
}
cores=$(nproc)
cells=$(($(list "$GRID" | tr ',' '\n' | wc -l) * $(list "$GRID" | tr ',' '\n' | wc -l)))
echo "gdpath phase-sweep benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: nproc=$cores  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "grid: k, d = $GRID ($cells cells), $TRIALS trials, n = 100, tol 2.5e-3, 15000 steps"
echo "(wall seconds; 'cpu' is user+sys of the process, which a busy machine inflates less)"
echo
# run LABEL CMD...: wall and cpu seconds of CMD into $T/LABEL.{wall,cpu}
run() {
	label=$1
	shift
	t0=$(now)
	/usr/bin/time -f '%U %S' -o "$T/$label.time" "$@" >"$T/$label.out" 2>"$T/$label.err"
	t1=$(now)
	calc '%.2f' "$t1 - $t0" >"$T/$label.wall"
	awk '{ printf "%.2f", $1 + $2 }' "$T/$label.time" >"$T/$label.cpu"
}
rate() { awk -F, '!/^#/ && $1 != "k" { s += $5; t += $4 } END { printf "%d/%d", s, t }' "$1"; }
printf '%-34s %10s %10s %12s\n' "" "wall" "cpu" "fitted"
for act in $ACTS; do
	run "g1-$act" "$G" --batch --sweep phase -a "$act" --ks "$GRID" --ds "$GRID" --trials "$TRIALS" --jobs 1
	run "gN-$act" "$G" --batch --sweep phase -a "$act" --ks "$GRID" --ds "$GRID" --trials "$TRIALS" --jobs "$cores"
	cmp -s "$T/g1-$act.out" "$T/gN-$act.out" && same=yes || same=NO
	printf '%-34s %9ss %9ss %12s\n' "gdpath $act, --jobs 1" "$(cat "$T/g1-$act.wall")" "$(cat "$T/g1-$act.cpu")" "$(rate "$T/g1-$act.out")"
	printf '%-34s %9ss %9ss %12s\n' "gdpath $act, --jobs $cores" "$(cat "$T/gN-$act.wall")" "$(cat "$T/gN-$act.cpu")" "$(rate "$T/gN-$act.out")"
	echo "  same CSV bytes for --jobs 1 and --jobs $cores: $same"
	if [ "${BENCH_PHASE_NUMPY:-1}" = 1 ] && "$PY" -c 'import numpy' 2>/dev/null; then
		run "np-$act" env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$PY" "$S/bench/phase_numpy.py" "$act" 100 "$(list "$GRID")" "$(list "$GRID")" "$TRIALS"
		printf '%-34s %9ss %9ss %12s\n' "peer: NumPy $act, one thread" "$(cat "$T/np-$act.wall")" "$(cat "$T/np-$act.cpu")" "$(rate "$T/np-$act.out")"
		printf '%-34s %10s %10s\n' "  NumPy / gdpath --jobs 1" "$(calc '%.1fx' "$(cat "$T/np-$act.wall") / $(cat "$T/g1-$act.wall")")" "$(calc '%.1fx' "$(cat "$T/np-$act.cpu") / $(cat "$T/g1-$act.cpu")")"
		printf '%-34s %10s\n' "  NumPy / gdpath --jobs $cores" "$(calc '%.1fx' "$(cat "$T/np-$act.wall") / $(cat "$T/gN-$act.wall")")"
	else
		echo "  peer: NumPy skipped"
	fi
	ref=280
	[ "$act" = relu ] && ref=170
	echo "  the issue's reference NumPy script: about $ref s on one core"
	# the paper's grid: 625 cells x 10 trials
	if [ "${BENCH_PHASE_FULL:-0}" = 1 ]; then
		run "full-$act" "$G" --batch --sweep phase -a "$act" --trials 1 --jobs "$cores"
		proj=$(calc '%.0f' "$(cat "$T/full-$act.wall") * 10")
		how="measured with 1 trial a cell, x 10"
	else
		proj=$(calc '%.0f' "$(cat "$T/gN-$act.wall") * 6250 / ($cells * $TRIALS)")
		how="the even grid's time per trial x 6250 trials"
	fi
	printf '%-34s %9ss   (%s; target 180 s)\n' "projected: full grid, --jobs $cores" "$proj" "$how"
	echo
done
