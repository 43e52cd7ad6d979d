#!/bin/sh
# run.sh — gdpath's benchmarks (issue 3, "Speed"): every number is printed next to a peer or a
# physical limit measured in the same run, never asserted. See bench/README.md for how to
# read the tables. Run by 'make bench'; by hand:
#     sh bench/run.sh BUILDDIR [SRCDIR]
# BUILDDIR holds src/gdpath and the bench programs (bench/bench_frame, bench/bench_dgemm_blas,
# bench/bench_dgemm_ref); SRCDIR (default: this script's parent) is configured a second time,
# out of tree, with --with-blas=gsl. Knobs: BENCH_FRAMES (400), BENCH_RUN_SECONDS (3),
# BENCH_PAUSE_SECONDS (2), BENCH_SKIP_GSL_BUILD=1, BENCH_PEER_ROUNDS (5),
# BENCH_PEER_QUICK=1. About a minute on two cores, plus part 4 (a few minutes: the
# (5000, 784, 512) step takes ~0.1 s in each of three programs).
# shellcheck disable=SC2034 # the per-size results are read back through eval
set -u

B=$(cd "${1:-.}" && pwd) || exit 1
S=$(cd "${2:-$(dirname "$0")/..}" && pwd) || exit 1
G=$B/src/gdpath
FRAMES=${BENCH_FRAMES:-400}
RUN_S=${BENCH_RUN_SECONDS:-3}
PAUSE_S=${BENCH_PAUSE_SECONDS:-2}
PEER_ROUNDS=${BENCH_PEER_ROUNDS:-5}
FPS=30
SPEED=240

for f in "$G" "$B/bench/bench_frame" "$B/bench/bench_dgemm_blas" "$B/bench/bench_dgemm_ref" \
	"$B/bench/bench_step"; do
	if [ ! -x "$f" ]; then
		echo "run.sh: $f is missing: run 'make bench' in the build directory" >&2
		exit 1
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/gdpath-bench.XXXXXX") || exit 1
SOCK=bench-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP

now() { date +%s.%N; }
# field NAME LINE: the value of NAME=... in a key=value line
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# --- the machine ----------------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mhz=$(sed -n 's/^cpu MHz[[:space:]]*: \([0-9]*\).*/\1/p' /proc/cpuinfo | head -n 1)
simd=$(sed -n 's/^flags[[:space:]]*: //p' /proc/cpuinfo | head -n 1 | tr ' ' '\n' |
	grep -x -E 'sse3|avx|avx2|fma|avx512f' | tr '\n' ' ')
echo "gdpath benchmarks  $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: nproc=$(nproc)  cpu: ${cpu:-unknown}  ${mhz:+$mhz MHz}"
echo "simd: ${simd:-none listed}  load average: $(cut -d" " -f1-3 /proc/loadavg)  build: $B"
echo

