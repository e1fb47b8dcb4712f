#include "media/levelmeter.h"

#include <algorithm>
#include <cmath>

namespace plenum::media {

LevelMeter::LevelMeter() : LevelMeter(Config{}) {}

LevelMeter::LevelMeter(const Config& config) : config_(config) {}

double LevelMeter::rmsDb(std::span<const qint16> frame)
{
    if (frame.empty()) return -96.0;
    double energy = 0;
    for (qint16 s : frame)
        energy += double(s) * double(s);
    const double rms = std::sqrt(energy / double(frame.size())) / 32768.0;
    return std::max(-96.0, 20.0 * std::log10(std::max(rms, 1e-6)));
}

void LevelMeter::update(std::span<const qint16> frame)
{
    updateDb(rmsDb(frame));
}

void LevelMeter::updateDb(double now)
{
    level_ = now >= level_ ? now : std::max(now, level_ - config_.releaseDbPerFrame);
    if (now >= config_.speakingDb) {
        speaking_ = true;
        holdMs_ = config_.hangoverMs;
    } else if (holdMs_ > 0) {
        holdMs_ -= config_.frameMs;
        speaking_ = holdMs_ > 0;
    } else {
        speaking_ = false;
    }
}

} // namespace plenum::media
