# Registers the suites with CTest: one CTest test per feature per target, so a failure names both,
# and `ctest -L protocol|client|oracle` picks a target.
#   protocol: the protocol suites against the built mcrefd (spawned by mcconform)
#   client:   the libmemcached suites against mcrefd, over text (client) and binary (client-binary)
#   oracle:   every suite against real memcached, the ground truth: Debian 12's 1.6.18 and the
#             newest release, built from Debian stable's source by ci/build-newest-memcached.sh
set(MCCONFORM_PROTOCOL_FEATURES core storage arith touch expiry flush stats errors framing limits concurrency
                                hostile)
set(MCCONFORM_META_FEATURES meta-get meta-set meta-delete meta-arith meta-quiet meta-stale meta-base64 meta-noop
                            meta-debug)
set(MCCONFORM_BINARY_FEATURES binary-get binary-store binary-delete binary-arith binary-admin binary-errors
                              binary-framing)

# An oracle is a memcached binary and the profile its behaviour is: `oracle.<profile>.<feature>`.
set(MCCONFORM_ORACLES)
find_program(MCCONFORM_MEMCACHED memcached)
if(MCCONFORM_MEMCACHED)
  list(APPEND MCCONFORM_ORACLES ${MCCONFORM_MEMCACHED})
else()
  message(WARNING "memcached not found: its 'oracle' tests are not registered (ci/install-deps.sh installs it)")
endif()
set(MCCONFORM_MEMCACHED_NEWEST "${PROJECT_SOURCE_DIR}/build/oracle/memcached-newest/memcached"
    CACHE FILEPATH "the newest memcached oracle (ci/build-newest-memcached.sh builds it)")
if(EXISTS ${MCCONFORM_MEMCACHED_NEWEST})
  list(APPEND MCCONFORM_ORACLES ${MCCONFORM_MEMCACHED_NEWEST})
else()
  message(WARNING "${MCCONFORM_MEMCACHED_NEWEST} not found: the newest oracle's tests are not registered "
                  "(ci/build-newest-memcached.sh builds it)")
endif()

