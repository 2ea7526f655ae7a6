# Open findings: reported, not fixed yet (fuzz/README.md, "Findings"). Included by fuzz/CMakeLists.txt.
#
# FZ_OPEN_SKIP   HD_FUZZ_SKIP names applied to every fuzz replay test while the finding is open.
# FZ_OPEN_REPRO  "target:regression-file" pairs that must still FAIL without any skip (ctest label fuzz-open).
#                When a fix lands, its fuzz-open test starts failing: delete its lines here (and
#                its name from FZ_OPEN_SKIP) so that the regular replay enforces the fix from then on.

# (F1, memory and pipe input ending at different offsets after trailing bytes or a length beyond the end,
# and F5, NULL + 0 in generator/emit.c gen_type_record, were fixed after the campaign: plain regressions now.)
# (F2, raw dump bytes in diagnostic messages printed unescaped by the text reporter, and F3/F4, UBSan in
# check_goroutines.c / addrmap.c, were fixed in the tree during the campaign: their files are plain regressions.)

string(REPLACE ";" "," FZ_OPEN_SKIP "${FZ_OPEN_SKIP}")
