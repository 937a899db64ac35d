# embed_text(OUTPUT header INPUT file NAME symbol): a header holding the file's text as a
# std::string_view constant, regenerated whenever the file changes.
function(embed_text)
  cmake_parse_arguments(ARG "" "OUTPUT;INPUT;NAME" "" ${ARGN})
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${ARG_INPUT} -DOUTPUT=${ARG_OUTPUT} -DNAME=${ARG_NAME}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedTextScript.cmake
    DEPENDS ${ARG_INPUT} ${PROJECT_SOURCE_DIR}/cmake/EmbedTextScript.cmake
    COMMENT "Embedding ${ARG_INPUT}")
endfunction()
