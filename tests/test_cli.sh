#!/bin/sh
# test_cli.sh — the command line and the headless CSV contract (SPEC §7–§8), driven
# through the real binary: help and version, every kind of bad input with its exit
# status and message, the CSV layout, determinism, locale independence.
. "${srcdir:-.}/tests/lib.sh"

# --- GNU conventions ---
run_gdpath --help
check "--help exits 0 with usage on stdout" test "$status" -eq 0 -a -n "$out" -a -z "$err"
check "--help starts with Usage:" sh -c 'head -1 "$1" | grep -q "^Usage: gdpath"' _ "$TMP/out"
run_gdpath --version
check "--version names program, version and licence" sh -c '[ "$0" -eq 0 ] && head -1 "$1" | grep -Eq "^gdpath [0-9]+\.[0-9]+" && grep -q License "$1"' "$status" "$TMP/out"
for what in models optimizers activations presets themes; do
	run_gdpath --list $what
	check "--list $what" test "$status" -eq 0 -a -n "$out"
done
run_gdpath --list models
check "--list models names all six" sh -c 'for m in linear glm lowrank shallow du mlp; do grep -q "^$m " "$1" || exit 1; done' _ "$TMP/out"

# --- usage errors: exit 2, one line naming the problem ---
expect_fail "unknown option" 2 "unknown option '--frobnicate'" --frobnicate
expect_fail "unknown short option" 2 "unknown option '-Z'" -Z
expect_fail "missing value" 2 "option '--eta' needs a value" --batch --eta
expect_fail "unknown model" 2 "unknown model 'resnet'" --batch --model resnet
expect_fail "unknown optimizer" 2 "unknown optimizer 'lbfgs'" --batch -O lbfgs
expect_fail "unknown activation" 2 "unknown activation 'swish'" --batch -m shallow -a swish
expect_fail "activation on a model without one" 2 "model linear has no activation" --batch -a relu
expect_fail "unknown labels" 2 "unknown kind 'fuzzy'" --batch --labels fuzzy
expect_fail "unknown preset" 2 "unknown preset 'fig9'" --preset fig9
expect_fail "samples 0" 2 "--samples: '0' is not a whole number" --batch --samples 0
expect_fail "negative width" 2 "--width: '-3' is not a whole number" --batch -m shallow --width -3
expect_fail "non-numeric dim" 2 "--dim: 'ten' is not a whole number" --batch --dim ten
expect_fail "fractional samples" 2 "--samples: '2.5' is not a whole number" --batch --samples 2.5
expect_fail "eta zero" 2 "--eta: '0' is not a positive finite step size" --batch --eta 0
expect_fail "eta negative" 2 "--eta: '-0.1' is not a positive" --batch --eta -0.1
expect_fail "eta nan" 2 "--eta: 'nan' is not a positive" --batch --eta nan
expect_fail "eta inf" 2 "--eta: 'inf' is not a positive" --batch --eta inf
expect_fail "eta junk" 2 "--eta: '0.1x' is not a positive" --batch --eta 0.1x
expect_fail "eta with a decimal comma" 2 "--eta: '0,1' is not a positive" --batch --eta 0,1
expect_fail "gamma out of range" 2 "--gamma: '2' is not a number in" --batch -m glm --gamma 2
expect_fail "every 0" 2 "--every: '0' is not a whole number from 1" --batch --every 0
expect_fail "bad size" 2 "--size: '80by24' is not COLSxROWS" --snapshot --size 80by24
expect_fail "stray argument" 2 "unexpected argument 'extra'" --batch extra
expect_fail "absurd width" 2 "too large" --batch -m shallow --width 1000000000
expect_fail "width beyond memory" 2 "needs about .* this machine has" --batch -m shallow --width 10000000
expect_fail "absurd samples" 2 "needs about .* this machine has|too large" --batch --samples 1000000000 --dim 1000000000
expect_fail "minibatch larger than n" 2 "--minibatch 50 is larger than the 40 samples" --batch -O sgd --minibatch 50
expect_fail "align labels with n > d" 2 "needs n <= d" --batch --labels align-min --samples 50 --dim 10
expect_fail "labels with data" 2 "the labels come from --data" --batch --data x.csv --labels gaussian
expect_fail "output without batch" 2 "--output: only with --batch" -o out.csv
expect_fail "width on a model without one" 2 "--width: model linear does not use it" --batch -k 5
expect_fail "train-output on du" 2 "--train-output: model du does not use it" --batch -m du --train-output
expect_fail "minibatch with gd" 2 "--minibatch: optimizer gd does not use it" --batch --minibatch 3
expect_fail "adam-eps with momentum" 2 "--adam-eps: optimizer momentum does not use it" --batch -O momentum --adam-eps 1e-6
expect_fail "size that overflows" 2 "--size: '4294967396x30' is not COLSxROWS" --snapshot --size 4294967396x30
expect_fail "hex eta" 2 "--eta: '0x1p-3' is not a positive" --batch --eta 0x1p-3
expect_fail "batch and snapshot together" 2 "--batch and --snapshot: choose one" --batch --snapshot
expect_fail "every without batch" 2 "--every: only with --batch" --snapshot --every 5
expect_fail "size without snapshot" 2 "--size: only with --snapshot" --batch --size 80x24

