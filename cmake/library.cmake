# The installed library and everything `cmake --install` puts in a prefix (docs/api.md).
#
#   P/bin/hdvalidate, hdgen, …         the command-line tools (statically linked with the project's libraries)
#   P/lib/libhdvalidate.a, .so.0       the codec and the validator; the shared one exports only HD_API symbols
#   P/include/hd/*.h, *.def            the public headers (hd/hdvalidate.h includes them all)
#   P/lib/pkgconfig/hdvalidate.pc      pkg-config
#   P/lib/cmake/hdvalidate/            find_package(hdvalidate): imported targets hdvalidate::hdvalidate (shared)
#                                      and hdvalidate::hdvalidate_static
#   P/share/man/man1/*.1               the man pages
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The sources of the codec and the validator, as their targets list them (one list, no second copy).
set(hd_lib_sources "")
foreach(lib hdcodec hdvalidator)
  get_target_property(srcdir ${lib} SOURCE_DIR)
  get_target_property(srcs ${lib} SOURCES)
  foreach(s ${srcs})
    list(APPEND hd_lib_sources ${srcdir}/${s})
  endforeach()
endforeach()
get_target_property(hd_codec_defs hdcodec COMPILE_DEFINITIONS)
get_target_property(hd_codec_links hdcodec INTERFACE_LINK_LIBRARIES)

foreach(kind SHARED STATIC)
  if(kind STREQUAL SHARED)
    set(t hdvalidate_shared)
  else()
    set(t hdvalidate_static)
  endif()
  add_library(${t} ${kind} ${hd_lib_sources})
  set_target_properties(${t} PROPERTIES OUTPUT_NAME hdvalidate C_VISIBILITY_PRESET hidden
                        POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${t} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                             $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
                             PRIVATE ${PROJECT_SOURCE_DIR}/codec ${PROJECT_SOURCE_DIR}/validator)
  if(hd_codec_defs)
    target_compile_definitions(${t} PRIVATE ${hd_codec_defs})
  endif()
  if(hd_codec_links)
    target_link_libraries(${t} PRIVATE ${hd_codec_links})
  endif()
  target_link_libraries(${t} PRIVATE Threads::Threads)
endforeach()
target_compile_definitions(hdvalidate_shared PRIVATE HD_BUILDING_SHARED)
set_target_properties(hdvalidate_shared PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})

install(TARGETS hdvalidate hdgen hddump hdasm RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS hdvalidate_shared hdvalidate_static EXPORT hdvalidateTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES include/hd/hdvalidate.h include/hd/api.h include/hd/validate.h include/hd/diag.h include/hd/format.h
              include/hd/version.h include/hd/rules.def include/hd/tags.def include/hd/headers.def
              include/hd/arch.def include/hd/memstats.def
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hd)
file(GLOB hd_man_pages ${PROJECT_SOURCE_DIR}/man/*.1)
install(FILES ${hd_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# pkg-config: the shared library; Libs.private and Requires.private for static linking
set(hd_pc_requires "")
foreach(dep zlib libzstd liblzma)
  string(TOUPPER ${dep} DEP)
  if((dep STREQUAL zlib AND ZLIB_FOUND) OR (dep STREQUAL libzstd AND ZSTD_FOUND) OR (dep STREQUAL liblzma AND LZMA_FOUND))
    list(APPEND hd_pc_requires ${dep})
  endif()
endforeach()
list(JOIN hd_pc_requires " " hd_pc_requires)
configure_file(${PROJECT_SOURCE_DIR}/cmake/hdvalidate.pc.in ${PROJECT_BINARY_DIR}/hdvalidate.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/hdvalidate.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# find_package(hdvalidate)
install(EXPORT hdvalidateTargets NAMESPACE hdvalidate:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hdvalidate)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/hdvalidateConfig.cmake.in
  ${PROJECT_BINARY_DIR}/hdvalidateConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hdvalidate)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/hdvalidateConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/hdvalidateConfig.cmake ${PROJECT_BINARY_DIR}/hdvalidateConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hdvalidate)
