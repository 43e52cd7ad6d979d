# lib.sh — TAP helpers for the script tests (sourced). Each check prints one
# "ok N - name" or "not ok N - name"; done_testing prints the plan.
: "${GDPATH:=src/gdpath}"
: "${srcdir:=.}"
T=0
FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gdpath-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() { T=$((T + 1)); echo "ok $T - $1"; }
not_ok() { T=$((T + 1)); FAILED=$((FAILED + 1)); echo "not ok $T - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# check NAME COMMAND... : passes when COMMAND succeeds
check() {
	name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# run_gdpath ARGS... : runs the binary, sets $status, $out (stdout) and $err (stderr)
run_gdpath() {
	"$GDPATH" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	status=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# expect_fail NAME STATUS PATTERN ARGS... : exits with STATUS, one stderr line matching PATTERN
expect_fail() {
	name=$1 want=$2 pat=$3; shift 3
	run_gdpath "$@"
	if [ "$status" -eq "$want" ] && printf '%s\n' "$err" | head -1 | grep -qE -- "$pat" &&
		[ ! -s "$TMP/out" ] && ! grep -qiE 'sanitizer|segmentation|core dumped' "$TMP/err"; then
		ok "$name"
	else
		not_ok "$name" "exit $status (want $want)" "stderr: $(head -3 "$TMP/err")" "stdout: $(head -c 200 "$TMP/out")"
	fi
}

done_testing() { echo "1..$T"; exit 0; }
