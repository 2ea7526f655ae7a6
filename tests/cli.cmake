# Command-line and real-dump tests (shell scripts, each ending in "N passed, N failed").
add_test(NAME cli COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_cli.sh $<TARGET_FILE:hdvalidate> ${PROJECT_SOURCE_DIR})
add_test(NAME real_dumps COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_real.sh $<TARGET_FILE:hdvalidate> ${HD_CORPUS}/real)
set_tests_properties(cli real_dumps PROPERTIES LABELS cli)
