#include "audiogap.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace plenum::testsupport {

namespace {
// About -50 dBFS: far under the signal (-12 dBFS) and over Opus's idle noise floor.
constexpr double kSilenceRms = 100.0;
} // namespace

AudioGap longestGap(std::span<const qint16> played, size_t from, size_t to, int rate)
{
    AudioGap gap;
    const size_t window = size_t(rate) / 200; // 5 ms
    to = std::min(to, played.size());
    if (from >= to || window == 0) return gap;
    bool soundBefore = false;
    size_t run = 0, runStart = 0, sounding = 0, windows = 0, longest = 0, longestAt = 0;
    bool found = false;
    for (size_t at = from; at + window <= to; at += window) {
        double sum = 0;
        for (size_t i = at; i < at + window; ++i)
            sum += double(played[i]) * double(played[i]);
        const bool sound = std::sqrt(sum / double(window)) >= kSilenceRms;
        ++windows;
        if (sound) {
            ++sounding;
            // A silent run counts only when sound came before it and comes after it.
            if (soundBefore && run > 0 && (!found || run > longest)) {
                longest = run;
                longestAt = runStart;
                found = true;
            }
            soundBefore = true;
            run = 0;
        } else if (soundBefore) {
            if (run == 0) runStart = at;
            ++run;
        }
    }
    gap.soundFraction = windows ? double(sounding) / double(windows) : 0;
    // No sound at all, or silence up to the end of the range: the gap did not end.
    if (!soundBefore || run > 0) return gap;
    gap.longestMs = found ? int(longest * window * 1000 / size_t(rate)) : 0;
    gap.atSample = found ? qint64(longestAt) : -1;
    return gap;
}

std::vector<qint16> continuousSignal(int seconds, int rate)
{
    std::vector<qint16> out(size_t(seconds) * size_t(rate));
    const double tau = 2 * std::numbers::pi;
    for (size_t i = 0; i < out.size(); ++i) {
        const double t = double(i) / rate;
        // A whole number of modulation periods per loop (1 Hz), so the loop has no seam.
        const double level = 0.6 + 0.4 * std::sin(tau * 1.0 * t);
        const double v =
            std::sin(tau * 220 * t) + 0.6 * std::sin(tau * 330 * t) + 0.4 * std::sin(tau * 550 * t);
        out[i] = qint16(std::lround(4000.0 * level * v));
    }
    return out;
}

} // namespace plenum::testsupport
