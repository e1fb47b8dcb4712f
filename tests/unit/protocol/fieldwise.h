#pragma once
// fieldwiseEqual(a, b): compares two message structs member by member, without needing an
// operator== in messages.h. The member count is found by aggregate initialisation, so a
// field added to a struct later is compared too; a codec that drops it fails the tests.

#include <cstddef>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace plenum::testing {

namespace detail {
template <typename T> struct IsOptional : std::false_type {
};
template <typename T> struct IsOptional<std::optional<T>> : std::true_type {
};

// Converts to any member type. std::optional is left to its own converting constructor,
// which would otherwise make the conversion ambiguous.
struct AnyField {
    template <typename T>
    requires(!IsOptional<T>::value) operator T() const;
};
template <std::size_t> using Any = AnyField;

template <typename T, std::size_t... I> constexpr bool initialisable(std::index_sequence<I...>)
{
    return requires
    {
        T{Any<I>{}...};
    };
}
template <typename T, std::size_t N = 0> constexpr std::size_t fieldCount()
{
    if constexpr (N < 12 && initialisable<T>(std::make_index_sequence<N + 1>{}))
        return fieldCount<T, N + 1>();
    else
        return N;
}

template <typename T> auto tieFields(const T& t)
{
    constexpr std::size_t n = fieldCount<T>();
    static_assert(n <= 11, "extend tieFields for structs with more than 11 members");
    if constexpr (n == 0)
        return std::tie();
    else if constexpr (n == 1) {
        const auto& [a] = t;
        return std::tie(a);
    } else if constexpr (n == 2) {
        const auto& [a, b] = t;
        return std::tie(a, b);
    } else if constexpr (n == 3) {
        const auto& [a, b, c] = t;
        return std::tie(a, b, c);
    } else if constexpr (n == 4) {
        const auto& [a, b, c, d] = t;
        return std::tie(a, b, c, d);
    } else if constexpr (n == 5) {
        const auto& [a, b, c, d, e] = t;
        return std::tie(a, b, c, d, e);
    } else if constexpr (n == 6) {
        const auto& [a, b, c, d, e, f] = t;
        return std::tie(a, b, c, d, e, f);
    } else if constexpr (n == 7) {
        const auto& [a, b, c, d, e, f, g] = t;
        return std::tie(a, b, c, d, e, f, g);
    } else if constexpr (n == 8) {
        const auto& [a, b, c, d, e, f, g, h] = t;
        return std::tie(a, b, c, d, e, f, g, h);
    } else if constexpr (n == 9) {
        const auto& [a, b, c, d, e, f, g, h, i] = t;
        return std::tie(a, b, c, d, e, f, g, h, i);
    } else if constexpr (n == 10) {
        const auto& [a, b, c, d, e, f, g, h, i, j] = t;
        return std::tie(a, b, c, d, e, f, g, h, i, j);
    } else {
        const auto& [a, b, c, d, e, f, g, h, i, j, k] = t;
        return std::tie(a, b, c, d, e, f, g, h, i, j, k);
    }
}
} // namespace detail

// Returns an empty string when equal, else a path to the first differing member
// ("body.1.2" = member 2 of member 1 of the body).
template <typename T> std::string fieldwiseDiff(const T& a, const T& b)
{
    if constexpr (requires { typename std::variant_size<T>::type; }) {
        if (a.index() != b.index()) return "variant alternative";
        return std::visit(
            [&b](const auto& x) {
                using X = std::decay_t<decltype(x)>;
                return fieldwiseDiff(x, std::get<X>(b));
            },
            a);
    } else if constexpr (requires { a == b; } && !std::is_aggregate_v<T>) {
        return a == b ? std::string() : std::string("value");
    } else if constexpr (std::is_aggregate_v<T>) {
        const auto ta = detail::tieFields(a);
        const auto tb = detail::tieFields(b);
        std::string diff;
        [&]<std::size_t... I>(std::index_sequence<I...>)
        {
            ((diff.empty() && !(diff = fieldwiseDiff(std::get<I>(ta), std::get<I>(tb))).empty()
                  ? (diff = std::to_string(I) + "." + diff, 0)
                  : 0),
             ...);
        }
        (std::make_index_sequence<std::tuple_size_v<decltype(ta)>>{});
        return diff;
    } else {
        return a == b ? std::string() : std::string("value");
    }
}

template <typename T> bool fieldwiseEqual(const T& a, const T& b)
{
    return fieldwiseDiff(a, b).empty();
}

} // namespace plenum::testing