# --- data and init files: exit 1, file:line ---
printf 'x1,x2,y\n1,2,3\n4,5,6\n' >"$TMP/good.csv"
printf '1,2,3\n4,5\n' >"$TMP/ragged.csv"
printf '1,2,3\n4,abc,6\n' >"$TMP/text.csv"
printf '1,2,3\n4,nan,6\n' >"$TMP/nan.csv"
printf '1,2,3\n4,inf,6\n' >"$TMP/inf.csv"
: >"$TMP/empty.csv"
printf '1\n2\n' >"$TMP/short.init"
expect_fail "missing data file" 1 "nope.csv: No such file or directory" --batch --data "$TMP/nope.csv"
expect_fail "empty data file" 1 "empty.csv: no data rows" --batch --data "$TMP/empty.csv"
expect_fail "ragged data file" 1 "ragged.csv:2: 2 columns, expected 3" --batch --data "$TMP/ragged.csv"
expect_fail "non-numeric data file" 1 "text.csv:2: column 2 is 'abc', not a number" --batch --data "$TMP/text.csv"
expect_fail "NaN in data file" 1 "nan.csv:2: column 2 is 'nan', not a finite number" --batch --data "$TMP/nan.csv"
expect_fail "Inf in data file" 1 "inf.csv:2: column 2 is 'inf', not a finite number" --batch --data "$TMP/inf.csv"
expect_fail "feature count mismatch" 1 "good.csv has 2 feature columns, model linear with --dim 5 expects 5" --batch --data "$TMP/good.csv" --dim 5
expect_fail "init file of the wrong length" 1 "short.init: 2 numbers, but this model has 100 parameters" --batch --init "$TMP/short.init"
printf '0x10,2,3\n' >"$TMP/hex.csv"
printf '1,0,0\n0,1,0\n' >"$TMP/unit.csv"
printf '1e200\n1e200\n' >"$TMP/huge.init"
expect_fail "hex float in data file" 1 "hex.csv:1: column 1 is '0x10', not a number" --batch --data "$TMP/hex.csv"
expect_fail "initial loss overflows" 1 "the initial loss .* is not finite" --batch --data "$TMP/unit.csv" --init "$TMP/huge.init"
expect_fail "unwritable output" 1 "No such file or directory" --batch --steps 1 -o "$TMP/no/such/dir/out.csv"

