# Runs one libFuzzer target for a bounded time on a copy of its seed corpus (ctest, label
# fuzz, PLENUM_FUZZ builds). The copy lives in the build dir: fuzzing never writes into the
# source tree. Variables: FUZZER, CORPUS (source seeds), WORKDIR, SECONDS.
file(MAKE_DIRECTORY ${WORKDIR}/corpus ${WORKDIR}/artifacts)
file(GLOB seeds ${CORPUS}/*)
if(NOT seeds)
  message(FATAL_ERROR "the seed corpus ${CORPUS} is empty")
endif()
file(COPY ${seeds} DESTINATION ${WORKDIR}/corpus)
execute_process(
  COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
          -print_final_stats=1 -artifact_prefix=${WORKDIR}/artifacts/ ${WORKDIR}/corpus
  WORKING_DIRECTORY ${WORKDIR}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} found a failing input (exit ${rc}); see ${WORKDIR}/artifacts")
endif()
