#pragma once
// Median and percentiles for benchmark samples.

#include <algorithm>
#include <vector>

namespace plenum::net::bench {

inline double percentile(std::vector<double> v, double p)
{
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    const std::size_t i = std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5));
    return v[i];
}

inline double median(const std::vector<double>& v)
{
    return percentile(v, 0.5);
}

} // namespace plenum::net::bench
