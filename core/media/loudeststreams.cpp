#include "media/loudeststreams.h"

#include "media/levelmeter.h"

#include <algorithm>
#include <cmath>

namespace plenum::media {

namespace {
constexpr double kReleaseDbPerFrame = 1.5; // as LevelMeter's default
constexpr double kStickyDb = 6;
} // namespace

quint8 LoudestStreams::levelOf(std::span<const qint16> frame)
{
    return quint8(std::clamp(-std::lround(LevelMeter::rmsDb(frame)), 0L, 127L));
}

void LoudestStreams::hear(Stream& stream, std::optional<quint8> level)
{
    if (!level) return;
    const double db = -double(*level);
    stream.loudnessDb = std::max(db, stream.loudnessDb.value_or(db) - kReleaseDbPerFrame);
}

void LoudestStreams::choose(std::span<Stream* const> withAudio) const
{
    std::vector<std::pair<double, Stream*>> ranked; // quietest last
    ranked.reserve(withAudio.size());
    for (Stream* s : withAudio)
        ranked.emplace_back(s->loudnessDb ? -*s->loudnessDb - (s->mixed ? kStickyDb : 0) : -1e9, s);
    const size_t keep = maxMixed_ > 0 ? std::min(size_t(maxMixed_), ranked.size()) : ranked.size();
    std::nth_element(ranked.begin(), ranked.begin() + qsizetype(keep), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < ranked.size(); ++i)
        ranked[i].second->mixed = i < keep;
}

} // namespace plenum::media
