# libclang (C API) from one pinned LLVM version under /usr/lib/llvm-N.
# find_package(Clang) is avoided on purpose: Debian's ClangConfig drags in every
# static clang library and breaks when one of them is not installed.
set(MINREPRO_LLVM_VERSION 14 CACHE STRING "LLVM major version whose libclang is used")
set(_llvm_root /usr/lib/llvm-${MINREPRO_LLVM_VERSION})
find_path(LIBCLANG_INCLUDE_DIR clang-c/Index.h
  HINTS ${_llvm_root}/include NO_DEFAULT_PATH)
find_library(LIBCLANG_LIBRARY NAMES clang libclang
  HINTS ${_llvm_root}/lib NO_DEFAULT_PATH)
if(NOT LIBCLANG_INCLUDE_DIR OR NOT LIBCLANG_LIBRARY)
  message(FATAL_ERROR "libclang ${MINREPRO_LLVM_VERSION} not found under ${_llvm_root}: "
    "apt-get install libclang-${MINREPRO_LLVM_VERSION}-dev (or run `make demo` as root)")
endif()
add_library(libclang::libclang UNKNOWN IMPORTED)
set_target_properties(libclang::libclang PROPERTIES
  IMPORTED_LOCATION ${LIBCLANG_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${LIBCLANG_INCLUDE_DIR})
# The builtin headers (stddef.h, ...) libclang needs to parse candidates.
set(MINREPRO_CLANG_RESOURCE_DIR ${_llvm_root}/lib/clang/${MINREPRO_LLVM_VERSION}.0.6)
file(GLOB _res_dirs ${_llvm_root}/lib/clang/*)
list(LENGTH _res_dirs _n)
if(_n GREATER 0)
  list(GET _res_dirs 0 MINREPRO_CLANG_RESOURCE_DIR)
endif()
