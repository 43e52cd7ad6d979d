#!/bin/sh
# test_phase_tui.sh — the live phase diagram (presets phase-softplus, phase-relu) in a real
# terminal: a private tmux server at 80×24, polled for conditions with a deadline, never
# slept on. The map fills in until every cell is done, with its legend, the n = kd curve
# and the shown cell; space pauses, t changes the theme, q quits while the pool is busy;
# mono + ASCII reads without colour.
. "${srcdir:-.}/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 0
fi
case $GDPATH in /*) ;; *) GDPATH=$(pwd)/$GDPATH ;; esac
SOCK=gdpath-phase-$$
. "${srcdir:-.}/tests/tmux_lib.sh"
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP
DEADLINE=${TUI_DEADLINE:-60}
SCREEN=
# gdpath is gone when its pane holds no gdpath process (the pane then sleeps)
alive() { tm list-panes -t "$S" -F "#{pane_current_command}" 2>/dev/null | grep -q gdpath; }
gone() { ! alive; }
S=
NS=0
# launch COLS ARGS...: gdpath alone in a fresh COLS×24 session; the old session goes after
# the new one exists (a server left without sessions exits, racing the next start)
launch() {
	cols=$1
	shift
	old=$S
	NS=$((NS + 1))
	S=s$NS
	tm new-session -d -s "$S" -x "$cols" -y 24 \
		"env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME='$TMP/none' '$GDPATH' $*; sleep 600" \; \
		set-option -g status off
	[ -z "$old" ] || tm kill-session -t "$old" >/dev/null 2>&1
}
SMALL="-n 12 --ks 2:6:2 --ds 2,5 --trials 2 --max-steps 3000"

launch 120 --preset phase-softplus $SMALL
if wait_for "success rate: 6/6 cells"; then
	ok "the map fills in to 6/6 cells"
else
	not_ok "the map fills in to 6/6 cells" "$(dump)"
fi
check "legend with the scale, the n = kd curve and the shown cell" has "·0 ░<1/3 ▒<2/3 ▓<1 █1"
check "the curve and the marker are named" sh -c 'printf "%s\n" "$1" | grep -q "│ n = kd" && printf "%s\n" "$1" | grep -q "◆ shown"' _ "$SCREEN"
check "the trial shown is named in the model panel" has "trial [0-9]/2 of k=[0-9]* d=[0-9]*"
check "the d axis is labelled" sh -c 'printf "%s\n" "$1" | grep -Eq "^.* k +2 +5"' _ "$SCREEN"
if wait_for "every cell shown"; then
	# the shown trial is compared with the sweep's run of it when that one is done
	check "the trials shown never disagree with the sweep's own runs" sh -c '! printf "%s\n" "$1" | grep -q "run differs"' _ "$SCREEN"
else
	not_ok "every trial is shown in the end" "$(dump)"
fi

# a big grid: keys while the pool is busy
# many trials, so the pool is still busy when the keys arrive however fast the step
launch 80 --preset phase-relu --trials 60
wait_for "success rate: 0/144 cells" || wait_for "success rate: [0-9]*/144 cells"
tm send-keys -t "$S" ' '
if wait_for "│ paused │"; then ok "space pauses while the sweep runs"; else not_ok "space pauses while the sweep runs" "$(dump)"; fi
tm send-keys -t "$S" t
if wait_for "theme"; then ok "t changes the theme while the sweep runs"; else not_ok "t changes the theme while the sweep runs" "$(dump)"; fi
tm send-keys -t "$S" q
if wait_until gone; then ok "q quits at once with the pool busy"; else not_ok "q quits at once with the pool busy" "$(dump)"; fi

# mono and ASCII at 80×24: the scale by glyphs alone, no colour escapes
launch 80 --preset phase-softplus $SMALL --theme mono --ascii
if wait_for "success rate: 6/6 cells"; then
	ok "ASCII: the map fills in"
else
	not_ok "ASCII: the map fills in" "$(dump)"
fi
check "ASCII legend" has "\.0 :<1/3 +<2/3 #<1 @1"
colours=$(tm capture-pane -t "$S" -p -e | grep -o "$(printf '\033')\[[0-9;:]*m" | sed 's/^.\[//; s/m$//' | tr ';:' '\n\n' | grep -cxE '3[0-8]|4[0-8]|9[0-7]|10[0-7]')
check "mono draws no colour" test "$colours" -eq 0
tm send-keys -t "$S" q
wait_until gone || not_ok "q quits (mono)" "$(dump)"

done_testing
