#!/bin/sh
# update-snapshots.sh GDPATH README — refresh the screen snapshots in README.md.
# Every block between a line "<!-- snapshot: ARGS -->" and the next "<!-- end -->" is
# replaced by the output of "GDPATH --snapshot ARGS" in a fenced code block.
set -e
gdpath=$1 readme=$2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
skip=0
while IFS= read -r line; do
	case $line in
	"<!-- snapshot: "*" -->")
		printf '%s\n' "$line"
		args=${line#"<!-- snapshot: "}
		args=${args%" -->"}
		printf '```\n'
		# shellcheck disable=SC2086
		LC_ALL=C.UTF-8 XDG_CONFIG_HOME=/nonexistent "$gdpath" --snapshot $args
		printf '```\n'
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
done <"$readme" >"$tmp"
cat "$tmp" >"$readme"
