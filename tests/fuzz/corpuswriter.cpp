#include "corpuswriter.h"

#include <QDir>
#include <QFile>

#include <cstdio>

namespace plenum::testing {

int writeCorpusMain(int argc, char** argv, const std::map<QString, QByteArray>& files)
{
    const bool check = argc == 3 && QByteArray(argv[1]) == "--check";
    if (argc != (check ? 3 : 2)) {
        std::fprintf(stderr, "usage: %s [--check] <dir>\n", argv[0]);
        return 2;
    }
    const QDir dir(QString::fromLocal8Bit(argv[argc - 1]));
    if (!check && !dir.mkpath(QStringLiteral("."))) return 2;
    int problems = 0;
    for (const auto& [name, bytes] : files) {
        QFile f(dir.filePath(name));
        if (check) {
            if (!f.open(QIODevice::ReadOnly) || f.readAll() != bytes) {
                std::fprintf(stderr, "%s is missing or out of date; regenerate the corpus\n",
                             qPrintable(name));
                ++problems;
            }
        } else if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
                   f.write(bytes) != bytes.size()) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(f.fileName()));
            ++problems;
        }
    }
    return problems == 0 ? 0 : 1;
}

} // namespace plenum::testing