# --- the CSV contract ---
run_gdpath --batch --steps 10 --every 5 --seed 4
check "batch exits 0" test "$status" -eq 0
hdr=$(grep -v '^#' "$TMP/out" | head -1)
check "header columns" test "$hdr" = "step,loss,residual,nresidual,distance,ndistance,path,eta,alpha,beta,alpha_path,beta_path,distance.theta,ndistance.theta,path.theta,zeta,lambda,checked,outside,proj_u,proj_v"
check "metadata first" sh -c 'head -1 "$1" | grep -q "^# gdpath " && grep -q "^# seed: 4$" "$1" && grep -q "^# r0: " "$1" && grep -q "^# alpha0: " "$1" && grep -q "^# star_distance: " "$1"' _ "$TMP/out"
check "rows at 0, 5, 10" test "$(grep -v '^#' "$TMP/out" | tail -n +2 | cut -d, -f1 | tr '\n' ' ')" = "0 5 10 "
check "every row has the header's column count" sh -c 'grep -v "^#" "$1" | awk -F, "NR==1{n=NF} NF!=n{exit 1}"' _ "$TMP/out"
check "alpha filled at step 0" sh -c 'grep -v "^#" "$1" | sed -n 2p | cut -d, -f9 | grep -Eq "^[0-9.e+-]+$"' _ "$TMP/out"
# parameter-space columns: step 0 at the origin; without θ* the plane's u points at the
# last iterate, so there proj_u is the distance and proj_v 0; with θ* (linear) the
# projection cannot be farther from θ0 than the iterate
col() { grep -v '^#' "$1" | awk -F, -v name="$2" -v row="$3" 'NR==1{for(i=1;i<=NF;i++) if($i==name) c=i; next} {r[NR]=$c} END{print (row=="last" ? r[NR] : r[row+1])}'; }
check "proj columns at step 0 are 0,0" test "$(col "$TMP/out" proj_u 1),$(col "$TMP/out" proj_v 1)" = "0,0"
check "linear: |proj| <= distance on the last row" awk -v u="$(col "$TMP/out" proj_u last)" -v v="$(col "$TMP/out" proj_v last)" -v d="$(col "$TMP/out" distance last)" 'BEGIN{exit !(u > 0 && u*u + v*v <= d*d*(1+1e-12))}'
check "plane metadata names theta*" grep -q '^# plane: proj_u along theta\* - theta0' "$TMP/out"
run_gdpath --batch --preset softplus --steps 60 --every 20
check "softplus: proj_u = distance, proj_v = 0 at the last step" awk -v u="$(col "$TMP/out" proj_u last)" -v v="$(col "$TMP/out" proj_v last)" -v d="$(col "$TMP/out" distance last)" 'BEGIN{e=u-d; if(e<0)e=-e; w=v<0?-v:v; exit !(d > 0 && e <= 1e-12*d && w <= 1e-9*d)}'
check "softplus: the path leaves the line in between" awk -v v="$(col "$TMP/out" proj_v 2)" 'BEGIN{exit !(v > 0)}'
run_gdpath --batch --steps 7 --every 3
check "the last step is always written" test "$(grep -v '^#' "$TMP/out" | tail -1 | cut -d, -f1)" = 7
run_gdpath --batch --steps 3 --init zero
check "ndistance empty when theta0 = 0" test "$(grep -v '^#' "$TMP/out" | tail -1 | cut -d, -f6)" = ""

# csv_ok FILE...: each is a finished batch run (a header row, and no divergence line), so
# that comparing two of them compares real output, not two empty files
csv_ok() { for f in "$@"; do grep -q '^step,loss,' "$f" && ! grep -q '^# diverged' "$f" || return 1; done; }
same_csv() { csv_ok "$1" "$2" && cmp -s "$1" "$2"; }

# -o writes the same bytes as stdout
"$GDPATH" --batch --steps 20 --seed 9 >"$TMP/a.csv"
"$GDPATH" --batch --steps 20 --seed 9 -o "$TMP/b.csv"
check "-o FILE equals stdout" same_csv "$TMP/a.csv" "$TMP/b.csv"

# --- determinism: same options and seed, identical bytes; another seed differs ---
for m in linear glm lowrank shallow du mlp; do
	"$GDPATH" --batch -m $m --steps 30 --seed 5 -O sgd --minibatch 3 >"$TMP/d1.csv"
	"$GDPATH" --batch -m $m --steps 30 --seed 5 -O sgd --minibatch 3 >"$TMP/d2.csv"
	check "determinism: $m" same_csv "$TMP/d1.csv" "$TMP/d2.csv"
done
"$GDPATH" --batch --steps 5 --seed 6 >"$TMP/d3.csv"
"$GDPATH" --batch --steps 5 --seed 7 >"$TMP/d4.csv"
check "another seed, other numbers" sh -c '! cmp -s "$1" "$2"' _ "$TMP/d3.csv" "$TMP/d4.csv"
check "... and both runs finished" csv_ok "$TMP/d3.csv" "$TMP/d4.csv"

