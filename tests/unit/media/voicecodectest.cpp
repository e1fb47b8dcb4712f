// Opus wrapper: frames of 10 and 20 ms round trip, DTX on silence, FEC recovery of a lost
// frame, PLC, bitrate following loss.
#include "media/voicedecoder.h"
#include "media/voiceencoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace plenum::media;

namespace {
// A voiced, speech-like test signal: a 140 Hz pulse train through two formant-ish sines,
// amplitude-modulated at a syllable rate (FACTS.md: pure sines skew Opus' mode choice).
std::vector<qint16> speechLike(int samples, int offset = 0)
{
    std::vector<qint16> out(static_cast<size_t>(samples));
    for (int i = 0; i < samples; ++i) {
        const double t = double(i + offset) / 48000.0;
        const double env = 0.5 + 0.5 * std::sin(2 * M_PI * 4 * t);
        const double f0 = 140 + 20 * std::sin(2 * M_PI * 0.7 * t);
        double v = 0;
        for (int h = 1; h <= 12; ++h)
            v += std::sin(2 * M_PI * f0 * h * t) / h;
        v *= 0.5 + 0.5 * std::sin(2 * M_PI * 700 * t);
        out[size_t(i)] = qint16(8000 * env * v / 3);
    }
    return out;
}
double correlation(const std::vector<qint16>& a, const std::vector<qint16>& b, int lag)
{
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i + lag < b.size() && i < a.size(); ++i) {
        ab += double(a[i]) * b[i + lag];
        aa += double(a[i]) * a[i];
        bb += double(b[i + lag]) * b[i + lag];
    }
    return ab / std::sqrt(aa * bb + 1e-9);
}
double bestCorrelation(const std::vector<qint16>& a, const std::vector<qint16>& b)
{
    double best = 0;
    for (int lag = 0; lag < 960; ++lag)
        best = std::max(best, correlation(a, b, lag));
    return best;
}
} // namespace

TEST(VoiceCodec, TwentyAndTenMillisecondFramesRoundTrip)
{
    for (int ms : {20, 10}) {
        auto enc = VoiceEncoder::create({.frameMs = ms}).value();
        auto dec = VoiceDecoder::create().value();
        const int n = enc.frameSamples();
        EXPECT_EQ(n, ms * 48);
        const auto in = speechLike(48000);
        std::vector<qint16> out(in.size());
        for (size_t f = 0; f + n <= in.size(); f += n) {
            auto packet = enc.encode(in.data() + f);
            ASSERT_TRUE(packet.ok());
            ASSERT_FALSE(packet->isEmpty());
            ASSERT_TRUE(dec.decode(packet.value(), out.data() + f, n).ok());
        }
        EXPECT_GT(bestCorrelation(in, out), 0.8) << ms << " ms";
    }
}

TEST(VoiceCodec, DtxSendsNothingForSilence)
{
    auto enc = VoiceEncoder::create({}).value();
    std::vector<qint16> silence(960, 0);
    int empty = 0;
    for (int i = 0; i < 50; ++i)
        empty += enc.encode(silence.data()).value().isEmpty();
    EXPECT_GT(empty, 35); // after warm-up only a comfort-noise update every 400 ms
}

