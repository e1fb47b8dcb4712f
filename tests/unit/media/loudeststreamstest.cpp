// LoudestStreams: which incoming streams a participant decodes (RFC 6464 levels).
#include "media/loudeststreams.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace plenum::media;

namespace {
std::vector<LoudestStreams::Stream*> all(std::vector<LoudestStreams::Stream>& s)
{
    std::vector<LoudestStreams::Stream*> out;
    for (auto& x : s)
        out.push_back(&x);
    return out;
}
} // namespace

TEST(LoudestStreams, ChoosesTheLoudestAndEveryStreamWithoutALevel)
{
    std::vector<LoudestStreams::Stream> s(5);
    const quint8 levels[] = {40, 10, 30, 20};
    for (int i = 0; i < 4; ++i)
        LoudestStreams::hear(s[size_t(i)], levels[i]);
    // s[4] never said its level (an older peer): it is always decoded.
    LoudestStreams(3).choose(all(s));
    EXPECT_FALSE(s[0].mixed); // -40 dBov: the quietest two lose
    EXPECT_TRUE(s[1].mixed);
    EXPECT_FALSE(s[2].mixed);
    EXPECT_TRUE(s[3].mixed);
    EXPECT_TRUE(s[4].mixed);
    // 0: no limit.
    LoudestStreams(0).choose(all(s));
    for (const auto& x : s)
        EXPECT_TRUE(x.mixed);
}

TEST(LoudestStreams, ATalkerKeepsItsPlaceThroughSoftSyllablesAndNearEqualRivals)
{
    std::vector<LoudestStreams::Stream> s(2);
    LoudestStreams one(1);
    LoudestStreams::hear(s[0], 20);
    LoudestStreams::hear(s[1], 24);
    one.choose(all(s));
    ASSERT_TRUE(s[0].mixed);
    // A soft syllable (-45) for one frame: the held loudness falls 1.5 dB only.
    LoudestStreams::hear(s[0], 45);
    LoudestStreams::hear(s[1], 24);
    one.choose(all(s));
    EXPECT_TRUE(s[0].mixed);
    // The rival 3 dB louder for good: within the 6 dB the mixed stream is given, no flap.
    for (int f = 0; f < 50; ++f) {
        LoudestStreams::hear(s[0], 23);
        LoudestStreams::hear(s[1], 20);
        one.choose(all(s));
        EXPECT_TRUE(s[0].mixed) << "frame " << f;
    }
    // Clearly louder (10 dB): it takes the place.
    LoudestStreams::hear(s[0], 30);
    LoudestStreams::hear(s[1], 10);
    for (int f = 0; f < 10; ++f) {
        LoudestStreams::hear(s[0], 30);
        LoudestStreams::hear(s[1], 10);
        one.choose(all(s));
    }
    EXPECT_FALSE(s[0].mixed);
    EXPECT_TRUE(s[1].mixed);
}

TEST(LoudestStreams, LevelOfAFrameIsItsRmsInMinusDbov)
{
    std::vector<qint16> silence(960, 0);
    EXPECT_EQ(LoudestStreams::levelOf(silence), 96); // LevelMeter's floor
    std::vector<qint16> tone(960);
    for (size_t i = 0; i < tone.size(); ++i)
        tone[i] = qint16(3277 * std::sin(2 * M_PI * 1000 * double(i) / 48000)); // -20 dBFS peak
    EXPECT_EQ(LoudestStreams::levelOf(tone), 23); // RMS of a sine: 3 dB below its peak
    std::vector<qint16> full(960, 32767);
    EXPECT_EQ(LoudestStreams::levelOf(full), 0);
}
