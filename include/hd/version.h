/* version.h — the project's version, written once: CMake reads it from here (top CMakeLists.txt). */
#ifndef HD_VERSION_H
#define HD_VERSION_H

#define HD_VERSION_STRING "0.2.0"

#endif
