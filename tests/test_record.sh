#!/bin/sh
# test_record.sh — issue 13 in a real terminal and on the command line: a session recorded in
# tmux (a key, a mark with a caption, a pause) replays to the same screen, byte for byte,
# pausing at the mark; --snapshot --replay prints that screen; the asciicast, played into a
# terminal, draws it too; bad recordings are refused with a clear message; the range-test and
# parameter-space keys draw their panels. Every wait polls the screen against a deadline.
. "${srcdir:-.}/tests/lib.sh"

case $GDPATH in /*) ;; *) GDPATH=$(pwd)/$GDPATH ;; esac
PY=/usr/bin/python3

# --- bad recordings (no terminal needed) -----------------------------------------------
run_gdpath --snapshot --preset fig1 --steps 30 --record "$TMP/s.rec"
check "snapshot --record writes a recording" sh -c '[ "$0" -eq 0 ] && grep -q "^end 30 " "$1" && grep -q "^gdpath-recording 1$" "$1"' "$status" "$TMP/s.rec"
cp "$TMP/out" "$TMP/s.txt"
run_gdpath --snapshot --replay "$TMP/s.rec"
check "snapshot --replay prints the recorded screen" cmp -s "$TMP/out" "$TMP/s.txt"
grep -v '^end ' "$TMP/s.rec" >"$TMP/trunc.rec"
expect_fail "a truncated recording" 1 "trunc.rec: truncated after line [0-9]+: no end line" --snapshot --replay "$TMP/trunc.rec"
head -c 100 "$TMP/s.rec" >"$TMP/cut.rec"
expect_fail "a recording cut mid-line" 1 "cut.rec:[0-9]+: truncated" --snapshot --replay "$TMP/cut.rec"
sed 's/^f 30 /f 31 /' "$TMP/s.rec" >"$TMP/edit.rec"
expect_fail "an edited recording" 1 "edit.rec:[0-9]+: checksum [0-9a-f]+ does not match the contents" --snapshot --replay "$TMP/edit.rec"
printf 'hello\n' >"$TMP/junk.rec"
expect_fail "not a recording" 1 "junk.rec:1: not a gdpath recording" --snapshot --replay "$TMP/junk.rec"
printf 'gdpath-recording 1\n\001\000\002\n' >"$TMP/bin.rec"
expect_fail "binary junk" 1 "bin.rec:2: binary data" --snapshot --replay "$TMP/bin.rec"
: >"$TMP/empty.rec"
expect_fail "an empty file" 1 "empty.rec: empty, or not a gdpath recording" --snapshot --replay "$TMP/empty.rec"
awk 'BEGIN { printf "gdpath-recording 1\n#"; for (i = 0; i < 10000; i++) printf "x"; printf "\n" }' >"$TMP/long.rec"
expect_fail "an overlong line" 1 "long.rec:2: line longer than 4096 bytes" --snapshot --replay "$TMP/long.rec"
expect_fail "a missing recording" 1 "nosuch.rec: No such file or directory" --snapshot --replay "$TMP/nosuch.rec"
if [ -x "$PY" ]; then
	# a well-formed recording (right checksum) from another version, and another build
	reseal() { "$PY" - "$@" <<'PYEOF'
import sys, zlib
src, dst, old, new = sys.argv[1:5]
lines = open(src, 'rb').read().split(b'\n')
body = [l for l in lines[:-1] if not l.startswith(b'end ')]
end = [l for l in lines if l.startswith(b'end ')][0].split(b' ')
body = [l.replace(old.encode(), new.encode()) for l in body]
text = b''.join(l + b'\n' for l in body)
end[3] = b'%08x' % zlib.crc32(text)
open(dst, 'wb').write(text + b' '.join(end) + b'\n')
PYEOF
	}
	reseal "$TMP/s.rec" "$TMP/ver.rec" "version 0.1.0" "version 9.9.9"
	expect_fail "a recording from another version" 1 "recorded by gdpath 9.9.9; this is gdpath .* which would replay something else" --snapshot --replay "$TMP/ver.rec"
	b=$(sed -n 's/^build //p' "$TMP/s.rec")
	reseal "$TMP/s.rec" "$TMP/build.rec" "build $b" "build 00000000"
	expect_fail "a recording from another build" 1 "recorded by another build of gdpath .*build 00000000; this is build $b" --snapshot --replay "$TMP/build.rec"
else
	ok "a recording from another version # SKIP no /usr/bin/python3"
	ok "a recording from another build # SKIP no /usr/bin/python3"
fi
expect_fail "--replay takes no model options" 2 "--model: not with --replay" --replay "$TMP/s.rec" --model glm
expect_fail "--record is not for --batch" 2 "--record: not with --batch" --batch --record "$TMP/x.rec"
run_gdpath --snapshot --preset fig1 --steps 30 --cast "$TMP/s.cast"
check "snapshot --cast writes an asciicast v2 header and one frame" sh -c 'head -1 "$0" | grep -q "^{\"version\": 2, \"width\": 100, \"height\": 30, \"timestamp\": [0-9]*," && [ "$(wc -l <"$0")" -eq 2 ] && sed -n 2p "$0" | grep -q "^\[0.000000, \"o\", \""' "$TMP/s.cast"

if ! command -v tmux >/dev/null 2>&1; then
	for t in "record a session in tmux" "replay pauses at the mark with its caption" \
		"replay ends on the recorded screen, byte for byte" "snapshot --replay prints the same screen" \
		"the cast draws the same screen" "replay on a smaller terminal says so" \
		"E draws the range test" "P shows the parameter space"; do
		ok "$t # SKIP tmux not installed"
	done
	done_testing
fi

SOCK=gdpath-rec-$$
. "${srcdir:-.}/tests/tmux_lib.sh"
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP
DEADLINE=${TUI_DEADLINE:-20}
S=
NS=0
# session COLS ROWS CMD: a fresh detached session running CMD, then its exit status line
session() {
	old=$S
	NS=$((NS + 1))
	S=r$NS
	tm new-session -d -s "$S" -x "$1" -y "$2" -c "$TMP" \
		"env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 sh -c '$3; echo EXIT=\$?; exec sleep 600'" \; \
		set-option -g status off
	[ -z "$old" ] || tm kill-session -t "$old" >/dev/null 2>&1
}
step_of() { printf '%s\n' "$SCREEN" | sed -n 's/^ model .* │ step \([0-9]*\) │.*/\1/p' | tail -1; }
past() { s=$(step_of); [ -n "$s" ] && [ "$s" -ge "$1" ]; }
same_as() { [ "$SCREEN" = "$(cat "$1")" ]; }

