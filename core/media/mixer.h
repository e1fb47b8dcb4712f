#pragma once
// Mixes the decoded frames of the N−1 remote participants into one playback frame. Sums in
// float and passes the sum through a soft clipper, so two loud talkers bend gently instead of
// wrapping or hard-clipping.

#include <QtGlobal>

#include <span>
#include <vector>

namespace plenum::media {

class Mixer {
public:
    explicit Mixer(int frameSamples);

    int frameSamples() const { return frameSamples_; }
    // Starts a new frame (silence).
    void clear();
    // Adds one participant's frame (frameSamples samples).
    void add(std::span<const qint16> frame);
    // The mixed frame, soft-clipped to 16 bits.
    void read(std::span<qint16> out) const;
    int sources() const { return sources_; }

    // The clipper alone, on a full-scale-normalised sample: identity below kKnee, then a
    // tanh curve that reaches ±1 only asymptotically (continuous value and slope at the knee).
    static float softClip(float x);
    static constexpr float kKnee = 0.75f;

private:
    int frameSamples_;
    int sources_ = 0;
    std::vector<float> sum_;
};

} // namespace plenum::media
