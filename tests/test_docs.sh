#!/bin/sh
# test_docs.sh — the manual pages cannot drift from the program: both render without a
# warning, and every long option, key, model, optimizer, activation, preset, shipped
# theme and theme role the program knows is documented. The lists come from the
# program (--list, --help) or from the tables in its sources, never from this file.
. "${srcdir:-.}/tests/lib.sh"

man1=$srcdir/man/gdpath.1
man5=$srcdir/man/gdpath-themes.5

# norm FILE: the roff source with continuation lines joined and the escapes that can
# appear in names undone (\- \& \fX \(aq \e), so "\-\-model" reads "--model".
norm() {
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' \
	    -e 's/\\-/-/g; s/\\&//g; s/\\f[BIRP]//g' -e "s/\\\\(aq/'/g" -e 's/\\e/\\/g' \
	    -e 's/\\(<-/←/g; s/\\(->/→/g' "$1"
}

# tags FILE SECTION: the words of the tag lines (the line after .TP) in that .SH section,
# one a line, without quotes and trailing commas: ".BR s \", \" ." gives "s" and ".".
tags() {
	norm "$1" | awk -v want="$2" '
		/^\.SH/ { s = $0; sub(/^\.SH[ \t]*/, "", s); gsub(/"/, "", s); in_sec = (s == want); prev = ""; next }
		in_sec && prev ~ /^\.TP/ {
			line = $0; sub(/^\.[A-Za-z]+[ \t]*/, "", line); gsub(/"/, " ", line)
			n = split(line, w, /[ \t]+/)
			for (i = 1; i <= n; i++) { x = w[i]; sub(/,$/, "", x); if (x != "") print x }
		}
		{ prev = $0 }'
}

# missing LIST WORDS: the lines of LIST that are not lines of WORDS (exact match).
missing() {
	printf '%s\n' "$1" | while IFS= read -r want; do
		[ -z "$want" ] && continue
		printf '%s\n' "$2" | grep -Fxq -- "$want" || printf '%s\n' "$want"
	done
}

# expect_none NAME MISSING [WHAT]: ok when MISSING is empty, else not ok listing it.
expect_none() {
	if [ -z "$2" ]; then ok "$1"; else not_ok "$1" "not documented: $(printf '%s' "$2" | tr '\n' ' ')"; fi
}

have() { command -v "$1" >/dev/null 2>&1; }

# --- (a) the pages render without warnings ---
for page in "$man1" "$man5"; do
	name=${page##*/}
	if have groff; then
		# The default device (PostScript: `man -t`) and the terminal's (utf8).
		for dev in ps utf8; do
			msg=$(groff -man -ww -z -T$dev "$page" 2>&1)
			if [ -z "$msg" ]; then ok "groff -man -ww -z -T$dev $name is silent"
			else not_ok "groff -man -ww -z -T$dev $name is silent" "$msg"; fi
		done
	else
		ok "groff -man -ww -z $name # SKIP groff is not installed"
	fi
	if have mandoc; then
		# -Tlint reports STYLE messages too (long lines, odd macros); the pages are written
		# to have none at all, so nothing is accepted.
		msg=$(mandoc -man -Tlint "$page" 2>&1)
		if [ -z "$msg" ]; then ok "mandoc -Tlint $name is silent"
		else not_ok "mandoc -Tlint $name is silent" "$msg"; fi
	else
		ok "mandoc -Tlint $name # SKIP mandoc is not installed"
	fi
done

# --- (b) every long option is in gdpath.1's OPTIONS and in --help ---
# A hidden `gdpath --list options` (one name a line, with or without "--") is used when
# the program has one; otherwise the longopts table of src/cli.c is read.
if "$GDPATH" --list options >"$TMP/opts" 2>/dev/null && [ -s "$TMP/opts" ]; then
	opts=$(sed -e 's/^--//' -e 's/[ \t].*//' "$TMP/opts")
	from="gdpath --list options"
else
	opts=$(sed -n '/longopts\[\] = {/,/^};/p' "$srcdir/src/cli.c" |
		sed -n 's/^[[:space:]]*{"\([A-Za-z0-9-]*\)",.*/\1/p')
	from="src/cli.c longopts"
fi
count=$(printf '%s\n' "$opts" | grep -c .)
check "found the long options ($count, from $from)" test "$count" -ge 20
optwords=$(tags "$man1" OPTIONS)
expect_none "every long option has an entry in gdpath.1 OPTIONS" \
	"$(missing "$(printf '%s\n' "$opts" | sed 's/^/--/')" "$optwords")"
run_gdpath --help
helpwords=$(printf '%s\n' "$out" | tr ' ,=[' '\n\n\n\n' | sed 's/\].*//' | grep -- '^--')
expect_none "every long option is in --help" \
	"$(missing "$(printf '%s\n' "$opts" | sed 's/^/--/')" "$helpwords")"

# --- (c) every key of src/keymap.c's table is in KEYS, with its help text ---
keymap=$srcdir/src/keymap.c
keys=$(sed -n '/bindings\[\] = {/,/^};/p' "$keymap" |
	sed -n 's/^[[:space:]]*{.*, "\(.*\)", ACTION_[A-Z_]*},.*/\1/p')
count=$(printf '%s\n' "$keys" | grep -c .)
check "found the key bindings ($count, from src/keymap.c)" test "$count" -ge 20
expect_none "every key has an entry in gdpath.1 KEYS" "$(missing "$keys" "$(tags "$man1" KEYS)")"

# The help texts, as the rendered page shows them (one long line per paragraph; the
# hyphen, minus and apostrophe glyphs folded to ASCII).
helps=$(sed -n 's/^[[:space:]]*\[ACTION_[A-Z_]*\] = "\(..*\)",$/\1/p' "$keymap")
rendered=
if have groff; then
	rendered=$(groff -man -Tutf8 -rLL=400n -P-cbou "$man1" 2>/dev/null)
elif have mandoc; then
	rendered=$(mandoc -man -Tutf8 -Owidth=400 "$man1" 2>/dev/null | sed 's/.\x08//g')
fi
if [ -n "$rendered" ]; then
	keys_text=$(printf '%s\n' "$rendered" | sed -n '/^KEYS/,/^MODELS/p' |
		sed -e 's/\xe2\x80\x90/-/g; s/\xe2\x88\x92/-/g; s/\xe2\x80\x99/'"'"'/g' -e 's/[[:space:]][[:space:]]*/ /g')
	miss=$(printf '%s\n' "$helps" | while IFS= read -r h; do
		printf '%s\n' "$keys_text" | grep -Fq -- "$h" || printf '%s\n' "$h"
	done)
	expect_none "every key's help text is in gdpath.1 KEYS" "$miss"
else
	ok "every key's help text is in gdpath.1 KEYS # SKIP neither groff nor mandoc"
fi

# --- (d) models, optimizers, activations, presets, themes ---
for what in models:MODELS optimizers:OPTIMIZERS presets:PRESETS; do
	list=${what%%:*} sec=${what#*:}
	run_gdpath --list "$list"
	names=$(printf '%s\n' "$out" | awk '{ print $1 }')
	if [ "$status" -ne 0 ] || [ -z "$names" ]; then
		not_ok "gdpath --list $list" "exit $status" "$err"
		continue
	fi
	expect_none "every name of --list $list has an entry in gdpath.1 $sec" \
		"$(missing "$names" "$(tags "$man1" "$sec")")"
done
# the overlays: the man page lists exactly what the plots draw (src/theory.c's table)
run_gdpath --list overlays
ovs=$(printf '%s\n' "$out" | awk '{ print $1 }')
if [ "$status" -ne 0 ] || [ -z "$ovs" ]; then
	not_ok "gdpath --list overlays" "exit $status" "$err"
else
	expect_none "every overlay drawn has an entry in gdpath.1 OVERLAYS" \
		"$(missing "$ovs" "$(tags "$man1" OVERLAYS)")"
	expect_none "every entry of gdpath.1 OVERLAYS is an overlay that is drawn" \
		"$(missing "$(tags "$man1" OVERLAYS)" "$ovs")"
fi
run_gdpath --list activations
boldwords=$(norm "$man1" | sed -n 's/^\.BR\{0,1\} \([^ ]*\).*/\1/p')
expect_none "every activation is named in gdpath.1" "$(missing "$out" "$boldwords")"
shipped=$(for f in "$srcdir"/themes/*.theme; do b=${f##*/}; printf '%s\n' "${b%.theme}"; done)
expect_none "every shipped theme is named in gdpath.1" "$(missing "$shipped" "$boldwords")"
expect_none "every shipped theme has an entry in gdpath-themes.5" \
	"$(missing "$shipped" "$(tags "$man5" "SHIPPED THEMES")")"

# --- (e) every role of src/theme.c's table is in gdpath-themes.5 ROLES ---
roles=$(sed -n '/role_names\[\] = {/,/^};/p' "$srcdir/src/theme.c" | grep -o '"[a-z0-9_]*"' | tr -d '"')
count=$(printf '%s\n' "$roles" | grep -c .)
check "found the theme roles ($count, from src/theme.c)" test "$count" -ge 16
expect_none "every role has an entry in gdpath-themes.5 ROLES" \
	"$(missing "$roles" "$(tags "$man5" ROLES)")"

done_testing
