// Codec cost per message: encode and decode of a full 64-member ROSTER and of a chat
// message. Prints JSON with medians over repeated runs.
//
//   codec_bench [repeats=15] [iterations=2000]

#include "protocol/codec.h"
#include "protocol/limits.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace plenum;
using namespace plenum::protocol;

namespace {

Message fullRoster()
{
    Roster r;
    r.at = {3, 40};
    r.sm = DeviceId::fromNumber(1);
    r.full = true;
    for (std::size_t i = 0; i < limits::kMaxMembers; ++i)
        r.members.append(MemberInfo{DeviceId::fromNumber(i + 1), AccountId::fromNumber(i + 100),
                                    QStringLiteral("Member number %1").arg(i), DeviceClass::Desktop,
                                    true});
    return Message{Header{SessionId::fromNumber(9), 3, 40, DeviceId::fromNumber(1)}, r};
}

Message chat()
{
    return Message{Header{SessionId::fromNumber(9), 3, 40, DeviceId::fromNumber(1)},
                   ChatMessage{DeviceId::fromNumber(2),
                               1234,
                               5678,
                               AccountId::fromNumber(3),
                               QString(200, QLatin1Char('x')),
                               {}}};
}

template <typename F> double medianNsPerOp(int repeats, int iterations, F&& op)
{
    std::vector<double> runs;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < iterations; ++i)
            op();
        const auto t1 = std::chrono::steady_clock::now();
        runs.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / iterations);
    }
    std::sort(runs.begin(), runs.end());
    return runs[runs.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    const int repeats = argc > 1 ? std::atoi(argv[1]) : 15;
    const int iterations = argc > 2 ? std::atoi(argv[2]) : 2000;
    std::printf("{\"bench\":\"codec\",\"repeats\":%d,\"iterations\":%d,\"results\":[", repeats,
                iterations);
    const char* sep = "";
    for (const auto& [name, message] : {std::pair{"roster64", fullRoster()}, {"chat200", chat()}}) {
        const QByteArray bytes = encode(message);
        volatile qsizetype sink = 0;
        const double enc =
            medianNsPerOp(repeats, iterations, [&] { sink = encode(message).size(); });
        const double dec =
            medianNsPerOp(repeats, iterations, [&] { sink = decode(bytes).ok() ? 1 : 0; });
        if (!decode(bytes).ok()) return 1;
        std::printf("%s{\"message\":\"%s\",\"bytes\":%lld,\"encode_ns_median\":%.0f,"
                    "\"decode_ns_median\":%.0f}",
                    sep, name, static_cast<long long>(bytes.size()), enc, dec);
        sep = ",";
        (void)sink;
    }
    std::printf("]}\n");
    return 0;
}
