# MCCONFORM_SANITIZE=ON builds everything with AddressSanitizer and UndefinedBehaviorSanitizer.
option(MCCONFORM_SANITIZE "Build with ASan and UBSan" OFF)
if(MCCONFORM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# MCCONFORM_FUZZ=ON (clang only, the `fuzz` preset) instruments everything for libFuzzer, with
# ASan and UBSan, and builds the fuzz/ targets.
option(MCCONFORM_FUZZ "Build the libFuzzer targets (clang)" OFF)
if(MCCONFORM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MCCONFORM_FUZZ needs clang (the fuzz preset sets it)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
