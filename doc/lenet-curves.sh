#!/bin/sh
# lenet-curves.sh GDPATH DOCDIR TRIALS STEPS JOBS [SAMPLES...] — [OS19] Fig. 2 reproduced:
# for each n (default 500 5000), `gdpath --batch --trials TRIALS --preset lenet-N` writes
# DOCDIR/lenet-N-band.csv (per layer, mean and sd of the normalized distance at fixed
# normalized misfit), then DOCDIR/lenet.md gets, between "<!-- band: N -->" and
# "<!-- end -->", the band drawn by gdpath itself (--snapshot --band, the per-layer panel)
# and the numbers at misfit 0.2 beside the paper's. Run by `make lenet-curves`; hours at
# the paper's 20 realizations of 1000 steps (see doc/lenet.md for what was run). TRIALS=0
# only redraws the page from the band CSVs already in DOCDIR.
set -e
gdpath=$1 doc=$2 trials=$3 steps=$4 jobs=$5
shift 5
[ $# -gt 0 ] || set -- 500 5000
for n in "$@"; do
	[ "$trials" -gt 0 ] || continue # TRIALS=0: redraw doc/lenet.md from the CSVs there
	echo "lenet-curves: n = $n, $trials trials of $steps steps, --jobs $jobs" >&2
	"$gdpath" --batch --trials "$trials" --preset "lenet-$n" --steps "$steps" --jobs "$jobs" \
		-o "$doc/lenet-$n-band.csv"
done
md=$doc/lenet.md
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
skip=0
while IFS= read -r line; do
	case $line in
	"<!-- band: "*" -->")
		printf '%s\n' "$line"
		n=${line#"<!-- band: "}
		n=${n%" -->"}
		band=$doc/lenet-$n-band.csv
		if [ -f "$band" ]; then
			printf '```\n'
			grep '^# \(trials\|steps\|seeds\|measure_every\):' "$band"
			# the numbers at 0.2 (the paper's FC2 reading), per layer: mean +- sd
			awk -F, '
				$1 == "nresidual" { for (i = 3; i <= NF; i += 2) name[i] = substr($i, 6) }
				$1 == "0.20" { printf "at misfit 0.20 (%s trials reached it):", $2
					for (i = 3; i <= NF; i += 2)
						if ($i == "") printf "  %s -", name[i]
						else if ($(i + 1) == "") printf "  %s %.3f (sd n/a)", name[i], $i
						else printf "  %s %.3f +- %.3f", name[i], $i, $(i + 1)
					printf "\n" }' "$band"
			LC_ALL=C.UTF-8 XDG_CONFIG_HOME=/nonexistent "$gdpath" --snapshot \
				--preset "lenet-$n" --band "$band" --steps 0 --size 100x30
			printf '```\n'
		else
			printf '(no %s: run make lenet-curves)\n' "$band"
		fi
		skip=1
		;;
	"<!-- end -->")
		printf '%s\n' "$line"
		skip=0
		;;
	*)
		[ "$skip" = 1 ] || printf '%s\n' "$line"
		;;
	esac
done <"$md" >"$tmp"
cat "$tmp" >"$md"
