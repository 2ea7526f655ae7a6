# The text form (textform/): the hddump | hdasm round trip over every dump at hand, and both command lines.
add_test(NAME textform_roundtrip
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/textform/roundtrip.sh $<TARGET_FILE:hddump> $<TARGET_FILE:hdasm>
                 $<TARGET_FILE:hdgen> ${PROJECT_SOURCE_DIR})
add_test(NAME textform_cli
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/textform/cli.sh $<TARGET_FILE:hddump> $<TARGET_FILE:hdasm>
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(textform_roundtrip textform_cli PROPERTIES LABELS "cli;textform" TIMEOUT 600)
