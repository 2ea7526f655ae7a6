# The text form (textform/): the hddump | hdasm round trip over every dump at hand, both command lines, and
# the examples of docs/textform.md.
add_test(NAME textform_roundtrip
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/textform/roundtrip.sh $<TARGET_FILE:hddump> $<TARGET_FILE:hdasm>
                 $<TARGET_FILE:hdgen> ${PROJECT_SOURCE_DIR})
add_test(NAME textform_cli
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/textform/cli.sh $<TARGET_FILE:hddump> $<TARGET_FILE:hdasm>
                 ${PROJECT_SOURCE_DIR})
add_test(NAME textform_docs
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/textform/docs.sh $<TARGET_FILE:hddump> $<TARGET_FILE:hdasm>
                 ${PROJECT_SOURCE_DIR}/docs/textform.md)
set_tests_properties(textform_roundtrip textform_cli textform_docs PROPERTIES LABELS "cli;textform" TIMEOUT 600)
