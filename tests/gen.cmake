# Generator tests (included from tests/CMakeLists.txt). The cmocka executables test_encode*, test_roundtrip*,
# test_gen*, test_inject* come from the unit/ glob; here they get the generator library, and the
# command-line and corpus tests are added.
#
# Default run: seconds. Long mode (nightly CI): `ctest -C long -L gen` runs the same tests with
# HD_GEN_LONG=1 (many more seeds and layouts), or set HD_GEN_LONG=1 in the environment of a normal run.

foreach(t IN ITEMS test_encode test_roundtrip test_gen test_inject)
  target_link_libraries(${t} PRIVATE hdgenerator)
  target_compile_definitions(${t} PRIVATE HD_CORPUS_DIR="${HD_CORPUS}")
  set_tests_properties(${t} PROPERTIES LABELS "unit;gen")
  add_test(NAME ${t}_long CONFIGURATIONS long COMMAND ${t})
  set_tests_properties(${t}_long PROPERTIES LABELS "gen;long" TIMEOUT 3600
                       ENVIRONMENT "HD_GEN_LONG=1;CMOCKA_MESSAGE_OUTPUT=stdout")
endforeach()

# hdgen's command line, and corpus/generated: every file regenerates byte for byte from the command recorded
# in corpus/generated/MANIFEST and gets the verdict its name promises.
add_test(NAME hdgen_cli
         COMMAND bash ${PROJECT_SOURCE_DIR}/corpus/generated/check.sh cli $<TARGET_FILE:hdgen>
                 $<TARGET_FILE:hdvalidate>)
add_test(NAME hdgen_corpus
         COMMAND bash ${PROJECT_SOURCE_DIR}/corpus/generated/check.sh corpus $<TARGET_FILE:hdgen>
                 $<TARGET_FILE:hdvalidate>)
set_tests_properties(hdgen_cli hdgen_corpus PROPERTIES LABELS "cli;gen")

# The rule table as a contract (tests/unit/test_rules.c): every rule has a defect, a corpus case, a FORMAT.md §5
# invariant and a unit test that fires it alone; the test reads the source tree.
target_link_libraries(test_rules PRIVATE hdgenerator)
target_compile_definitions(test_rules PRIVATE HD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
set_tests_properties(test_rules PROPERTIES LABELS "unit;gen")
