#pragma once
// Test speech and the measures the media tests share: spoken words from espeak-ng (resampled
// to 48 kHz with sox), normalised cross-correlation with the best lag, and energy ratios.

#include "protocol/result.h"

#include <QString>

#include <span>
#include <vector>

namespace plenum::media::test {

// espeak-ng's voice `voice` saying `text`, 48 kHz mono 16-bit.
Result<std::vector<qint16>> spokenWords(const QString& text, const QString& voice = "en");

struct Alignment {
    double correlation = 0; // normalised, at the best lag
    int lagSamples = 0;     // `signal` lags `reference` by this much
};
// Searches lags 0..maxLagSamples: coarse on 8× decimated signals, then refined at full rate.
Alignment align(std::span<const qint16> reference, std::span<const qint16> signal,
                int maxLagSamples);
double correlationAt(std::span<const qint16> reference, std::span<const qint16> signal, int lag);
double energy(std::span<const qint16> samples);

} // namespace plenum::media::test