# --- record: keys (η, the range test), a mark with a caption, a pause ---------------------
session 100 30 "'$GDPATH' --preset fig1 --record rec.rec --cast rec.cast"
if wait_until past 20; then
	keys +
	wait_for 'η = 0.4' >/dev/null
	keys E # the range test: recorded, it completes before the key returns
	wait_for 'range test (25/25)' >/dev/null
	keys K
	wait_for 'mark 1 caption' >/dev/null
	keys -l 'look here'
	keys Enter
	wait_for 'mark 1: look here' >/dev/null
	keys Space
	wait_for '│ paused │' >/dev/null
	printf '%s\n' "$SCREEN" >"$TMP/A.txt"
	keys q
	if wait_for '^EXIT=0' && grep -q '^m [0-9]* [0-9]* look%20here$' "$TMP/rec.rec" && grep -q '^end ' "$TMP/rec.rec"; then
		ok "record a session in tmux"
	else
		not_ok "record a session in tmux" "$(dump)" "$(grep -v '^f ' "$TMP/rec.rec" 2>/dev/null | head)"
	fi
else
	not_ok "record a session in tmux" "never stepped" "$(dump)"
fi

# --- replay: pauses at the mark, then ends on the recorded screen ------------------------
session 100 30 "'$GDPATH' --replay rec.rec"
if wait_for 'mark 1: look here'; then
	ok "replay pauses at the mark with its caption"
	keys Space
	if wait_until same_as "$TMP/A.txt"; then
		ok "replay ends on the recorded screen, byte for byte"
	else
		not_ok "replay ends on the recorded screen, byte for byte" "$(diff "$TMP/A.txt" - <<EOF2