# --- locale: numbers read and written the same in a decimal-comma locale ---
# Build a German locale if the system has none (glibc's localedef, LOCPATH), and check it
# really uses a decimal comma before comparing.
loc=$(locale -a 2>/dev/null | grep -iE '^de_DE\.utf-?8$' | head -1)
if [ -z "$loc" ] && command -v localedef >/dev/null 2>&1 && [ -d /usr/share/i18n/locales ]; then
	mkdir -p "$TMP/locale"
	localedef -i de_DE -f UTF-8 "$TMP/locale/de_DE.UTF-8" >/dev/null 2>&1 && loc=de_DE.UTF-8 &&
		LOCPATH=$TMP/locale && export LOCPATH
fi
if [ -n "$loc" ] && [ "$(LC_ALL=$loc locale -k decimal_point 2>/dev/null)" = 'decimal_point=","' ]; then
	LC_ALL=$loc "$GDPATH" --batch --steps 5 --eta 0.01 --gamma 0.5 -m glm >"$TMP/l1.csv"
	LC_ALL=C "$GDPATH" --batch --steps 5 --eta 0.01 --gamma 0.5 -m glm >"$TMP/l2.csv"
	check "decimal-comma locale ($loc): same bytes as in C" same_csv "$TMP/l1.csv" "$TMP/l2.csv"
	check "decimal-comma locale: 0.01 read as a number" grep -q '^# eta: 0.01$' "$TMP/l1.csv"
else
	echo "ok $((T + 1)) - decimal-comma locale # SKIP no de_DE locale and no localedef"
	T=$((T + 1))
fi
unset LOCPATH

# --- data round trip: --save-data then --data gives the same run ---
"$GDPATH" --batch --steps 10 -m shallow --seed 3 --save-data "$TMP/s.csv" --save-init "$TMP/s.init" >"$TMP/r1.csv"
"$GDPATH" --batch --steps 10 -m shallow --seed 3 --data "$TMP/s.csv" --init "$TMP/s.init" >"$TMP/r2.csv"
grep -v '^# \(data\|labels\|init\):' "$TMP/r1.csv" >"$TMP/r1b.csv"
grep -v '^# \(data\|labels\|init\):' "$TMP/r2.csv" >"$TMP/r2b.csv"
check "save-data/save-init round trip reproduces the run" same_csv "$TMP/r1b.csv" "$TMP/r2b.csv"

# --- input that is fine: a byte-order mark, a preset's sizes giving way to a data file ---
printf '\357\273\2771,2,3\n4,5,6\n' >"$TMP/bom.csv"
run_gdpath --batch --data "$TMP/bom.csv" --steps 1
check "a UTF-8 byte-order mark is read past" sh -c '[ "$0" -eq 0 ] && grep -q "^# sizes: n=2 d=2$" "$1"' "$status" "$TMP/out"
"$GDPATH" --batch --preset softplus --steps 1 --save-data "$TMP/sp.csv" >/dev/null
run_gdpath --batch --preset fig1-upper --data "$TMP/sp.csv" --steps 2
check "a preset's labels and sizes give way to --data" sh -c '[ "$0" -eq 0 ] && grep -q "^# sizes: n=100 d=20$" "$1"' "$status" "$TMP/out"
"$GDPATH" --batch --seed 0 --steps 3 >"$TMP/s0.csv"
"$GDPATH" --batch --seed 4357 --steps 3 >"$TMP/s4357.csv"
check "seed 0 is a seed of its own (not mt19937's 4357)" sh -c '! cmp -s "$0" "$1"' "$TMP/s0.csv" "$TMP/s4357.csv"

