# phase-map.awk — an ASCII heat map of a `gdpath --batch --sweep phase` CSV, as the live
# panel draws it: k grows upward, d to the right; levels of the success rate 0, <1/3,
# <2/3, <1, 1 as . : + # @ ; '|' marks the n = kd curve (left of it kd < n).
# usage: awk -F, -f doc/phase-map.awk sweep.csv
/^# n: / { n = $0; sub(/^# n: /, "", n); n += 0; next }
/^#/ || $1 == "k" { next }
{
	k = $1 + 0; d = $2 + 0
	if (!(k in kseen)) { kseen[k] = 1; ks[++nk] = k }
	if (!(d in dseen)) { dseen[d] = 1; ds[++nd] = d }
	rate[k, d] = $7 + 0
}
function glyph(r) {
	if (r <= 0) return "."
	if (r >= 1) return "@"
	return r < 1 / 3 ? ":" : r < 2 / 3 ? "+" : "#"
}
END {
	for (i = nk; i >= 1; i--) {
		k = ks[i]
		line = sprintf("%4d ", k)
		for (j = 1; j <= nd; j++) {
			d = ds[j]
			sep = " "
			if (k * d < n && (j == nd || k * ds[j + 1] >= n) && j < nd) sep = "|"
			if (j == 1 && k * d >= n) line = substr(line, 1, length(line) - 1) "|"
			line = line glyph(rate[k, d]) sep
		}
		print line
	}
	axis = ""
	for (j = 1; j <= nd; j++) {
		lab = ds[j] ""
		pos = 5 + 2 * (j - 1)
		if (pos >= length(axis) + 1 || length(axis) == 0) {
			while (length(axis) < pos) axis = axis " "
			axis = axis lab
		}
	}
	print "  k" substr(axis, 4)
	print "     d ->   . 0   : <1/3   + <2/3   # <1   @ 1   | n = kd"
}
