#include "media/loudeststreams.h"

#include "media/levelmeter.h"

#include <algorithm>
#include <cmath>

namespace plenum::media {

namespace {
constexpr double kStickyDb = 6;
} // namespace

quint8 LoudestStreams::levelOf(std::span<const qint16> frame)
{
    return levelOf(LevelMeter::rmsDb(frame));
}

quint8 LoudestStreams::levelOf(double frameDb)
{
    return quint8(std::clamp(-std::lround(frameDb), 0L, 127L));
}

void LoudestStreams::hear(Stream& stream, std::optional<quint8> level)
{
    if (!level) return;
    // Held as the level meters hold theirs.
    static const double release = LevelMeter::Config{}.releaseDbPerFrame;
    const double db = -double(*level);
    stream.loudnessDb = std::max(db, stream.loudnessDb.value_or(db) - release);
}

bool LoudestStreams::hear(Stream& stream, const JitterBuffer::Frame& frame)
{
    hear(stream, frame.level);
    const bool audio = frame.kind != JitterBuffer::Frame::Kind::Silence;
    stream.mixed &= audio;
    return audio;
}

double LoudestStreams::reportedDb(const JitterBuffer::Frame& frame)
{
    return frame.level ? -double(*frame.level) : -96.0;
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