# --- issue 8: a theme that cannot be loaded is a usage error, on the command line or in
# the config file alike (exit 2), and the same in the visualizer and --snapshot ---
expect_fail "--theme nosuch: exit 2" 2 "unknown theme 'nosuch'" --theme nosuch
expect_fail "--snapshot --theme nosuch: exit 2" 2 "unknown theme 'nosuch'" --snapshot --theme nosuch
expect_fail "--batch --theme nosuch: exit 2" 2 "unknown theme 'nosuch'" --batch --theme nosuch
printf 'trajectory = purpleish\n' >"$TMP/bad.theme"
expect_fail "--theme with a malformed file: exit 2, file:line" 2 "bad.theme:1:" --theme "$TMP/bad.theme"
mkdir -p "$TMP/xdgt/gdpath"
printf 'theme = nosuch\n' >"$TMP/xdgt/gdpath/config"
XDG_CONFIG_HOME=$TMP/xdgt expect_fail "theme = nosuch in the config: exit 2" 2 "nosuch" --preset fig1
printf 'theme = %s\n' "$TMP/bad.theme" >"$TMP/xdgt/gdpath/config"
XDG_CONFIG_HOME=$TMP/xdgt expect_fail "a malformed theme file in the config: exit 2" 2 "bad.theme:1:" --preset fig1

# --- issue 8: the step-size rules keep GD stable where they promise to ---
# shallow --train-output at its theory η (Thm 2.2's 1/(2β0²): [OS19b]'s fix v) converges
run_gdpath --batch -m shallow --train-output --steps 300 --every 300
check "shallow --train-output at the theory η: exit 0, the misfit falls" sh -c '[ "$0" -eq 0 ] &&
	grep -v "^#" "$1" | awk -F, "NR == 2 { r0 = \$3 } NR > 2 { r = \$3 } END { exit !(r < r0) }"' "$status" "$TMP/out"
# the mlp preset: η·β̂² stays below 2 along the whole path (β grows 2.6-fold on it)
run_gdpath --batch --preset mlp --steps 4000 --every 4000
check "mlp preset: η·β̂² < 2 along the path" sh -c '[ "$0" -eq 0 ] &&
	grep -v "^#" "$1" | awk -F, "NR > 1 { e = \$8; b = \$12 } END { exit !(e * b * b < 2 && e * b * b > 0) }"' "$status" "$TMP/out"

# --- the user's config file does not reach --batch output ---
mkdir -p "$TMP/xdg/gdpath"
printf 'seed = 5\neta = 0.01\nmodel = du\n' >"$TMP/xdg/gdpath/config"
"$GDPATH" --batch --steps 5 >"$TMP/c1.csv"
XDG_CONFIG_HOME=$TMP/xdg "$GDPATH" --batch --steps 5 >"$TMP/c2.csv"
check "the config file leaves --batch output alone" same_csv "$TMP/c1.csv" "$TMP/c2.csv"

# --- divergence: exit 3, the last row shows it, a # line names the step ---
run_gdpath --batch --eta 50 --steps 5000
check "diverging run exits 3" test "$status" -eq 3
check "divergence message names the step" sh -c 'echo "$0" | grep -Eq "^gdpath: diverged at step [0-9]+"' "$err"
check "divergence: # line in the CSV" grep -Eq '^# diverged at step [0-9]+' "$TMP/out"
check "divergence: last row shows the non-finite loss" sh -c 'grep -v "^#" "$1" | tail -1 | cut -d, -f2 | grep -Eq "^(inf|nan)$"' _ "$TMP/out"

# --- presets run ---
for p in fig1-upper fig1-lower fig1 glm lowrank softplus relu du mlp; do
	run_gdpath --batch --preset $p --steps 3
	check "preset $p runs" test "$status" -eq 0
done
run_gdpath --batch --preset softplus --eta 0.01 --steps 1
check "options after a preset override it" grep -q '^# eta: 0.01$' "$TMP/out"

# --- every optimizer runs on every model ---
for m in linear glm lowrank shallow du mlp; do
	for o in gd sgd momentum nesterov adam flow; do
		run_gdpath --batch -m $m -O $o --steps 3 --eta 0.001
		[ "$status" -eq 0 ] || break 2
	done
done
check "every optimizer runs on every model" test "$status" -eq 0

