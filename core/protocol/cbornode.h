#pragma once
// A bounded, fully-read CBOR item tree. The codec first turns untrusted bytes into a
// CborNode (checking sizes, depth, item counts, duplicate keys and trailing bytes), then
// maps nodes onto message structs. Splitting the two keeps each limit in one place.

#include "protocol/result.h"

#include <QByteArray>

#include <cstdint>
#include <utility>
#include <vector>

namespace plenum::protocol {

class CborNode {
public:
    // Only what the protocol uses. Floats, tags, undefined and other simple values are
    // rejected while parsing.
    enum class Kind { Unsigned, Negative, Bytes, Text, Bool, Null, Array, Map };

    // Parses exactly one item that must span all of `data`.
    static Result<CborNode> parse(const QByteArray& data);

    Kind kind() const { return kind_; }
    std::uint64_t number() const { return number_; } // Unsigned (and raw Negative) value
    bool boolean() const { return number_ != 0; }
    // Byte strings as they are; text strings as UTF-8 already checked to be valid.
    const QByteArray& bytes() const { return bytes_; }
    const std::vector<CborNode>& items() const { return items_; }
    // Map entries; keys are always unsigned integers and unique.
    const std::vector<std::pair<std::uint64_t, CborNode>>& entries() const { return entries_; }

    // "an unsigned integer", "a text string", ... for error sentences.
    static const char* kindName(Kind kind);

private:
    friend class CborParser;
    Kind kind_ = Kind::Null;
    std::uint64_t number_ = 0;
    QByteArray bytes_;
    std::vector<CborNode> items_;
    std::vector<std::pair<std::uint64_t, CborNode>> entries_;
};

} // namespace plenum::protocol
