# One place for compiler warnings: every project target links mcconform_warnings.
add_library(mcconform_warnings INTERFACE)
add_library(mcconform::warnings ALIAS mcconform_warnings)
target_compile_options(mcconform_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
  -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${MCCONFORM_WERROR}>:-Werror>)
option(MCCONFORM_WERROR "Treat warnings as errors" OFF)
