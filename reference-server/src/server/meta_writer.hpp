// Turns meta outcomes into meta-protocol reply bytes, flags in the order the request gave them.
#pragma once

#include "protocol/meta_request.hpp"
#include "server/outcome.hpp"
#include "server/output.hpp"

namespace mcrefd::server {

void write_meta(const protocol::MetaRequest& request, const MetaOutcome& outcome, Output& out);

}  // namespace mcrefd::server
