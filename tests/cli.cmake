# Command-line and real-dump tests (shell scripts, each ending in "N passed, N failed").
add_test(NAME cli COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_cli.sh $<TARGET_FILE:hdvalidate> ${PROJECT_SOURCE_DIR})
add_test(NAME real_dumps COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_real.sh $<TARGET_FILE:hdvalidate> ${HD_CORPUS}/real)
set_tests_properties(cli real_dumps PROPERTIES LABELS cli)

# What a CI job trusts (exit status, reports) under hostile arguments, names and inputs; the CI options.
add_executable(mkhostile cli/mkhostile.c)
target_link_libraries(mkhostile PRIVATE tdump)
add_test(NAME cli_hostile COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_hostile.sh $<TARGET_FILE:hdvalidate>
                                  $<TARGET_FILE:hdgen> $<TARGET_FILE:mkhostile> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_hostile PROPERTIES LABELS cli TIMEOUT 300)
add_test(NAME cli_sarif_schema COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_sarif_schema.sh
                                       $<TARGET_FILE:hdvalidate> $<TARGET_FILE:mkhostile> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_sarif_schema PROPERTIES LABELS cli SKIP_RETURN_CODE 77 TIMEOUT 120)
add_test(NAME man_pages COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_man.sh ${PROJECT_SOURCE_DIR}/man
                                $<TARGET_FILE:hdvalidate> $<TARGET_FILE:hdgen> $<TARGET_FILE:hddump> $<TARGET_FILE:hdasm>)
set_tests_properties(man_pages PROPERTIES LABELS cli)
add_test(NAME cli_context COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_context.sh $<TARGET_FILE:hdvalidate>
                                  $<TARGET_FILE:hdasm> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_context PROPERTIES LABELS cli TIMEOUT 300)
