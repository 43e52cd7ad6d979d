#!/bin/sh
# test_robust.sh — issue 9: never hang, never lose a file, messages that cannot drive the
# terminal, one exit-status rule. The real binary against hostile input (endless devices,
# FIFOs, binary junk, escape sequences, huge fields) and a flaky machine (/dev/full, a full
# file system, a read-only directory, kill -9 mid-write). A hang is caught by a deadline
# (timeout), never asserted as a duration.
. "${srcdir:-.}/tests/lib.sh"

DL=${ROBUST_DEADLINE:-60} # seconds before a run counts as hung
ESC=$(printf '\033')
CR=$(printf '\r')

# gd ARGS...: the binary with a deadline; sets status, out, err like run_gdpath (124: hung).
gd() {
	timeout -s KILL "$DL" "$GDPATH" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	status=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}
# err_ok WANT PATTERN: exit WANT, stderr matches PATTERN, no raw ESC/CR, short, no sanitizer
err_ok() {
	[ "$status" -eq "$1" ] && grep -qE -- "$2" "$TMP/err" && ! grep -q "$ESC" "$TMP/err" &&
		! grep -q "$CR" "$TMP/err" && [ "$(wc -c <"$TMP/err")" -lt 2000 ] &&
		! grep -qiE 'sanitizer|runtime error' "$TMP/err"
}
report() { # report NAME: ok if the last err_ok (in $?) passed
	if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2" "exit $status" "stderr: $(head -c 300 "$TMP/err")"; fi
}

# --- 1: endless input never hangs; non-regular files are refused -------------------------
gd --snapshot --steps 1 --theme /dev/zero
err_ok 2 "/dev/zero: not a regular file"; report $? "--theme /dev/zero: refused at once, not read for ever"

mkfifo "$TMP/fifo.theme"
gd --snapshot --steps 1 --theme "$TMP/fifo.theme"
err_ok 2 "fifo.theme: not a regular file \(a FIFO"; report $? "--theme on a FIFO: refused, never blocks in open"

mkdir -p "$TMP/xdg/gdpath/themes"
ln -s /dev/zero "$TMP/xdg/gdpath/themes/zero.theme"
mkfifo "$TMP/xdg/gdpath/themes/pipe.theme"
XDG_CONFIG_HOME=$TMP/xdg gd --snapshot --steps 1 --theme zero
err_ok 2 "zero.theme: not a regular file"; report $? "a theme in the search path that is /dev/zero: refused"
XDG_CONFIG_HOME=$TMP/xdg gd --snapshot --steps 1 --theme pipe
err_ok 2 "pipe.theme: not a regular file"; report $? "a theme in the search path that is a FIFO: refused"

# the config file is read by the view only: without a terminal the view then refuses to start
mkdir -p "$TMP/cz/gdpath" "$TMP/cf/gdpath" "$TMP/ct/gdpath"
ln -s /dev/zero "$TMP/cz/gdpath/config"
XDG_CONFIG_HOME=$TMP/cz gd
err_ok 2 "config: not a regular file"; report $? "a config file that is /dev/zero: refused (exit 2)"
mkfifo "$TMP/cf/gdpath/config"
XDG_CONFIG_HOME=$TMP/cf gd
err_ok 2 "config: not a regular file \(a FIFO"; report $? "a config file that is a FIFO: refused, never blocks"
echo "theme = /dev/zero" >"$TMP/ct/gdpath/config"
XDG_CONFIG_HOME=$TMP/ct gd
err_ok 2 "/dev/zero: not a regular file"; report $? "a config file naming /dev/zero as theme: no hang"

head -c 6000000 /dev/zero | tr '\0' 'k' >"$TMP/noeol.theme"
gd --snapshot --steps 1 --theme "$TMP/noeol.theme"
err_ok 2 "noeol.theme:1: line too long"; report $? "a theme that never ends a line: read no further than its bound"

