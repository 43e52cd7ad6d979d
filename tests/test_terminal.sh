#!/bin/sh
# test_terminal.sh — issue 9: the terminal is always given back. The real binary in a
# private tmux server: every terminating signal, Ctrl-\, Ctrl-Z/fg, 200 random resizes down
# to 1x1; after each, stty -a shows echo and icanon on, the cursor is visible and the
# alternate screen is left. Also: Esc by its timing, a theme that is /dev/zero or a FIFO
# chosen with t, and q during a stiff gradient flow. Run by both CI passes, so also under
# the ASan+UBSan build. Waits poll for a condition with a deadline.
. "${srcdir:-.}/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 0
fi
case $GDPATH in /*) ;; *) GDPATH=$(pwd)/$GDPATH ;; esac

SOCK=gdpath-term-$$
. "${srcdir:-.}/tests/tmux_lib.sh"
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP

DEADLINE=${TUI_DEADLINE:-30}
ARGS="--preset fig1 --seed 1 --fps 30"

# run.sh TAG ARGS...: gdpath in the foreground (pid in $D/pid), then the tty modes it left
# (stty -a) and its exit status as EXIT<TAG>=N.
cat >"$TMP/run.sh" <<'EOF'
tag=$1
shift
trap ':' INT QUIT
ulimit -c 0
rm -f "$D/pid"
sh -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0"; exec "$G" "$@"' "$D/pid" "$@"
st=$?
stty -a >"$D/stty.$tag" 2>&1
echo "EXIT$tag=$st"
EOF

SCREEN=
NSESS=0
S=
new_session() {
	old=$S
	NSESS=$((NSESS + 1))
	S=s$NSESS
	tm new-session -d -s "$S" -x "$1" -y "$2" -c "$TMP" \
		"env -u NO_COLOR G='$GDPATH' D='$TMP' TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 PS1='$ ' /bin/sh -i" \; \
		set-option -g status off
	[ -z "$old" ] || tm kill-session -t "$old" >/dev/null 2>&1
}
type_line() { keys -l "$1" && keys Enter; }
start() { type_line "sh \"\$D/run.sh\" $*"; }
gd_pid() { cat "$TMP/pid" 2>/dev/null; }
drawn() { has '^ model ' && has 'misfit'; }
# term_ok TAG: echo and icanon on (stty -a after gdpath), cursor visible, normal screen.
modes_ok() { tr ' ;' '\n\n' <"$1" | grep -qx echo && tr ' ;' '\n\n' <"$1" | grep -qx icanon; }
term_ok() {
	modes_ok "$TMP/stty.$1" &&
		[ "$(tm display-message -p -t "$S" '#{cursor_flag}')" = 1 ] &&
		[ "$(tm display-message -p -t "$S" '#{alternate_on}')" = 0 ]
}
why() {
	echo "stty: $(tr ' ;' '\n\n' <"$TMP/stty.$1" 2>/dev/null | grep -xE -- '-?(echo|icanon)' | tr '\n' ' ')" \
		"cursor_flag=$(tm display-message -p -t "$S" '#{cursor_flag}')" \
		"alternate_on=$(tm display-message -p -t "$S" '#{alternate_on}')"
}

# signal numbers (Linux); dash's kill -l does not map names to numbers
signum() {
	case $1 in HUP) echo 1 ;; INT) echo 2 ;; QUIT) echo 3 ;; USR1) echo 10 ;; USR2) echo 12 ;;
	PIPE) echo 13 ;; ALRM) echo 14 ;; TERM) echo 15 ;; *) echo 0 ;; esac
}

# --- every terminating signal: restored, then dead by that signal (128+N) ----------------
TAG=0
for sig in QUIT USR1 USR2 ALRM PIPE TERM INT HUP; do
	TAG=$((TAG + 1))
	name="SIG$sig: terminal restored (echo, icanon, cursor, main screen), exit $((128 + $(signum $sig)))"
	new_session 100 30
	start $TAG $ARGS
	if wait_until drawn && PID=$(gd_pid) && [ -n "$PID" ]; then
		kill -$sig "$PID"
		if wait_for "^EXIT$TAG=" && has "^EXIT$TAG=$((128 + $(signum $sig)))\$" && term_ok $TAG; then
			ok "$name"
		else
			not_ok "$name" "$(why $TAG)" "$(dump)"
		fi
	else
		not_ok "$name" "never drew" "$(dump)"
	fi
done

# Ctrl-\ from the keyboard (ISIG stays on in cbreak mode)
TAG=$((TAG + 1))
new_session 100 30
start $TAG $ARGS
if wait_until drawn; then
	keys 'C-\'
	if wait_for "^EXIT$TAG=" && has "^EXIT$TAG=131\$" && term_ok $TAG; then
		ok "Ctrl-\\ (SIGQUIT): terminal restored, exit 131"
	else
		not_ok "Ctrl-\\ (SIGQUIT): terminal restored, exit 131" "$(why $TAG)" "$(dump)"
	fi
else
	not_ok "Ctrl-\\ (SIGQUIT): terminal restored, exit 131" "never drew" "$(dump)"
fi

# --- Ctrl-Z, fg, then 200 random resizes down to 1x1, then q ------------------------------
state_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1; }
# stop_process PID: SIGSTOP, then wait (with the deadline) until the kernel shows it stopped
stop_process() {
	kill -STOP "$1"
	n=$((DEADLINE * 20))
	while [ "$n" -gt 0 ] && [ "$(state_of "$1")" != T ]; do sleep 0.05; n=$((n - 1)); done
}
stopped() { [ "$(state_of "$PID")" = T ] && lacks '^ model '; }
TAG=$((TAG + 1))
new_session 120 40
start $TAG $ARGS
if wait_until drawn && PID=$(gd_pid) && [ -n "$PID" ]; then
	keys C-z
	if wait_until stopped && [ "$(tm display-message -p -t "$S" '#{cursor_flag}')" = 1 ]; then
		ok "Ctrl-Z: stopped, the shell's screen back with a visible cursor"
	else
		not_ok "Ctrl-Z: stopped, the shell's screen back with a visible cursor" "$(dump)"
	fi
	type_line fg
	wait_until drawn >/dev/null
	# 200 sizes from a fixed seed, 1x1 and 2x1 among them
	awk 'BEGIN { srand(9); for (i = 0; i < 200; i++) {
		if (i % 25 == 0) print "1 1"; else if (i % 25 == 1) print "2 1";
		else print int(1 + rand() * 160), int(1 + rand() * 50) } }' >"$TMP/sizes"
	while read -r x y; do
		tm resize-window -t "$S" -x "$x" -y "$y"
	done <"$TMP/sizes"
	tm resize-window -t "$S" -x 120 -y 40
	if wait_until drawn && kill -0 "$PID" 2>/dev/null; then
		ok "200 random resizes down to 1x1: still running and drawing"
	else
		not_ok "200 random resizes down to 1x1: still running and drawing" "$(dump)"
	fi
	keys q
	if wait_for "^EXIT$TAG=" && has "^EXIT$TAG=0\$" && term_ok $TAG; then
		ok "after Ctrl-Z/fg and the resizes, q exits 0 with the terminal restored"
	else
		not_ok "after Ctrl-Z/fg and the resizes, q exits 0 with the terminal restored" "$(why $TAG)" "$(dump)"
	fi
else
	not_ok "Ctrl-Z: stopped, the shell's screen back with a visible cursor" "never drew" "$(dump)"
	not_ok "200 random resizes down to 1x1: still running and drawing" "never drew"
	not_ok "after Ctrl-Z/fg and the resizes, q exits 0 with the terminal restored" "never drew"
fi

# --- Esc, then q typed while the loop was busy: two keys, not Alt-q -------------------------
# SIGSTOP stands in for a slow rebuild: the keys wait in the tty queue while the loop cannot
# read them; the stop lasts longer than the Alt-key window (0.1 s).
TAG=$((TAG + 1))
new_session 100 30
# --speed 0 and a small step: the loop steps without waiting in poll() and the run is far
# from converged (it would pause itself)
start $TAG --preset fig1 --seed 1 --speed 0 --eta 1e-5
if wait_until drawn && PID=$(gd_pid) && [ -n "$PID" ]; then
	stop_process "$PID"
	keys Escape
	keys q
	sleep 0.3 # the stop must outlast the Alt window: this sets up the condition tested
	kill -CONT "$PID"
	if wait_for "^EXIT$TAG=" && has "^EXIT$TAG=0\$" && term_ok $TAG; then
		ok "Esc then q typed while the loop is busy: Esc, then q quits (not swallowed as Alt-q)"
	else
		not_ok "Esc then q typed while the loop is busy: Esc, then q quits (not swallowed as Alt-q)" "$(dump)"
		kill "$PID" 2>/dev/null
	fi
else
	not_ok "Esc then q typed while the loop is busy" "never drew" "$(dump)"
fi

# The same while paused (the loop waits in poll() when it is stopped)
TAG=$((TAG + 1))
new_session 100 30
start $TAG $ARGS
paused() { printf '%s\n' "$SCREEN" | grep -- '^ model ' | grep -q paused; }
if wait_until drawn && PID=$(gd_pid) && [ -n "$PID" ]; then
	keys Space
	wait_until paused >/dev/null
	stop_process "$PID"
	keys Escape
	keys q
	sleep 0.3 # as above
	kill -CONT "$PID"
	if wait_for "^EXIT$TAG=" && has "^EXIT$TAG=0\$" && term_ok $TAG; then
		ok "Esc then q typed while stopped and paused: Esc, then q quits"
	else
		not_ok "Esc then q typed while stopped and paused: Esc, then q quits" "$(dump)"
		kill "$PID" 2>/dev/null
	fi
else
	not_ok "Esc then q typed while stopped and paused" "never drew" "$(dump)"
fi

# --- Alt-q while paused (Esc and q in one burst): not q ----------------------------------------
TAG=$((TAG + 1))
new_session 100 30
start $TAG $ARGS
if wait_until drawn && PID=$(gd_pid) && [ -n "$PID" ]; then
	keys Space
	wait_until paused >/dev/null
	keys M-q
	keys '?'
	if wait_for 'one step (paused)' && kill -0 "$PID" 2>/dev/null && lacks "^EXIT$TAG="; then
		ok "Alt-q (Esc and q together) while paused is dropped, not taken as q"
	else
		not_ok "Alt-q (Esc and q together) while paused is dropped, not taken as q" "$(dump)"
	fi
	keys q
	keys q
	wait_for "^EXIT$TAG=" >/dev/null
else
	not_ok "Alt-q (Esc and q together) while paused is dropped, not taken as q" "never drew" "$(dump)"
fi

# --- t onto a theme that is /dev/zero or a FIFO: refused, keys still work -----------------
mkdir -p "$TMP/xdg/gdpath/themes"
ln -s /dev/zero "$TMP/xdg/gdpath/themes/aaa-zero.theme"
mkfifo "$TMP/xdg/gdpath/themes/aab-fifo.theme"
TAG=$((TAG + 1))
new_session 120 40
type_line "XDG_CONFIG_HOME=\$D/xdg sh \"\$D/run.sh\" $TAG $ARGS --theme default"
if wait_until drawn; then
	# t cycles through every theme found, these two among them: press it more times than
	# there are themes, then q must still be answered
	i=0
	while [ $i -lt 12 ]; do
		keys t
		i=$((i + 1))
	done
	keys q
	if wait_for "^EXIT$TAG=" && has "^EXIT$TAG=0\$" && term_ok $TAG; then
		ok "t onto themes that are /dev/zero and a FIFO: refused, q still exits 0"
	else
		not_ok "t onto themes that are /dev/zero and a FIFO: refused, q still exits 0" "$(dump)"
		kill "$(gd_pid)" 2>/dev/null
	fi
else
	not_ok "t onto themes that are /dev/zero and a FIFO: refused, q still exits 0" "never drew" "$(dump)"
fi

# --- q during gradient flow at a huge step: answered, the terminal restored ---------------
TAG=$((TAG + 1))
new_session 100 30
start $TAG --model mlp -O flow --eta 1e6 --seed 1
if wait_until drawn; then
	keys q
	if wait_for "^EXIT$TAG=" && has "^EXIT$TAG=0\$" && term_ok $TAG; then
		ok "q during a stiff gradient flow (mlp, eta 1e6): exits 0, terminal restored"
	else
		not_ok "q during a stiff gradient flow (mlp, eta 1e6): exits 0, terminal restored" "$(dump)"
	fi
else
	not_ok "q during a stiff gradient flow (mlp, eta 1e6): exits 0, terminal restored" "never drew" "$(dump)"
fi

# --- quitting after a blow-up: the same exit status as --batch and --snapshot ---------------
TAG=$((TAG + 1))
new_session 100 30
start $TAG --seed 1 -O adam --eta 1e6
if wait_until drawn && wait_for 'blew up at step\|paused'; then
	keys q
	if wait_for "^EXIT$TAG=" && has "^EXIT$TAG=3\$" && term_ok $TAG; then
		ok "the view: q after a blow-up exits 3, like --batch and --snapshot"
	else
		not_ok "the view: q after a blow-up exits 3, like --batch and --snapshot" "$(dump)"
	fi
else
	not_ok "the view: q after a blow-up exits 3, like --batch and --snapshot" "never paused" "$(dump)"
fi

done_testing
