#pragma once
// The one percentile the node benchmarks report (nearest rank; -1 for no samples).

#include <QList>

#include <algorithm>

namespace plenum::testsupport {

inline double percentile(QList<double> v, double p)
{
    if (v.isEmpty()) return -1;
    std::sort(v.begin(), v.end());
    return v[std::min<qsizetype>(v.size() - 1, qsizetype(p * (v.size() - 1) + 0.5))];
}

inline double median(QList<double> v)
{
    return percentile(std::move(v), 0.5);
}

} // namespace plenum::testsupport
