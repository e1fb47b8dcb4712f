// Mixer and soft clipper; level meter and speaking indicator.
#include "media/mixer.h"
#include "media/levelmeter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace plenum::media;

TEST(Mixer, SumsQuietSourcesExactly)
{
    Mixer m(4);
    std::vector<qint16> a{100, -200, 300, 0}, b{50, 50, -300, 7}, out(4);
    m.add(a);
    m.add(b);
    m.read(out);
    EXPECT_EQ(out, (std::vector<qint16>{150, -150, 0, 7}));
    EXPECT_EQ(m.sources(), 2);
    m.clear();
    m.read(out);
    EXPECT_EQ(out, (std::vector<qint16>{0, 0, 0, 0}));
}

TEST(Mixer, LoudSourcesBendInsteadOfWrapping)
{
    Mixer m(3);
    std::vector<qint16> loud{30000, -30000, 20000}, out(3);
    for (int i = 0; i < 15; ++i)
        m.add(loud); // 15 talkers shouting
    m.read(out);
    EXPECT_GT(out[0], 32000);
    EXPECT_LT(out[1], -32000);
    EXPECT_GT(out[2], 32000);
    // Monotonic and continuous through the knee.
    float prev = -2;
    for (float x = -3; x <= 3; x += 0.001f) {
        const float y = Mixer::softClip(x);
        EXPECT_GE(y, prev);
        EXPECT_LE(std::abs(y), 1.0f);
        prev = y;
    }
    EXPECT_NEAR(Mixer::softClip(Mixer::kKnee + 1e-4f), Mixer::kKnee, 2e-4f);
    EXPECT_EQ(Mixer::softClip(0.5f), 0.5f);
}

TEST(LevelMeter, SpeakingFollowsLevelWithHangover)
{
    LevelMeter meter;
    std::vector<qint16> quiet(960, 0), speech(960);
    for (size_t i = 0; i < speech.size(); ++i)
        speech[i] = qint16(6000 * std::sin(i * 0.1));
    meter.update(quiet);
    EXPECT_FALSE(meter.speaking());
    EXPECT_EQ(meter.levelDb(), -96.0);
    meter.update(speech);
    EXPECT_TRUE(meter.speaking());
    EXPECT_NEAR(meter.levelDb(), 20 * std::log10(6000 / 32768.0 / std::sqrt(2.0)), 0.5);
    for (int i = 0; i < 10; ++i)
        meter.update(quiet); // 200 ms < 300 ms hangover
    EXPECT_TRUE(meter.speaking());
    EXPECT_LT(meter.levelDb(), -20); // released
    for (int i = 0; i < 10; ++i)
        meter.update(quiet);
    EXPECT_FALSE(meter.speaking());
}