# --- 1. frame render ------------------------------------------------------------------
echo "1. Frame render: canvas_clear + view_draw + compose every cell (canvas_row) + diff"
echo "   against a shadow copy; softplus preset, 2000 steps, then a 5-run fan ('f') at"
echo "   step 2000 and $FRAMES timed frames with 8 fan steps between frames (--speed 240 /"
echo "   --fps 30). No curses: the terminal side is part 2."
"$B/bench/bench_frame" "$FRAMES" 200x60 80x24 >"$T/frame" || {
	echo "   bench_frame failed" >&2
	exit 1
}
l1=$(sed -n 1p "$T/frame")
l2=$(sed -n 2p "$T/frame")
row() { # LABEL FORMAT FIELD-EXPRESSION (in terms of f(name))
	a=$(printf '%s\n' "$l1" | awk -v e="$3" -v fmt="$2" -f "$T/row.awk")
	b=$(printf '%s\n' "$l2" | awk -v e="$3" -v fmt="$2" -f "$T/row.awk")
	printf '   %-42s %14s %14s\n' "$1" "$a" "$b"
}
# row.awk: evaluate a tiny expression "x", "x/y", "x*k" over the line's key=value fields
cat >"$T/row.awk" <<'EOF'
{
	for (i = 1; i <= NF; i++) { n = index($i, "="); if (n) v[substr($i, 1, n - 1)] = substr($i, n + 1) }
	split(e, t, " ")
	x = (t[1] ~ /^[0-9.]+$/) ? t[1] : v[t[1]]
	if (t[2] == "/") { y = (t[3] ~ /^[0-9.]+$/) ? t[3] : v[t[3]]; x = y > 0 ? x / y : 0 }
	if (t[2] == "*") { y = (t[3] ~ /^[0-9.]+$/) ? t[3] : v[t[3]]; x = x * y }
	printf fmt, x
}
EOF
printf '   %-42s %14s %14s\n' "" "200x60" "80x24"
row "cells" "%d" "cells"
row "frame, median" "%.3f ms" "median_ms"
row "frame, 95th percentile" "%.3f ms" "p95_ms"
row "  of which view_draw (median)" "%.3f ms" "draw_ms"
row "target (issue 3)" "%.3f ms" "2"
row "median / target" "%.2f" "median_ms / 2"
row "peer: memcpy of the cell array" "%.4f ms" "memcpy_ms"
row "peer: canvas_cell_equal over every cell" "%.4f ms" "equal_ms"
row "median / cell_equal loop" "%.0fx" "median_ms / equal_ms"
row "cells changed per frame (what is blitted)" "%.0f" "changed_per_frame"
row "peer: one optimizer step, one run" "%.4f ms" "step1_ms"
row "peer: one step of the 5-run fan" "%.4f ms" "stepfan_ms"
row "frame median in fan steps" "%.1f" "median_ms / stepfan_ms"
row "fan runs not diverged (of 5)" "%d" "live"
echo

# --- 2. bytes written to the terminal ---------------------------------------------------
echo "2. Bytes written to the terminal: src/gdpath in a private tmux server (TERM=xterm-256color,"
echo "   UTF-8), --preset softplus --fps $FPS --speed $SPEED, 'f' for a 5-run fan; wchar and"
echo "   syscw from /proc/PID/io. Frames while running = seconds x fps (the cap; a frame costs"
echo "   ~2 ms of a 33 ms period, so the loop reaches it)."
if ! command -v tmux >/dev/null 2>&1; then
	echo "   skipped: tmux not installed"
