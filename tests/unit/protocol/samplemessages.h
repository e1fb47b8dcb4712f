#pragma once
// One message of every Body type with every field set to a non-default value. Used by the
// round-trip tests and by the fuzz corpus generator.

#include "protocol/messages.h"

#include <vector>

namespace plenum::testing {

std::vector<protocol::Message> sampleMessages();

protocol::MemberInfo sampleMember(std::uint64_t n);

} // namespace plenum::testing
