#pragma once
// plenum-peer's command line (docs/plenum-peer.md).

#include "node/nodeoptions.h"
#include "protocol/result.h"

#include <QStringList>

namespace plenum::peer {

// Parses argv (without argv[0]); errors name the option.
Result<node::NodeOptions> parseOptions(const QStringList& args);

} // namespace plenum::peer
