// Turns classic outcomes into text-protocol reply bytes.
#pragma once

#include "server/outcome.hpp"
#include "server/output.hpp"

namespace mcrefd::server {

void write_text(const Outcome& outcome, bool noreply, Output& out);

}  // namespace mcrefd::server