gd --batch --steps 1 --data /dev/zero
err_ok 1 "^gdpath: /dev/zero: not a regular file"; report $? "--data /dev/zero: refused at once"
gd --batch --steps 1 --init /dev/zero
err_ok 1 "^gdpath: /dev/zero: not a regular file"; report $? "--init /dev/zero: refused at once"
mkfifo "$TMP/data.fifo"
gd --batch --steps 1 --data "$TMP/data.fifo"
err_ok 1 "data.fifo: not a regular file \(a FIFO"; report $? "--data on a FIFO: refused, never blocks"
gd --batch --steps 1 --data "$TMP"
err_ok 1 "no train-images-idx3-ubyte"; report $? "--data on a directory without IDX files: refused, names the files"
mkdir "$TMP/idxfifo"
mkfifo "$TMP/idxfifo/train-images-idx3-ubyte"
: >"$TMP/idxfifo/train-labels-idx1-ubyte"
gd --batch -m lenet --eta 0.001 --steps 1 --data "$TMP/idxfifo"
err_ok 1 "train-images-idx3-ubyte: not a regular file \(a FIFO"; report $? "an IDX file that is a FIFO: refused, never blocks"

# --- 5: what errors echo is quoted, shortened, escaped ---------------------------------
printf '1,2\n3,\033]0;pwned\007\033[2J\n' >"$TMP/esc.csv"
gd --batch --steps 1 --data "$TMP/esc.csv"
err_ok 1 "esc.csv:2: column 2 is '.*\\\\e\]0;pwned\\\\x07\\\\e\[2J', not a number"
report $? "escape sequences in a CSV field are escaped in the message"

{ printf '1,'; head -c 10000000 /dev/zero | tr '\0' '7'; printf '\n'; } >"$TMP/huge.csv"
gd --batch --steps 1 --data "$TMP/huge.csv"
err_ok 1 "huge.csv:1: line longer than 1048576 bytes"; report $? "a 10-million-digit field: a short message"
{ printf '1,2\n1,'; head -c 1000 /dev/zero | tr '\0' '7'; printf '\n'; } >"$TMP/long.csv"
gd --batch --steps 1 --data "$TMP/long.csv"
err_ok 1 "long.csv:2: column 2 is '7{40}\.\.\.', not a finite number"; report $? "a 1000-digit field: quoted and shortened"

printf '1,2\r3,4\rx,y,z\r' >"$TMP/cr.csv"
gd --batch --steps 1 --data "$TMP/cr.csv"
err_ok 1 "cr.csv:3: 3 columns, expected 2"; report $? "a CR-only file: CR ends lines, no raw CR in the message"

printf '1,2\n3,4\0junk\n' >"$TMP/nul.csv"
gd --batch --steps 1 --data "$TMP/nul.csv"
err_ok 1 "nul.csv:2: a NUL byte"; report $? "a NUL byte is an error, not a silently cut line"
printf '0.5\n\0\n' >"$TMP/nul.init"
gd --batch --steps 1 --init "$TMP/nul.init"
err_ok 1 "nul.init:2: a NUL byte"; report $? "a NUL byte in --init: an error"
printf '0.5\n\033[31mred\n' >"$TMP/esc.init"
gd --batch --steps 1 --init "$TMP/esc.init"
err_ok 1 "esc.init:2: '\\\\e\[31mred' is not a finite number"; report $? "--init echoes an escaped, quoted line"

gd --batch --eta "$(printf '\033[2J1')"
err_ok 2 "--eta: '\\\\x1B\[2J1'"; report $? "a command-line value with an escape sequence: escaped"

nl=$(printf 'a\nb')
gd --batch --steps 2 --save-data "$TMP/$nl.csv"
gd --batch --steps 1 --data "$TMP/$nl.csv"
if [ "$status" -eq 0 ] && [ "$(grep -c '^# data: ' "$TMP/out")" -eq 1 ] &&
	grep -q '^# data: .*a\\nb\.csv$' "$TMP/out" && ! grep -q '^b\.csv' "$TMP/out"; then
	ok "a file name with a newline is escaped in the CSV metadata"
else
	not_ok "a file name with a newline is escaped in the CSV metadata" "$(grep -A1 '^# data' "$TMP/out")"
fi

# --- 6: one exit-status rule: 3 for a run that diverged or blew up ------------------------
gd --batch --steps 20 -O adam --eta 1e6
if [ "$status" -eq 3 ] && grep -q '^# diverged at step [0-9]*: the loss is over 1000 times' "$TMP/out"; then
	ok "--batch: a loss 1000x the initial exits 3 and says so in the CSV"