TEST(VoiceCodec, FecRecoversALostFrameBetterThanPlc)
{
    auto run = [](bool useFec) {
        auto enc = VoiceEncoder::create({}).value();
        enc.adaptToLoss(20); // Opus only spends bits on LBRR when told there is loss
        auto dec = VoiceDecoder::create().value();
        const auto in = speechLike(48000);
        std::vector<qint16> out(in.size());
        std::vector<QByteArray> packets;
        for (size_t f = 0; f + 960 <= in.size(); f += 960)
            packets.push_back(enc.encode(in.data() + f).value());
        for (size_t k = 0; k < packets.size(); ++k) {
            qint16* dst = out.data() + k * 960;
            if (k % 5 == 3) // every fifth packet lost
                EXPECT_TRUE(dec.conceal(useFec ? packets[k + 1] : QByteArray(), dst, 960).ok());
            else
                EXPECT_TRUE(dec.decode(packets[k], dst, 960).ok());
        }
        return std::make_pair(bestCorrelation(in, out), std::move(dec));
    };
    auto [fec, withFec] = run(true);
    auto [plc, withPlc] = run(false);
    EXPECT_GT(withFec.fecRecovered(), 0u);
    EXPECT_GT(withPlc.concealed(), 0u);
    EXPECT_GT(fec, plc);
    EXPECT_GT(fec, 0.6);
    std::printf("{\"fec_correlation\": %.3f, \"plc_correlation\": %.3f}\n", fec, plc);
}

TEST(VoiceCodec, BitrateFollowsLossAndBadInputIsRefused)
{
    auto enc = VoiceEncoder::create({.bitrate = 32000}).value();
    EXPECT_EQ(enc.bitrate(), 32000);
    enc.adaptToLoss(10);
    EXPECT_EQ(enc.bitrate(), 48000);
    enc.adaptToLoss(0);
    EXPECT_EQ(enc.bitrate(), 32000);
    EXPECT_FALSE(VoiceEncoder::create({.frameMs = 40}).ok());
    auto dec = VoiceDecoder::create().value();
    std::vector<qint16> out(960);
    EXPECT_FALSE(dec.decode(QByteArray("\xff\xff\xff", 3), out.data(), 960).ok());
    // A valid 10 ms packet where 20 ms frames are played is refused, not half-played.
    auto ten = VoiceEncoder::create({.frameMs = 10}).value();
    const auto in = speechLike(480);
    EXPECT_FALSE(dec.decode(ten.encode(in.data()).value(), out.data(), 960).ok());
}

TEST(VoiceCodec, ResumingAfterUndecodedFramesStaysCloseToDecodingThemAll)
{
    // A stream left out of the mix for 17 frames (340 ms of speech) comes back: what the
    // decoder plays then, against a decoder that decoded every packet, at four places.
    auto enc = VoiceEncoder::create({}).value();
    const auto in = speechLike(48000 * 3);
    std::vector<QByteArray> packets;
    for (size_t f = 0; f + 960 <= in.size(); f += 960)
        packets.push_back(enc.encode(in.data() + f).value());
    auto all = VoiceDecoder::create().value();
    std::vector<std::vector<qint16>> reference(packets.size(), std::vector<qint16>(960));
    for (size_t k = 0; k < packets.size(); ++k)
        ASSERT_TRUE(all.decode(packets[k], reference[k].data(), 960).ok());
    // SNR in dB of the first frame after the gap, summed over the four places.
    auto firstFrameSnr = [&](bool resume) {
        double error = 0, energy = 0;
        for (int left : {20, 45, 70, 95}) {
            auto dec = VoiceDecoder::create().value();
            std::vector<qint16> out(960);
            for (int k = 0; k < left; ++k)
                EXPECT_TRUE(dec.decode(packets[size_t(k)], out.data(), 960).ok());
            const size_t back = size_t(left) + 17;
            if (resume) dec.resume(packets[back - 1], 960);
            EXPECT_TRUE(dec.decode(packets[back], out.data(), 960).ok());
            for (size_t i = 0; i < 960; ++i) {
                const double d = double(out[i]) - reference[back][i];
                error += d * d;
                energy += double(reference[back][i]) * reference[back][i];
            }
        }
        return 10 * std::log10(energy / (error + 1));
    };
    const double resumed = firstFrameSnr(true);
    const double stale = firstFrameSnr(false);
    std::printf("{\"resumed_snr_db\": %.1f, \"stale_snr_db\": %.1f}\n", resumed, stale);
    EXPECT_GT(resumed, 15.0);
    EXPECT_LT(stale, 5.0); // the control: the state from before the gap is far off
}