# The profile of a memcached binary is named after the release it reports (`memcached -V`); a
# release with no profile in harness/profiles.json makes mcconform refuse the run, on purpose.
function(mcconform_oracle_profile binary out)
  execute_process(COMMAND ${binary} -V OUTPUT_VARIABLE version_line OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0 OR NOT version_line MATCHES "^memcached ([0-9.]+)")
    message(FATAL_ERROR "${binary} -V did not print its version: ${version_line}")
  endif()
  set(${out} "memcached-${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

# Under ASan the attacked server's memory includes the sanitizer's quarantine: report it only.
set(MCCONFORM_RUN_OPTIONS)
if(MCCONFORM_SANITIZE)
  set(MCCONFORM_RUN_OPTIONS --resident-bound 0)
endif()

function(mcconform_add_run name label features)
  add_test(NAME ${name} COMMAND mcconform --features ${features} ${MCCONFORM_RUN_OPTIONS} ${ARGN})
  set_tests_properties(${name} PROPERTIES LABELS "${label}" TIMEOUT 600)
endfunction()

mcconform_add_run(client.mcrefd client client)
mcconform_add_run(client-binary.mcrefd client client-binary)
foreach(feature IN LISTS MCCONFORM_PROTOCOL_FEATURES)
  mcconform_add_run(protocol.mcrefd.${feature} protocol ${feature})
endforeach()
foreach(feature IN LISTS MCCONFORM_META_FEATURES)
  mcconform_add_run(protocol.mcrefd.${feature} protocol ${feature})
endforeach()
# The binary protocol against mcrefd, its seven features in one run of the group.
mcconform_add_run(protocol.mcrefd.binary protocol binary)

foreach(oracle IN LISTS MCCONFORM_ORACLES)
  mcconform_oracle_profile(${oracle} profile)
  set(spawn "${oracle} -p {port} -U 0 -l 127.0.0.1 -u root")
  mcconform_add_run(oracle.${profile}.client oracle client --spawn ${spawn} --profile ${profile})
  mcconform_add_run(oracle.${profile}.client-binary oracle client-binary --spawn ${spawn} --profile ${profile})
  foreach(feature IN LISTS MCCONFORM_PROTOCOL_FEATURES MCCONFORM_META_FEATURES MCCONFORM_BINARY_FEATURES)
    mcconform_add_run(oracle.${profile}.${feature} oracle ${feature} --spawn ${spawn} --profile ${profile})
  endforeach()
endforeach()

# mcrefd follows the newest memcached, so the differential test compares it with the newest.
if(EXISTS ${MCCONFORM_MEMCACHED_NEWEST})
  set(MCCONFORM_DIFFERENTIAL_ORACLE ${MCCONFORM_MEMCACHED_NEWEST})
else()
  set(MCCONFORM_DIFFERENTIAL_ORACLE ${MCCONFORM_MEMCACHED})
endif()
if(MCCONFORM_DIFFERENTIAL_ORACLE)
  foreach(seed 1 2 20261121)
    add_test(NAME oracle.differential.seed${seed}
             COMMAND mcconform diff --a mcrefd:$<TARGET_FILE:mcrefd> --b memcached:${MCCONFORM_DIFFERENTIAL_ORACLE}
                     --seed ${seed} --count 5000)
    set_tests_properties(oracle.differential.seed${seed} PROPERTIES LABELS oracle TIMEOUT 300)
  endforeach()
  # The binary protocol: a connection speaks one protocol, so binary runs on its own.
  foreach(seed 1 2 20261201)
    add_test(NAME oracle.differential.binary.seed${seed}
             COMMAND mcconform diff --a mcrefd:$<TARGET_FILE:mcrefd> --b memcached:${MCCONFORM_DIFFERENTIAL_ORACLE}
                     --commands binary --seed ${seed} --count 5000)
    set_tests_properties(oracle.differential.binary.seed${seed} PROPERTIES LABELS oracle TIMEOUT 300)
  endforeach()
endif()
# memcached 1.6.18 numbers its cas uniques its own way (docs/version-differences.md), so compared
# as sent its replies differ from mcrefd's within 50 commands; with each server's uniques renamed
# in order, and under its profile (no request its release answers otherwise: md x, the E flag, a
# batch that goes on behind a get), its replies are mcrefd's.
if(MCCONFORM_MEMCACHED)
  foreach(commands classic binary classic,meta)
    add_test(NAME oracle.differential.renamed-cas.${commands}
             COMMAND mcconform diff --a mcrefd:$<TARGET_FILE:mcrefd> --b memcached:${MCCONFORM_MEMCACHED}
                     --commands ${commands} --cas-uniques renamed --profile memcached-1.6.18 --seed 1 --count 5000)
    set_tests_properties(oracle.differential.renamed-cas.${commands} PROPERTIES LABELS oracle TIMEOUT 300)
  endforeach()
endif()

# libmemcached's own checker: its ASCII tests (-a) and its binary ones (-b), against mcrefd and
# every oracle.
add_test(NAME protocol.memccapable.mcrefd COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_memccapable.sh -a
                                                  $<TARGET_FILE:mcrefd>)
add_test(NAME protocol.memccapable-binary.mcrefd COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_memccapable.sh -b
                                                         $<TARGET_FILE:mcrefd>)
set_tests_properties(protocol.memccapable.mcrefd protocol.memccapable-binary.mcrefd PROPERTIES LABELS protocol
                                                                                               TIMEOUT 300)
set_tests_properties(protocol.memccapable-binary.mcrefd PROPERTIES SKIP_RETURN_CODE 77)
foreach(oracle IN LISTS MCCONFORM_ORACLES)
  mcconform_oracle_profile(${oracle} profile)
  foreach(mode a b)
    set(name oracle.${profile}.memccapable)
    if(mode STREQUAL b)
      set(name ${name}-binary)
    endif()
    add_test(NAME ${name} COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/check_memccapable.sh -${mode} ${oracle} -u root)
    set_tests_properties(${name} PROPERTIES LABELS oracle TIMEOUT 300)
  endforeach()
endforeach()

# The load generator itself: a short run against a spawned mcrefd must check every value and pass.
add_test(NAME bench.smoke COMMAND mcconform bench --duration 1 --connections 4 --threads 2 --pipeline 8 --multiget 4
                                                  --keys 200)
set_tests_properties(bench.smoke PROPERTIES LABELS unit TIMEOUT 120)
# The same over the meta protocol: one-key mg with ms, and multi-key mg q batches ended by mn.
add_test(NAME bench.smoke.meta COMMAND mcconform bench --protocol meta --duration 1 --connections 4 --threads 2
                                                       --pipeline 8 --get-ratio 0.5 --keys 200)
add_test(NAME bench.smoke.meta-multiget COMMAND mcconform bench --protocol meta --duration 1 --connections 4
                                                                --threads 2 --multiget 4 --keys 200)
set_tests_properties(bench.smoke.meta bench.smoke.meta-multiget PROPERTIES LABELS unit TIMEOUT 120)
# Two servers compared: the table and the markdown row carry throughput, then the mean, p50 and p99
# latency of each (mcrefd against itself with yielding off).
add_test(NAME bench.smoke.compare
         COMMAND mcconform bench --compare "$<TARGET_FILE:mcrefd> -p {port} -l 127.0.0.1 -o yield_us=0" --rounds 1
                 --duration 1 --connections 4 --threads 2 --keys 200 --markdown-row "smoke | -t 4")
set_tests_properties(bench.smoke.compare PROPERTIES LABELS unit TIMEOUT 120 PASS_REGULAR_EXPRESSION
  "ratio A/B: ops/s [0-9.]+ \\([0-9.-]+\\)  keys/s [0-9.]+ \\([0-9.-]+\\)  mean [0-9.]+ .*\n\\| smoke \\| -t 4 \\| [0-9.]+ \\([0-9.-]+\\) \\| [0-9]+ / [0-9]+ us \\| [0-9]+ / [0-9]+ us \\| [0-9]+ / [0-9]+ us \\| ")

# Every case says what it checks: the text catalogue exits 1 naming an unannotated case, and the
# JSON one is parsed and checked field by field.
add_test(NAME catalogue.complete COMMAND mcconform --list-cases)
add_test(NAME catalogue.json COMMAND ${CMAKE_COMMAND} -DMCCONFORM=$<TARGET_FILE:mcconform>
                                     -P ${CMAKE_CURRENT_SOURCE_DIR}/check_catalogue.cmake)
set_tests_properties(catalogue.complete catalogue.json PROPERTIES LABELS unit TIMEOUT 60)