else
	not_ok "--batch: a loss 1000x the initial exits 3 and says so in the CSV" "exit $status"
fi
gd --snapshot --steps 20 -O adam --eta 1e6
check "--snapshot: the same blow-up exits 3" test "$status" -eq 3
gd --snapshot --steps 50 --eta 100
check "--snapshot: a diverged run (non-finite loss) exits 3" test "$status" -eq 3
gd --batch --steps 50 --eta 100
check "--batch: a diverged run (non-finite loss) exits 3" test "$status" -eq 3
gd --batch --model lowrank -n 3 -d 3 -r 1 --eta theory --steps 5
check "--batch: the theory step on a small lowrank blows up: exit 3" test "$status" -eq 3
gd --snapshot --model lowrank -n 3 -d 3 -r 1 --eta theory --steps 5
check "--snapshot: the same: exit 3" test "$status" -eq 3
gd --batch --steps 50
check "--batch: a run that converges exits 0" test "$status" -eq 0

# --- 3: one step of gradient flow is bounded work -----------------------------------------
gd --batch --model mlp -O flow --eta 1e6 --steps 3
err_ok 1 "failed at step 1: the ODE integrator needed more than [0-9]+ evaluations"
report $? "flow at eta 1e6 on mlp gives up with a message (bounded work per step)"

