# The case catalogue is complete: `mcconform --list-cases --json` is valid JSON and every case in
# it names the protocol.txt section (or memcached behaviour) it checks and its requirement.
#   cmake -DMCCONFORM=path/to/mcconform -P check_catalogue.cmake
execute_process(COMMAND ${MCCONFORM} --list-cases --json OUTPUT_VARIABLE catalogue ERROR_VARIABLE errors
                RESULT_VARIABLE status)
string(JSON count ERROR_VARIABLE json_error LENGTH "${catalogue}")
if(json_error)
  message(FATAL_ERROR "--list-cases --json is not a JSON array: ${json_error}\n${errors}")
endif()
if(count LESS 1)
  message(FATAL_ERROR "--list-cases --json lists no cases")
endif()
set(incomplete "")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON id GET "${catalogue}" ${i} id)
  foreach(field feature level versions spec checks)
    string(JSON value GET "${catalogue}" ${i} ${field})
    if(value STREQUAL "")
      string(APPEND incomplete "  ${id}: no ${field}\n")
    endif()
  endforeach()
endforeach()
if(NOT incomplete STREQUAL "" OR NOT status EQUAL 0)
  message(FATAL_ERROR "cases that do not say what they check (annotate their MC_TEST with .spec and .checks):\n"
                      "${incomplete}${errors}")
endif()
message(STATUS "${count} cases, each with its spec section and requirement")