# --- the step-size range test (--sweep eta) ---
# fig1 is linear: J is constant, so GD is a linear iteration whose top mode is multiplied by
# 1 - eta*beta^2 each step: it cannot diverge below 2/beta^2 and must above it.
run_gdpath --batch --sweep eta --preset fig1
check "sweep eta exits 0" test "$status" -eq 0
check "sweep eta: metadata with beta0, 2/beta0^2 and rows" sh -c 'grep -q "^# beta0: " "$1" && grep -q "^# two_over_beta0_sq: " "$1" && grep -q "^# rows: 25$" "$1" && grep -q "^# sweep: eta" "$1"' _ "$TMP/out"
check "sweep eta: header and 25 rows" sh -c 'grep -v "^#" "$1" | head -1 | grep -qx "eta,eta_beta0_sq,verdict,final_misfit,diverged_step" && [ "$(grep -vc "^#" "$1")" -eq 26 ]' _ "$TMP/out"
check "sweep eta: increasing eta, 2/beta0^2 x 1/64 .. 4" sh -c 'grep -v "^#" "$1" | tail -n +2 | awk -F, "NR==1{if (\$2<0.03124||\$2>0.03126) exit 1} NR>1&&\$1<=p{exit 1} {p=\$1; last=\$2} END{exit !(last>7.99&&last<8.01)}"' _ "$TMP/out"
check "linear: no divergence below 2/beta^2, divergence above it, with its step" sh -c 'grep -v "^#" "$1" | tail -n +2 | awk -F, "(\$2<1.99&&\$3==\"diverged\")||(\$2>2.01&&(\$3!=\"diverged\"||\$5<1)){bad=1} END{exit bad}"' _ "$TMP/out"
check "linear: the theory step converges in 200 steps" sh -c 'grep -v "^#" "$1" | tail -n +2 | awk -F, "\$2>0.99&&\$2<1.01&&\$3==\"converged\"{f=1} END{exit !f}"' _ "$TMP/out"
check "sweep eta: largest stable eta on stderr" grep -q '^gdpath: largest stable eta found: ' "$TMP/err"
cp "$TMP/out" "$TMP/eta.all"
run_gdpath --batch --sweep eta --preset softplus --jobs 1
cp "$TMP/out" "$TMP/eta.j1"
run_gdpath --batch --sweep eta --preset softplus --jobs 2
check "sweep eta: --jobs 1 and --jobs 2 write the same bytes" cmp -s "$TMP/eta.j1" "$TMP/out"
for i in 1 2 3; do
	run_gdpath --batch --sweep eta --preset fig1 --shard $i/3
	cp "$TMP/out" "$TMP/eta.s$i"
