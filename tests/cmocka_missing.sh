#!/bin/sh
# cmocka_missing.sh — stands in for the unit tests when configure found no cmocka, so the
# suite reports them as skipped instead of leaving them out without a word.
echo "1..0 # SKIP cmocka not found by configure: the C unit tests were not built (install libcmocka-dev)"
