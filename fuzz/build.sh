#!/bin/sh
# build.sh — build the libFuzzer targets (make fuzz): the library sources compiled again
# with clang, -fsanitize=fuzzer-no-link,address,undefined, into fuzz/obj, then one binary
# per target in fuzz/. Usage: build.sh CLANG SRCDIR BUILDDIR "CFLAGS" "LIBS"
set -e
CLANG=$1 SRC=$2 BUILD=$3 PKGCFLAGS=$4 LIBS=$5
if [ -z "$CLANG" ] || ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "make fuzz: clang not found (apt-get install clang libclang-rt-dev)" >&2
	exit 1
fi
OUT=$BUILD/fuzz
OBJ=$OUT/obj
mkdir -p "$OBJ"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-g -O1 -std=c11 -D_GNU_SOURCE $SAN -I$BUILD -I$SRC/include -I$SRC/fuzz $PKGCFLAGS"

# Is libFuzzer there? (clang without libclang-rt-dev links nothing)
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$OBJ/probe.c"
if ! "$CLANG" -fsanitize=fuzzer "$OBJ/probe.c" -o "$OBJ/probe" 2>"$OBJ/probe.log"; then
	echo "make fuzz: $CLANG cannot link with -fsanitize=fuzzer (apt-get install libclang-rt-dev)" >&2
	cat "$OBJ/probe.log" >&2
	exit 1
fi

# The newest header: any change to one rebuilds everything (simple and safe).
newest=$(ls -t "$SRC"/include/gdpath/*.h "$BUILD/config.h" | head -1)
objs=
for c in "$SRC"/src/*.c; do
	b=$(basename "$c" .c)
	[ "$b" = main ] && continue
	o=$OBJ/$b.o
	objs="$objs $o"
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ "$newest" -nt "$o" ]; then
		echo "$c $o"
	fi
done | while read -r c o; do
	echo "  CC(fuzz) $(basename "$c")"
	$CLANG $CFLAGS -fsanitize=fuzzer-no-link -c "$c" -o "$o"
done
objs=$(for c in "$SRC"/src/*.c; do b=$(basename "$c" .c); [ "$b" = main ] || echo "$OBJ/$b.o"; done)
rm -f "$OBJ/libgdpath-fuzz.a"
ar cr "$OBJ/libgdpath-fuzz.a" $objs
for t in theme config data init cli keys; do
	echo "  LINK(fuzz) fuzz_$t"
	$CLANG $CFLAGS -fsanitize=fuzzer "$SRC/fuzz/fuzz_$t.c" "$OBJ/libgdpath-fuzz.a" $LIBS \
		-o "$OUT/fuzz_$t"
done
