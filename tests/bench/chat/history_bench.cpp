// HistoryStore flush latency (WAL + synchronous=FULL, so fsync-bound): one message per
// flush, and a 50-message batch per flush (a busy event-loop turn). Medians, as JSON.
//
//   history_bench [flushes=31] [dir=$TMPDIR]

#include "chat/historystore.h"

#include <QDir>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace plenum;
using namespace plenum::chat;

int main(int argc, char** argv)
{
    const int flushes = argc > 1 ? std::atoi(argv[1]) : 31;
    QTemporaryDir dir(argc > 2 ? QString::fromLocal8Bit(argv[2]) + QStringLiteral("/hb-XXXXXX")
                               : QDir::tempPath() + QStringLiteral("/hb-XXXXXX"));
    auto opened = HistoryStore::open(dir.filePath(QStringLiteral("history.db")));
    if (!opened.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error()));
        return 1;
    }
    HistoryStore& store = *opened.value();
    std::uint64_t seq = 0;
    std::printf("{\"bench\":\"history_flush\",\"flushes\":%d,\"results\":[", flushes);
    const char* sep = "";
    for (int batch : {1, 50}) {
        std::vector<double> ms;
        for (int f = 0; f < flushes; ++f) {
            for (int i = 0; i < batch; ++i) {
                ++seq;
                store.add(AccountId::fromNumber(1), SessionId::fromNumber(2),
                          protocol::ChatMessage{DeviceId::fromNumber(3),
                                                seq,
                                                seq,
                                                AccountId::fromNumber(3),
                                                QStringLiteral("a chat line of ordinary length"),
                                                {}},
                          0);
            }
            const auto t0 = std::chrono::steady_clock::now();
            if (!store.flush().ok()) return 1;
            ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count());
        }
        std::sort(ms.begin(), ms.end());
        std::printf("%s{\"batch\":%d,\"flush_ms_median\":%.3f,\"flush_ms_max\":%.3f}", sep, batch,
                    ms[ms.size() / 2], ms.back());
        sep = ",";
    }
    std::printf("]}\n");
    return 0;
}
