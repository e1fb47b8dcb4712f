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
// Mean of the best correlations of `window`-sample pieces of the reference (those that carry
// speech) with the signal around `lag` ± `slack`: robust to a jitter buffer that shifted the
// timeline once mid-sentence, which a single global correlation punishes as if all were lost.
double windowedCorrelation(std::span<const qint16> reference, std::span<const qint16> signal,
                           int lag, int window = 24000, int slack = 4800);
double correlationAt(std::span<const qint16> reference, std::span<const qint16> signal, int lag);
double energy(std::span<const qint16> samples);

} // namespace plenum::media::test
