#pragma once
// Level and speaking indicator for one participant (the UI's meter and speaking ring). The
// level is the frame's RMS in dBFS with a fast attack and slow release, like a VU meter;
// "speaking" needs the level above a threshold and holds for a short hangover so the ring
// does not flicker between syllables.

#include <QtGlobal>

#include <span>

namespace plenum::media {

class LevelMeter {
public:
    struct Config {
        double speakingDb = -42.0; // dBFS; speech at a normal distance sits around -30..-15
        double releaseDbPerFrame = 1.5;
        int hangoverMs = 300;
        int frameMs = 20;
    };

    LevelMeter();
    explicit LevelMeter(const Config& config);
    void update(std::span<const qint16> frame);
    // The same from a level measured elsewhere: the sender's, carried in its RTP header
    // (RFC 6464) for a stream this device did not decode (CallEngine::Config::maxMixed).
    void updateDb(double frameDb);

    double levelDb() const { return level_; } // -96 for silence
    bool speaking() const { return speaking_; }

    static double rmsDb(std::span<const qint16> frame);

private:
    Config config_;
    double level_ = -96.0;
    bool speaking_ = false;
    int holdMs_ = 0;
};

} // namespace plenum::media
