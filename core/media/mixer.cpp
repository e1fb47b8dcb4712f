#include "media/mixer.h"

#include <algorithm>
#include <cmath>

namespace plenum::media {

Mixer::Mixer(int frameSamples) : frameSamples_(frameSamples), sum_(size_t(frameSamples), 0.f) {}

void Mixer::clear()
{
    std::fill(sum_.begin(), sum_.end(), 0.f);
    sources_ = 0;
}

void Mixer::add(std::span<const qint16> frame)
{
    const size_t n = std::min(frame.size(), sum_.size());
    for (size_t i = 0; i < n; ++i)
        sum_[i] += float(frame[i]) / 32768.f;
    ++sources_;
}

float Mixer::softClip(float x)
{
    const float a = std::abs(x);
    if (a <= kKnee) return x;
    const float room = 1.f - kKnee;
    const float y = kKnee + room * std::tanh((a - kKnee) / room);
    return x < 0 ? -y : y;
}

void Mixer::read(std::span<qint16> out) const
{
    const size_t n = std::min(out.size(), sum_.size());
    for (size_t i = 0; i < n; ++i)
        out[i] = qint16(std::lrint(std::clamp(softClip(sum_[i]) * 32767.f, -32768.f, 32767.f)));
}

} // namespace plenum::media