done
check "sweep eta: three shards hold the whole run's rows" sh -c 'a=$1; shift; for f in "$@"; do grep -v "^#" "$f" | tail -n +2; done | sort >"$a.u"; grep -v "^#" "$a" | tail -n +2 | sort | cmp -s - "$a.u"' _ "$TMP/eta.all" "$TMP/eta.s1" "$TMP/eta.s2" "$TMP/eta.s3"
check "sweep eta: a shard says so" grep -q '^# shard: 2/3$' "$TMP/eta.s2"
"$GDPATH" --merge "$TMP/eta.s3" "$TMP/eta.s1" "$TMP/eta.s2" >"$TMP/eta.m" 2>"$TMP/err"
check "sweep eta: --merge of the shards is the whole run, byte for byte" cmp -s "$TMP/eta.m" "$TMP/eta.all"
run_gdpath --batch --sweep eta --preset fig1 --eta-range 0.1:0.5 --eta-count 3 --steps 50
check "sweep eta: --eta-range, --eta-count, --steps" sh -c 'grep -q "^# steps: 50$" "$1" && grep -v "^#" "$1" | tail -n +2 | cut -d, -f1 | tr "\n" " " | awk "{m=\$2-sqrt(0.05); if(m<0)m=-m; exit !(NF==3&&\$1==0.1&&\$3==0.5&&m<1e-12)}"' _ "$TMP/out"
expect_fail "sweep: unknown name" 2 "--sweep: unknown sweep 'nosuch'" --batch --sweep nosuch
expect_fail "sweep: needs --batch" 2 "--sweep: only with --batch" --sweep eta
expect_fail "sweep eta: --every" 2 "--every: --sweep eta writes one row per step size" --batch --sweep eta --every 2
expect_fail "sweep eta: bad range" 2 "--eta-range: 'x:1' is not LO:HI" --batch --sweep eta --eta-range x:1
expect_fail "sweep eta: reversed range" 2 "--eta-range: '2:1' is not LO:HI" --batch --sweep eta --eta-range 2:1
expect_fail "sweep eta: one step size" 2 "--eta-count: '1' is not a whole number from 2 to 10000" --batch --sweep eta --eta-count 1
expect_fail "sweep eta: gradient flow" 2 "--optimizer flow: gradient flow has no step size" --batch --sweep eta -O flow
expect_fail "--jobs without a sweep" 2 "--jobs: only with --sweep" --batch --jobs 2
expect_fail "--shard 3/2" 2 "shard" --batch --sweep eta --shard 3/2
run_gdpath --list sweeps
check "--list sweeps names eta" sh -c 'printf "%s\n" "$0" | grep -q "^eta "' "$out"
# --- verdicts under the theorems' own conditions (issue 7) ---
# csv_col FILE NAME ROW: field NAME of the last data row
csv_last() { grep -v '^#' "$1" | awk -F, -v want="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==want) c=i; next} {v=$c} END{print v}'; }
run_gdpath --batch -m linear --labels align-max --init zero --eta 0.76 --steps 400 --every 400
check "eta*beta^2 above lambda (Thm 9.3): no step checked" test "$(csv_last "$TMP/out" checked)" = 0
check "outside is empty where no step was checked" test "$(csv_last "$TMP/out" outside)" = ""
run_gdpath --batch -m linear --labels align-max --init zero --steps 400 --every 400
check "at the theory step every step is checked, none outside" test "$(csv_last "$TMP/out" checked),$(csv_last "$TMP/out" outside)" = "401,0"
run_gdpath --batch -m linear -O adam --eta 0.01 --steps 10
check "no theorem for adam: checked and outside empty" test "$(csv_last "$TMP/out" checked),$(csv_last "$TMP/out" outside)" = ","
# The du verdict does not depend on how often the spectrum is measured.
verdicts=""
for every in 1 10 100 0; do
	run_gdpath --snapshot --preset du --steps 300 --size 120x40 --spectrum-every $every
	verdicts="$verdicts$(tail -1 "$TMP/out" | cut -d'│' -f1)|"
	run_gdpath --batch --preset du --steps 300 --every 300 --spectrum-every $every
	verdicts="$verdicts$(csv_last "$TMP/out" checked)/"
done
check "du: same verdict at spectrum cadences 1, 10, 100 and automatic" sh -c '
	first=${1%%/*}; rest=$1
	while [ -n "$rest" ]; do v=${rest%%/*}; rest=${rest#*/}; [ "$v" = "$first" ] || exit 1; done' _ "$verdicts"
run_gdpath --snapshot -O adam --eta 0.01 --steps 100 --size 120x40
check "adam: no (2.12) line, no zeta line, no envelope, and says why" sh -c '
	! grep -q "(2.12)\|(9.3) Thm 9.3\|(2.3) Thm\|(9.2) Thm" "$1" && grep -q "no theorem covers this optimizer" "$1"' _ "$TMP/out"
run_gdpath --snapshot --preset glm --steps 300 --size 120x40
check "glm at Thm 4.1's step shows Thm 4.1's rate" grep -q "Thm 4.1 applies: ‖θ−θ\*‖ ≤ 0\.[0-9]*^τ" "$TMP/out"
run_gdpath --snapshot --steps 100 --size 120x40
check "gd at the theory step names the envelope's source" grep -q "(9.2) Thm 9.3" "$TMP/out"

run_gdpath --batch -m du --labels planted --steps 2
check "--labels planted" sh -c '[ "$0" -eq 0 ] && grep -q "^# labels: planted$" "$1"' "$status" "$TMP/out"
run_gdpath --batch -m linear --labels align-min --steps 1
check "align labels from a random theta0 say they are shifted" grep -q "^# labels: align-min (y shifted by X theta0" "$TMP/out"
run_gdpath --batch -m glm --labels align-max --steps 1
check "align labels on a nonlinear model warn" grep -q "^# labels: align-max (align labels are Thm 2.4's tight examples only for the linear model)" "$TMP/out"

run_gdpath --snapshot -m shallow --steps 20 --size 150x44
check "shallow at the theory step: [OS19b] Thm 2.1's conditions and its rate" sh -c '
	grep -q "\[OS19b\] Thm 2.1: |x_i|=1 ✓  W0 N(0,1) ✓  gd ✓  η̄<=1 ✓ (1)" "$1" && grep -q "if (2.2) holds, w.h.p.: rate 0\.[0-9]*^τ" "$1" && grep -q "c unspecified, not decided" "$1"' _ "$TMP/out"
run_gdpath --snapshot --preset relu --steps 20 --size 150x44
check "relu preset: Thm 2.3 named, its step condition not met" grep -q "\[OS19b\] Thm 2.3: .*η̄<=1 ✗" "$TMP/out"
run_gdpath --snapshot --preset lowrank --steps 20 --size 150x44
check "lowrank's theory step is flagged above 1/beta0^2" grep -q "η_theory·β0²=1.02 > 1: above 1/β0² (Thm 9.3 needs η·β² ≤ λ ≤ 1)" "$TMP/out"
run_gdpath --snapshot -m shallow -a leaky --steps 5 --size 150x44
check "leaky ReLU: says it borrows ReLU's step" grep -q "borrowed" "$TMP/out"

run_gdpath --snapshot --preset du --steps 100 --size 120x40
check "du with gd: [Du18] Thm 4.1's rate drawn and named as not checked" grep -q "\[Du18\] Thm 4.1, not checked" "$TMP/out"
run_gdpath --snapshot --preset du -O flow --eta 0.1 --steps 20 --size 120x40
check "du with flow: [Du18] Thm 3.1's rate drawn and named as not checked" sh -c '
	grep -q "\[Du18\] Thm 3.1, not checked" "$1" && ! grep -q "(2.12)\|(9.3) Thm 9.3" "$1"' _ "$TMP/out"
run_gdpath --snapshot -O sgd --minibatch 1 --eta 0.001 --steps 20 --size 120x40
check "sgd with minibatch 1: Thm 3.1's envelope, in expectation" sh -c '
	grep -q "(3.2) Thm 3.1, in expectation" "$1" && ! grep -q "(2.12)\|(9.3) Thm 9.3" "$1"' _ "$TMP/out"
run_gdpath --list overlays
check "--list overlays" sh -c '[ "$0" -eq 0 ] && grep -q "^zeta-line .*(9.3) Thm 9.3" "$1"' "$status" "$TMP/out"
# --- lenet and IDX data: errors before any training ---
expect_fail "lenet without --eta: no theory step" 2 '^gdpath: model lenet has no theory step size .*give --eta' -m lenet --batch --data "$TMP"
expect_fail "--data DIR without the IDX files names them" 1 "^gdpath: $TMP: no train-images-idx3-ubyte" --batch -m lenet --eta 0.001 --data "$TMP"
mkdir -p "$TMP/idx"
printf 'junk!' >"$TMP/idx/train-images-idx3-ubyte"
printf '\000\000\010\001\000\000\000\003\001\002' >"$TMP/idx/train-labels-idx1-ubyte"
: >"$TMP/idx/t10k-images-idx3-ubyte"
: >"$TMP/idx/t10k-labels-idx1-ubyte"
expect_fail "corrupt IDX: file and byte offset, exit 1" 1 "train-images-idx3-ubyte: byte 0: bad magic 6a 75 6e 6b" --batch -m lenet --eta 0.001 --data "$TMP/idx"
printf '\000\000\010\003\000\000\000\003\000\000\000\034\000\000\000\034' >"$TMP/idx/train-images-idx3-ubyte"
expect_fail "truncated IDX images" 1 "train-images-idx3-ubyte: byte 16: truncated" --batch -m lenet --eta 0.001 --data "$TMP/idx"
expect_fail "--minibatch is for sgd and adam" 2 '^gdpath: --minibatch: optimizer gd does not use it' --batch --minibatch 5
expect_fail "--measure-every takes a number" 2 '^gdpath: --measure-every' --batch --measure-every x

done_testing