else
	io() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/io" 2>/dev/null; }
	# settle PID: wait (at most 5 s) until wchar stops moving for 0.3 s
	settle() {
		n=0
		last=$(io "$1" wchar)
		same=0
		while [ "$n" -lt 50 ] && [ "$same" -lt 3 ]; do
			sleep 0.1
			cur=$(io "$1" wchar)
			if [ "$cur" = "$last" ]; then same=$((same + 1)); else same=0; fi
			last=$cur
			n=$((n + 1))
		done
	}
	printf '   %-42s %14s %14s\n' "" "200x60" "80x24"
	for size in 200x60 80x24; do
		w=${size%x*}
		h=${size#*x}
		tm new-session -d -s b -x "$w" -y "$h" \
			"exec env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME='$T/none' '$G' --preset softplus --seed 1 --fps $FPS --speed $SPEED" \; \
			set-option -g status off
		pid=
		n=0
		while [ -z "$pid" ] && [ "$n" -lt 100 ]; do
			p=$(tm list-panes -t b -F '#{pane_pid}' 2>/dev/null)
			# the pane's process is gdpath itself (exec), else its child
			if [ -n "$p" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = gdpath ]; then
				pid=$p
			elif [ -n "$p" ]; then
				c=$(cat /proc/"$p"/task/*/children 2>/dev/null | tr ' ' '\n' | head -n 1)
				[ -n "$c" ] && [ "$(cat "/proc/$c/comm" 2>/dev/null)" = gdpath ] && pid=$c
			fi
			[ -n "$pid" ] || sleep 0.1
			n=$((n + 1))
		done
		if [ -z "$pid" ]; then
			echo "   $size: gdpath did not start" >&2
			tm kill-server >/dev/null 2>&1
			continue
		fi
		# running: the fan, one second to warm up, then RUN_S seconds
		tm send-keys -t b f
		sleep 1
		w0=$(io "$pid" wchar) c0=$(io "$pid" syscw) t0=$(now)
		sleep "$RUN_S"
		w1=$(io "$pid" wchar) c1=$(io "$pid" syscw) t1=$(now)
		secs=$(calc '%.3f' "$t1 - $t0")
		eval "run_b_$w=\$((w1 - w0)) run_c_$w=\$((c1 - c0)) run_s_$w=$secs"
		# paused: one frame saying so, then nothing at all
		tm send-keys -t b ' '
		settle "$pid"
		w0=$(io "$pid" wchar) c0=$(io "$pid" syscw)
		sleep "$PAUSE_S"
		w1=$(io "$pid" wchar) c1=$(io "$pid" syscw)
		eval "pause_b_$w=\$((w1 - w0)) pause_c_$w=\$((c1 - c0))"
		# full repaint after a resize (one column narrower, then back: the second one counts)
		tm resize-window -t b -x $((w - 1)) -y "$h"
		settle "$pid"
		w0=$(io "$pid" wchar)
		tm resize-window -t b -x "$w" -y "$h"
		settle "$pid"
		w1=$(io "$pid" wchar)
		eval "resize_b_$w=\$((w1 - w0))"
		# full repaint after a theme change ('t': every cell's colours change)
		w0=$(io "$pid" wchar)
		tm send-keys -t b t
		settle "$pid"
		w1=$(io "$pid" wchar)
		eval "theme_b_$w=\$((w1 - w0))"
		tm send-keys -t b q
		sleep 0.2
		tm kill-server >/dev/null 2>&1
		# the glyphs alone of a full screen (no escapes, trailing blanks trimmed)
		text=$("$G" --snapshot --preset softplus --seed 1 --steps 2000 --size "$size" | wc -c)
		eval "text_b_$w=$text"
	done
	r2() { # LABEL FORMAT EXPR-200 EXPR-80 (awk expressions)
		printf '   %-42s %14s %14s\n' "$1" "$(calc "$2" "$3")" "$(calc "$2" "$4")"
	}
	v() { eval "echo \${$1_$2:-0}"; }
	r2 "running: seconds measured" "%.2f s" "$(v run_s 200)" "$(v run_s 80)"
	r2 "running: bytes per second" "%.0f B/s" "$(v run_b 200) / $(v run_s 200)" \
		"$(v run_b 80) / $(v run_s 80)"
	r2 "running: bytes per frame" "%.0f B" "$(v run_b 200) / ($(v run_s 200) * $FPS)" \
		"$(v run_b 80) / ($(v run_s 80) * $FPS)"
	r2 "running: write() calls per frame" "%.0f" "$(v run_c 200) / ($(v run_s 200) * $FPS)" \
		"$(v run_c 80) / ($(v run_s 80) * $FPS)"
	r2 "peer: full repaint after a resize" "%.0f B" "$(v resize_b 200)" "$(v resize_b 80)"
	r2 "peer: repaint for the next theme ('t')" "%.0f B" "$(v theme_b 200)" "$(v theme_b 80)"
	r2 "limit: the screen's text alone (--snapshot)" "%.0f B" "$(v text_b 200)" "$(v text_b 80)"
	r2 "frame / full repaint (resize)" "%.3f" \
		"$(v run_b 200) / ($(v run_s 200) * $FPS) / ($(v resize_b 200) + 1e-9)" \
		"$(v run_b 80) / ($(v run_s 80) * $FPS) / ($(v resize_b 80) + 1e-9)"
	r2 "paused: bytes in $PAUSE_S s (expected 0)" "%d B" "$(v pause_b 200)" "$(v pause_b 80)"
	r2 "paused: write() calls in $PAUSE_S s" "%d" "$(v pause_c 200)" "$(v pause_c 80)"
fi
echo

# --- 3. BLAS ---------------------------------------------------------------------------
echo "3. BLAS: the same cblas_dgemm (C = A.B, row-major) through the configured BLAS (one"
echo "   thread, as gdpath runs it) and GSL's reference CBLAS; median time per call."
"$B/bench/bench_dgemm_blas" >"$T/blas" || echo "   bench_dgemm_blas failed" >&2
"$B/bench/bench_dgemm_ref" >"$T/ref" || echo "   bench_dgemm_ref failed" >&2
# OpenBLAS picks its kernels from the CPU model; an unknown model falls back to an old
# kernel. Force the newest one the CPU's flags allow, as the peer for "what this CPU can do".
force=
case " $simd " in
*" avx512f "*) force=SkylakeX ;;
*" avx2 "*) force=Haswell ;;
esac
case $(head -n 1 "$T/blas") in
*lib=openblas-*) ;;
*) force= ;;
esac
if [ -n "$force" ]; then
	OPENBLAS_CORETYPE=$force "$B/bench/bench_dgemm_blas" >"$T/forced" || :
fi
printf '   %-40s %14s %14s\n' "" "500x500x500" "20x20x100"
dg() { # LABEL FILE
	[ -s "$2" ] || return 0
	a=$(sed -n 1p "$2")
	b=$(sed -n 2p "$2")
	printf '   %-40s %14s %14s\n' "$1 ($(field lib "$a"))" \
		"$(calc '%.3f ms' "$(field median_s "$a") * 1e3")" \
		"$(calc '%.2f us' "$(field median_s "$b") * 1e6")"
	printf '   %-40s %14s %14s\n' "  GFLOP/s (flop per cycle)" \
		"$(calc '%.1f' "$(field gflops "$a")") ($(calc '%.1f' "$(field gflops "$a") * 1000 / ${mhz:-1}"))" \
		"$(calc '%.1f' "$(field gflops "$b")") ($(calc '%.1f' "$(field gflops "$b") * 1000 / ${mhz:-1}"))"
}
dg "configured BLAS" "$T/blas"
[ -n "$force" ] && dg "peer: kernel forced" "$T/forced"
dg "GSL reference CBLAS" "$T/ref"
ratio() { # FILE-A FILE-B LINE: median_s of B over A
	calc '%.1fx' "$(field median_s "$(sed -n "$3p" "$2")") / $(field median_s "$(sed -n "$3p" "$1")")"
}
if [ -s "$T/blas" ] && [ -s "$T/ref" ]; then
	printf '   %-40s %14s %14s\n' "reference / configured" "$(ratio "$T/blas" "$T/ref" 1)" \
		"$(ratio "$T/blas" "$T/ref" 2)"
	[ -s "$T/forced" ] && printf '   %-40s %14s %14s\n' "reference / $force" \
		"$(ratio "$T/forced" "$T/ref" 1)" "$(ratio "$T/forced" "$T/ref" 2)"
fi
echo

# A whole run: gdpath --batch with this build's BLAS and with a second build, configured out
# of tree with --with-blas=gsl (a source tree configured in place cannot host another build,
# so then a pristine copy is made with 'make distdir').
echo "   gdpath --batch --preset softplus --steps 5000 (median of 3 runs):"
batch_time() { # BINARY [ENV...]
	bin=$1
	shift
	for _ in 1 2 3; do
		t0=$(now)
		env "$@" "$bin" --batch --preset softplus --steps 5000 -o /dev/null || return 1
		t1=$(now)
		calc '%.4f\n' "$t1 - $t0"
	done | sort -n | sed -n 2p
}
tb=$(batch_time "$G")
printf '   %-42s %10s\n' "this build ($(sed -n 's/^#define HAVE_OPENBLAS 1/OpenBLAS/p' "$B/config.h" | grep . || echo "GSL CBLAS"))" "$(calc '%.3f s' "${tb:-0}")"
if [ -n "$force" ]; then
	tf=$(batch_time "$G" OPENBLAS_CORETYPE=$force)
	printf '   %-42s %10s\n' "this build, OPENBLAS_CORETYPE=$force" "$(calc '%.3f s' "${tf:-0}")"
fi
if [ "${BENCH_SKIP_GSL_BUILD:-0}" = 1 ]; then
	echo "   --with-blas=gsl build: skipped (BENCH_SKIP_GSL_BUILD=1)"
else
	t0=$(now)
	src=$S
	ok=1
	if [ -f "$S/config.status" ]; then
		make -s -C "$B" distdir distdir="$T/gsl-src" >"$T/gsl.log" 2>&1 || ok=0
		src=$T/gsl-src
	fi
	mkdir -p "$T/gsl-build"
	if [ "$ok" = 1 ] && (cd "$T/gsl-build" && "$src/configure" -q --with-blas=gsl &&
		make -s -j"$(nproc)" src/gdpath) >>"$T/gsl.log" 2>&1; then
		t1=$(now)
		tg=$(batch_time "$T/gsl-build/src/gdpath")
		printf '   %-42s %10s\n' "--with-blas=gsl build (built in $(calc '%.0f' "$t1 - $t0") s)" \
			"$(calc '%.3f s' "${tg:-0}")"
		printf '   %-42s %10s\n' "gsl / this build" "$(calc '%.2fx' "${tg:-0} / ${tb:-1}")"
	else
		echo "   --with-blas=gsl build failed; the last lines of its log:"
		tail -n 5 "$T/gsl.log" | sed 's/^/     /'
	fi
fi

# --- 5. the step-size range test (4 is bench/phase.sh) ----------------------------------------------------------
echo
echo "5. Step-size range test (issue 13): gdpath --batch --sweep eta --preset softplus, the"
echo "   default test (25 step sizes x 200 steps, shallow softplus net n=100 d=k=20), median"
echo "   of 5 wall times; peers: the same sweep in NumPy on one core (bench/range_test_numpy.py),"
echo "   and gdpath itself on one thread (--jobs 1)."
# median5 CMD...: the median of five wall times of CMD, in seconds
median5() {
	for i in 1 2 3 4 5; do
		t0=$(now)
		"$@" >/dev/null 2>&1
		t1=$(now)
		calc '%.6f\n' "$t1 - $t0"
	done | sort -n | sed -n 3p
}
tj=$(median5 "$G" --batch --sweep eta --preset softplus)
t1j=$(median5 "$G" --batch --sweep eta --preset softplus --jobs 1)
tnp=
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	tnp=$(for i in 1 2 3; do OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 \
		"$S/bench/range_test_numpy.py" 2>/dev/null; done | sort -n | sed -n 2p)
fi
printf '   %-42s %10s\n' "gdpath, --jobs $(nproc) (all cores)" "$(calc '%.3f s' "${tj:-0}")"
printf '   %-42s %10s\n' "gdpath, --jobs 1" "$(calc '%.3f s' "${t1j:-0}")"
printf '   %-42s %10s\n' "speed-up of all cores over one" "$(calc '%.2fx' "${t1j:-0} / ${tj:-1}")"
if [ -n "$tnp" ]; then
	printf '   %-42s %10s\n' "peer: NumPy, one core (median of 3)" "$(calc '%.3f s' "$tnp")"
	printf '   %-42s %10s\n' "NumPy / gdpath --jobs 1" "$(calc '%.2fx' "$tnp / ${t1j:-1}")"
else
	echo "   peer: NumPy not available (/usr/bin/python3 with numpy)"
fi
# CPU seconds (user + system) tell less about the load of a shared machine than wall times
if [ -x /usr/bin/time ]; then
	cpu() { /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ printf "%.3f", $1 + $2 }'; }
	printf '   %-42s %10s\n' "CPU time, gdpath --jobs 1" "$(cpu "$G" --batch --sweep eta --preset softplus --jobs 1) s"
	[ -n "$tnp" ] && printf '   %-42s %10s\n' "CPU time, NumPy (with interpreter start)" \
		"$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 cpu /usr/bin/python3 "$S/bench/range_test_numpy.py") s"
fi
echo

# --- 4. the GD step against NumPy, PyTorch and the floor (issue 10) ---------------------
echo "4. One gradient-descent step: gdpath against NumPy and PyTorch, and against the floor"
echo "   (the step's products alone through the same CBLAS + its elementwise work alone);"
echo "   bench/peers.py, workers interleaved. BENCH_PEER_ROUNDS ($PEER_ROUNDS) rounds,"
echo "   BENCH_PEER_QUICK=1 for the small shapes only."
if [ -x /usr/bin/python3 ] || command -v python3 >/dev/null 2>&1; then
	py=/usr/bin/python3
	[ -x "$py" ] || py=python3
	quick=
	[ "${BENCH_PEER_QUICK:-0}" = 1 ] && quick=--quick
	"$py" "$S/bench/peers.py" --build "$B" --rounds "$PEER_ROUNDS" $quick 2>/dev/null |
		sed 's/^/   /' || echo "   peers.py failed" >&2
else
	echo "   skipped: no python3 (NumPy and PyTorch peers need python3-numpy, python3-torch)"
fi

# --- 6. LeNet: one Adam step against PyTorch and the dgemm floor --------------------------
echo
LSTEPS=${BENCH_LENET_STEPS:-10}
echo "6. LeNet ([OS19] Sec. 6.1): one Adam step on a minibatch of 100 28x28 images, double"
echo "   precision, one thread each (gdpath's BLAS runs one); median of $LSTEPS steps. The floor"
echo "   is the step's multiply-adds at this machine's dgemm rate (500x500x500, part 3's)."
lg=$("$B/bench/bench_lenet" "$LSTEPS") || lg=
lt=$(/usr/bin/python3 "$S/bench/bench_lenet_torch.py" "$LSTEPS" 1 2>/dev/null) || lt="skip=python3-torch-failed"
ld=$("$B/bench/bench_dgemm_blas" 500x500x500 9800x64x800 100x1024x3136) || ld=
gms=$(field median_ms "$lg")
gfl=$(field gflop "$lg")
rate=$(printf '%s\n' "$ld" | sed -n 1p | tr ' ' '\n' | sed -n 's/^gflops=//p')
printf '   %-42s %10s\n' "gdpath step (im2col + dgemm)" "$(calc '%.0f ms' "${gms:-0}")"
printf '   %-42s %10s\n' "  its multiply-adds" "$(calc '%.2f GFLOP' "${gfl:-0}")"
printf '   %-42s %10s\n' "  rate" "$(calc '%.2f GFLOP/s' "$(field gflops "$lg")+0")"
case $lt in
skip=*) echo "   PyTorch: ${lt#skip=}" ;;
*)
	tms=$(field median_ms "$lt")
	printf '   %-42s %10s\n' "PyTorch $(field torch "$lt") CPU, float64" "$(calc '%.0f ms' "${tms:-0}")"
	printf '   %-42s %10s\n' "PyTorch / gdpath (above 1: gdpath faster)" "$(calc '%.2fx' "${tms:-0} / ${gms:-1}")"
	;;
esac
if [ -n "$rate" ]; then
	floor=$(calc '%.1f' "${gfl:-0} / $rate * 1000")
	printf '   %-42s %10s\n' "dgemm floor at $(calc '%.1f' "$rate") GFLOP/s" "$floor ms"
	printf '   %-42s %10s\n' "gdpath / floor" "$(calc '%.2fx' "${gms:-0} / $floor")"
	printf '%s\n' "$ld" | sed -n '2,3p' | while read -r line; do
		printf '   %-42s %10s\n' "  dgemm at $(field size "$line") (a layer's shape)" "$(calc '%.2f GFLOP/s' "$(field gflops "$line")")"
	done
fi
