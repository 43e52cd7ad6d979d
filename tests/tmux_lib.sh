# tmux_lib.sh — the screen tests' view of a private tmux server (sourced after lib.sh). The
# caller sets SOCK (the server's socket name), S (the session) and DEADLINE (seconds any
# one wait may take); every wait polls the captured screen with that deadline, never a
# sleep hoping for timing.
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
SCREEN=
snap() { SCREEN=$(tm capture-pane -t "$S" -p 2>/dev/null); }
has() { printf '%s\n' "$SCREEN" | grep -q -- "$1"; }
lacks() { ! has "$1"; }
# wait_until CMD...: poll the screen until CMD (run after each capture) succeeds.
wait_until() {
	n=$((DEADLINE * 20))
	while [ "$n" -gt 0 ]; do
		snap
		if "$@"; then return 0; fi
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}
wait_for() { wait_until has "$1"; }
wait_gone() { wait_until lacks "$1"; }
keys() { tm send-keys -t "$S" "$@"; }
# the last screen, indented, for a failure's diagnostics
dump() { printf '%s\n' "$SCREEN" | sed 's/^/  | /' | head -"${DUMP_LINES:-60}"; }
