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
    // Two tones at a time, hopping every 40 ms among eight speech-band frequencies, at one
    // level: each band switches on and off like speech, so the sender's denoiser (speexdsp,
    // which learns a steady tone as noise and gates it) passes it whole, while the overall
    // level never dips (a modulated steady chord came out with a 200 ms hole every second,
    // which hid any shorter gap). Segments cross-fade over 5 ms, also across the loop's seam.
    static constexpr double kHz[] = {210, 290, 370, 460, 580, 730, 910, 1150};
    const size_t segment = size_t(rate) / 25; // 40 ms
    const size_t fade = size_t(rate) / 200;   // 5 ms
    const size_t segments = std::max<size_t>(1, size_t(seconds) * size_t(rate) / segment);
    std::vector<qint16> out(segments * segment);
    const double tau = 2 * std::numbers::pi;
    const auto chord = [&](size_t k, double t) {
        const size_t a = (k * 5 + 1) % 8, b = (k * 3 + 4) % 8 == a ? (a + 4) % 8 : (k * 3 + 4) % 8;
        return std::sin(tau * kHz[a] * t) + 0.7 * std::sin(tau * kHz[b] * t);
    };
    for (size_t i = 0; i < out.size(); ++i) {
        const size_t k = i / segment, inSeg = i % segment;
        const double t = double(i) / rate;
        double v = chord(k, t);
        if (inSeg < fade) {
            const double w = 0.5 - 0.5 * std::cos(std::numbers::pi * double(inSeg) / double(fade));
            v = w * v + (1 - w) * chord((k + segments - 1) % segments, t);
        }
        out[i] = qint16(std::lround(5000.0 * v));
    }
    return out;
}

} // namespace plenum::testsupport
