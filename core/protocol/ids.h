#pragma once
// Fixed-size identifiers shared by every layer. DeviceId and AccountId are SHA-256 of a
// DER public key (DESIGN §2), so an id alone authenticates the device or account.

#include <QByteArray>
#include <QHashFunctions>
#include <QString>

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace plenum {

template <std::size_t N, typename Tag> class FixedId {
public:
    static constexpr std::size_t size = N;
    constexpr FixedId() = default;

    static std::optional<FixedId> fromBytes(const QByteArray& raw)
    {
        if (raw.size() != static_cast<qsizetype>(N)) return std::nullopt;
        FixedId id;
        std::copy(raw.begin(), raw.end(), id.bytes_.begin());
        return id;
    }
    // Strict: exactly 2N hex digits, nothing else. (QByteArray::fromHex skips anything that is
    // not a digit, so " " + 63 digits would parse as a different id.)
    static std::optional<FixedId> fromHex(QStringView hex)
    {
        if (hex.size() != static_cast<qsizetype>(2 * N)) return std::nullopt;
        FixedId id;
        for (std::size_t i = 0; i < N; ++i) {
            const int hi = hexDigit(hex[static_cast<qsizetype>(2 * i)]);
            const int lo = hexDigit(hex[static_cast<qsizetype>(2 * i + 1)]);
            if (hi < 0 || lo < 0) return std::nullopt;
            id.bytes_[i] = static_cast<std::uint8_t>((hi << 4) | lo);
        }
        return id;
    }
    // Deterministic ids for tests and the simulator: the value in the last 8 bytes.
    static constexpr FixedId fromNumber(std::uint64_t n)
    {
        FixedId id;
        for (std::size_t i = 0; i < 8 && i < N; ++i)
            id.bytes_[N - 1 - i] = static_cast<std::uint8_t>(n >> (8 * i));
        return id;
    }

    QByteArray toBytes() const
    {
        return QByteArray(reinterpret_cast<const char*>(bytes_.data()), static_cast<qsizetype>(N));
    }
    QString toHex() const { return QString::fromLatin1(toBytes().toHex()); }
    // Short form for logs and UIs: the first 8 hex digits.
    QString shortHex() const { return toHex().left(8); }
    bool isNull() const
    {
        return std::all_of(bytes_.begin(), bytes_.end(), [](auto b) { return b == 0; });
    }
    const std::array<std::uint8_t, N>& bytes() const { return bytes_; }

    friend constexpr auto operator<=>(const FixedId&, const FixedId&) = default;
    friend constexpr bool operator==(const FixedId&, const FixedId&) = default;

private:
    static constexpr int hexDigit(QChar c)
    {
        const char16_t u = c.unicode();
        if (u >= u'0' && u <= u'9') return u - u'0';
        if (u >= u'a' && u <= u'f') return u - u'a' + 10;
        if (u >= u'A' && u <= u'F') return u - u'A' + 10;
        return -1;
    }

    std::array<std::uint8_t, N> bytes_{};
};

struct DeviceIdTag;
struct AccountIdTag;
struct SessionIdTag;

using DeviceId = FixedId<32, DeviceIdTag>;
using AccountId = FixedId<32, AccountIdTag>;
using SessionId = FixedId<16, SessionIdTag>;

template <std::size_t N, typename Tag>
inline size_t qHash(const FixedId<N, Tag>& id, size_t seed = 0)
{
    return qHashBits(id.bytes().data(), N, seed);
}

} // namespace plenum

template <std::size_t N, typename Tag> struct std::hash<plenum::FixedId<N, Tag>> {
    std::size_t operator()(const plenum::FixedId<N, Tag>& id) const noexcept
    {
        std::size_t h = 0;
        for (std::size_t i = 0; i < 8 && i < N; ++i)
            h = (h << 8) | id.bytes()[N - 1 - i];
        return h ^ (static_cast<std::size_t>(id.bytes()[0]) << 56);
    }
};