$SCREEN
EOF2
)"
	fi
	keys q
	wait_for '^EXIT=0' >/dev/null
else
	not_ok "replay pauses at the mark with its caption" "$(dump)"
	not_ok "replay ends on the recorded screen, byte for byte" "never paused at the mark"
fi
LC_ALL=C.UTF-8 "$GDPATH" --snapshot --replay "$TMP/rec.rec" >"$TMP/out" 2>"$TMP/err"
check "snapshot --replay prints the same screen" sh -c 'sed "s/ *$//" "$0" | cmp -s - "$1"' "$TMP/A.txt" "$TMP/out"

# --- the cast, played into a terminal, draws the same screen -----------------------------
if [ -x "$PY" ]; then
	"$PY" - "$TMP/rec.cast" "$TMP/cast.raw" "$TMP/cast.ok" <<'PYEOF'
import json, sys
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
h = json.loads(lines[0])
ev = [json.loads(l) for l in lines[1:]]
good = (h['version'] == 2 and h['width'] == 100 and h['height'] == 30 and 'timestamp' in h
        and all(ev[i][0] <= ev[i + 1][0] for i in range(len(ev) - 1))
        and any(e[1] == 'm' and e[2] == 'look here' for e in ev))
open(sys.argv[2], 'w', encoding='utf-8').write(''.join(e[2] for e in ev if e[1] == 'o'))
open(sys.argv[3], 'w').write('yes' if good else 'no')
PYEOF
	session 100 30 "stty -onlcr; cat cast.raw; sleep 600"
	if [ "$(cat "$TMP/cast.ok" 2>/dev/null)" = yes ] && wait_until same_as "$TMP/A.txt"; then
		ok "the cast draws the same screen"
	else
		not_ok "the cast draws the same screen" "header/events ok: $(cat "$TMP/cast.ok" 2>/dev/null)" "$(dump)"
	fi
else
	ok "the cast draws the same screen # SKIP no /usr/bin/python3"
fi

# --- a smaller terminal: what fits is drawn, and it says so ------------------------------
session 80 24 "'$GDPATH' --replay rec.rec 2>err.txt"
if wait_for 'recorded at 100x30, this terminal is 80x24'; then
	keys q
	if wait_for '^EXIT=0' && grep -q 'recorded on a 100x30 terminal and this one is 80x24' "$TMP/err.txt"; then
		ok "replay on a smaller terminal says so"
	else
		not_ok "replay on a smaller terminal says so" "$(cat "$TMP/err.txt")" "$(dump)"
	fi
else
	not_ok "replay on a smaller terminal says so" "$(dump)"
fi

# --- the range test and the parameter-space panel ----------------------------------------
session 100 30 "'$GDPATH' --preset softplus"
if wait_for 'misfit'; then
	keys E
	if wait_for 'range test (25/25)' && has '2/β0²'; then
		ok "E draws the range test"
	else
		not_ok "E draws the range test" "$(dump)"
	fi
	keys E P
	if wait_for 'parameter space' && has 'θ0'; then
		ok "P shows the parameter space"
	else
		not_ok "P shows the parameter space" "$(dump)"
	fi
	keys q
	wait_for '^EXIT=0' >/dev/null
else
	not_ok "E draws the range test" "$(dump)"
	not_ok "P shows the parameter space" "never drew"
fi

done_testing
