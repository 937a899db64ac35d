# Script mode for embed_text(): writes INPUT's text into OUTPUT as `inline constexpr std::string_view NAME`.
file(READ ${INPUT} text)
set(delimiter "mcc_embedded")
file(WRITE ${OUTPUT} "// Generated from ${INPUT}; do not edit.\n#pragma once\n#include <string_view>\n"
     "inline constexpr std::string_view ${NAME} = R\"${delimiter}(${text})${delimiter}\";\n")