# --- 4: files are replaced whole or not at all ----------------------------------------------
gd --batch --steps 3 --data "$TMP/esc.csv" -o "$TMP/esc.csv"
cmp -s "$TMP/esc.csv" - <<EOF
1,2
3,${ESC}]0;pwned$(printf '\007')${ESC}[2J
EOF
c=$?
if [ "$status" -eq 2 ] && [ $c -eq 0 ] && grep -q "is the --data file" "$TMP/err"; then
	ok "--batch --data d.csv -o d.csv: refused (exit 2), the file untouched"
else
	not_ok "--batch --data d.csv -o d.csv: refused (exit 2), the file untouched" "exit $status cmp $c"
fi
gd --batch --steps 1 --save-init "$TMP/t0"
gd --batch --steps 1 --init "$TMP/t0" --save-init "$TMP/t0"
check "--init F --save-init F: refused (exit 2)" test "$status" -eq 2

gd --batch --steps 1000000000000 -o /dev/full
err_ok 1 "/dev/full: No space left on device"; report $? "-o /dev/full: the first failed write ends the run (exit 1)"
timeout -s KILL "$DL" "$GDPATH" --batch --steps 1000000000000 >/dev/full 2>"$TMP/err" </dev/null
status=$?
err_ok 1 "standard output: No space left"; report $? "stdout on /dev/full: the first failed write ends the run"

old="$TMP/old.csv"
printf '# the old file\n1,2,3\n' >"$old"
cp "$old" "$TMP/old.copy"
"$GDPATH" --batch --steps 1000000000000 -o "$old" </dev/null >/dev/null 2>&1 &
pid=$!
n=$((DL * 20))
while [ $n -gt 0 ] && ! ls "$TMP"/.old.csv.gdpath-* >/dev/null 2>&1; do sleep 0.05; n=$((n - 1)); done
# the temporary file has grown: rows are being written
n=$((DL * 20))
while [ $n -gt 0 ] && [ "$(cat "$TMP"/.old.csv.gdpath-* 2>/dev/null | wc -c)" -lt 100000 ]; do sleep 0.05; n=$((n - 1)); done
kill -9 $pid
wait $pid 2>/dev/null
check "kill -9 during --batch -o over an existing file: the old file whole" cmp -s "$old" "$TMP/old.copy"
rm -f "$TMP"/.old.csv.gdpath-*

"$GDPATH" --batch --steps 1000000000000 -o "$old" </dev/null >/dev/null 2>&1 &
pid=$!
n=$((DL * 20))
while [ $n -gt 0 ] && ! ls "$TMP"/.old.csv.gdpath-* >/dev/null 2>&1; do sleep 0.05; n=$((n - 1)); done
kill -TERM $pid
wait $pid
st=$?
if [ $st -eq 143 ] && cmp -s "$old" "$TMP/old.copy" && ! ls "$TMP"/.old.csv.gdpath-* >/dev/null 2>&1; then
	ok "SIGTERM during --batch -o: old file whole, temporary file removed, dies by SIGTERM"
else
	not_ok "SIGTERM during --batch -o: old file whole, temporary file removed, dies by SIGTERM" "exit $st"
fi

gd --batch --steps 30 -o "$old"
if [ "$status" -eq 0 ] && [ "$(grep -c '^[0-9]' "$old")" -eq 31 ] && ! ls "$TMP"/.old.csv.gdpath-* >/dev/null 2>&1; then
	ok "a finished -o run replaces the file with the complete CSV"
else
	not_ok "a finished -o run replaces the file with the complete CSV" "exit $status" "$(tail -2 "$old")"
fi

mkdir "$TMP/real"
printf 'old\n' >"$TMP/real/target.csv"
ln -s real/target.csv "$TMP/link.csv"
gd --batch --steps 3 -o "$TMP/link.csv"
if [ "$status" -eq 0 ] && [ -L "$TMP/link.csv" ] && grep -q '^3,' "$TMP/real/target.csv"; then
	ok "-o through a symbolic link replaces the file it points to and keeps the link"
else
	not_ok "-o through a symbolic link replaces the file it points to and keeps the link" "exit $status"
fi

# A full file system and a read-only directory: a small tmpfs where this test may mount one.
MNT="$TMP/mnt"
mkdir -p "$MNT"
if mount -t tmpfs -o size=256k tmpfs "$MNT" 2>/dev/null; then
	trap 'umount "$MNT" 2>/dev/null; rm -rf "$TMP"' EXIT
	printf 'old content\n' >"$MNT/out.csv"
	gd --batch --steps 100000 -o "$MNT/out.csv"
	if err_ok 1 "out.csv: No space left on device" && [ "$(cat "$MNT/out.csv")" = "old content" ] &&
		! ls "$MNT"/.out.csv.gdpath-* >/dev/null 2>&1; then
		ok "a full file system: exit 1, the old file whole, no temporary file left"
	else
		not_ok "a full file system: exit 1, the old file whole, no temporary file left" "exit $status" "$(head -c 300 "$TMP/err")"
	fi
	gd --batch --steps 100000 --save-data "$MNT/d.csv" -n 20000 -d 100
	check "--save-data on a full file system: exit 1, nothing left" sh -c '[ "$0" -eq 1 ] && [ ! -e "$1/d.csv" ] && ! ls "$1"/.d.csv.gdpath-* >/dev/null 2>&1' "$status" "$MNT"
	rm -f "$MNT"/*
	printf 'old content\n' >"$MNT/out.csv"
	mount -o remount,ro "$MNT"
	gd --batch --steps 10 -o "$MNT/out.csv"
	if err_ok 1 "out.csv: Read-only file system" && [ "$(cat "$MNT/out.csv")" = "old content" ]; then
		ok "a read-only directory: exit 1 with the reason, the old file whole"
	else
		not_ok "a read-only directory: exit 1 with the reason, the old file whole" "exit $status"
	fi
	umount "$MNT"
elif [ "$(id -u)" -ne 0 ]; then
	ok "a full file system # SKIP cannot mount a tmpfs here (not root)"
	ok "--save-data on a full file system # SKIP cannot mount a tmpfs here"
	mkdir "$TMP/ro"
	printf 'old content\n' >"$TMP/ro/out.csv"
	chmod 555 "$TMP/ro"
	gd --batch --steps 10 -o "$TMP/ro/out.csv"
	if err_ok 1 "out.csv: Permission denied" && [ "$(cat "$TMP/ro/out.csv")" = "old content" ]; then
		ok "a read-only directory: exit 1 with the reason, the old file whole"
	else
		not_ok "a read-only directory: exit 1 with the reason, the old file whole" "exit $status"
	fi
	chmod 755 "$TMP/ro"
else
	ok "a full file system # SKIP mount -t tmpfs is not permitted here"
	ok "--save-data on a full file system # SKIP mount -t tmpfs is not permitted here"
	ok "a read-only directory # SKIP root ignores permissions and cannot mount here"
fi

done_testing
