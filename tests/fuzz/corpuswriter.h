#pragma once
// The main() of every seed-corpus generator: writes the named files into a directory, or with
// --check fails when any file there is missing or differs (a ctest keeps the corpora current).

#include <QByteArray>
#include <QString>

#include <map>

namespace plenum::testing {

int writeCorpusMain(int argc, char** argv, const std::map<QString, QByteArray>& files);

} // namespace plenum::testing
