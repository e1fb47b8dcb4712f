// JitterBuffer as a specification: in-order play, reorder, loss (with FEC source), late
// packets, duplicates, DTX talkspurts, jitter adaptation and ±200 ppm clock drift.
#include "media/jitterbuffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace plenum::media;
using Kind = JitterBuffer::Frame::Kind;

namespace {
// `tsFrames`: the RTP clock in 20 ms frames when it differs from the sequence (after DTX).
RtpPacket packet(quint16 seq, bool marker = false, int tsFrames = -1)
{
    RtpPacket p;
    p.sequence = seq;
    p.timestamp = quint32(tsFrames < 0 ? seq : tsFrames) * 960u;
    p.marker = marker;
    p.payload = QByteArray::number(seq);
    return p;
}
qint64 ms(double v)
{
    return qint64(v * 1000);
}
} // namespace

TEST(JitterBuffer, PlaysInOrderPacketsInOrder)
{
    JitterBuffer jb;
    for (quint16 s = 0; s < 10; ++s) {
        jb.push(packet(s, s == 0), ms(s * 20));
        auto f = jb.pull();
        ASSERT_EQ(f.kind, Kind::Audio);
        EXPECT_EQ(f.payload, QByteArray::number(s));
    }
    EXPECT_EQ(jb.stats().played, 10u);
    EXPECT_EQ(jb.stats().lost, 0u);
}

TEST(JitterBuffer, ReorderedPacketsComeOutInSequence)
{
    JitterBuffer jb({.minTargetFrames = 3});
    for (quint16 s : {0, 2, 1, 4, 3, 5})
        jb.push(packet(s), ms(s * 20));
    for (quint16 s = 0; s < 6; ++s) {
        auto f = jb.pull();
        ASSERT_EQ(f.kind, Kind::Audio) << s;
        EXPECT_EQ(f.payload, QByteArray::number(s));
    }
    EXPECT_EQ(jb.stats().lost, 0u);
    EXPECT_EQ(jb.stats().late, 0u);
}

TEST(JitterBuffer, LostPacketIsConcealedWithTheNextOneForFec)
{
    JitterBuffer jb({.minTargetFrames = 2});
    for (quint16 s : {0, 1, 3, 4})
        jb.push(packet(s), ms(s * 20));
    EXPECT_EQ(jb.pull().payload, "0");
    EXPECT_EQ(jb.pull().payload, "1");
    auto lost = jb.pull();
    EXPECT_EQ(lost.kind, Kind::Lost);
    EXPECT_EQ(lost.next, "3"); // FEC source
    EXPECT_EQ(jb.pull().payload, "3");
    EXPECT_EQ(jb.stats().lost, 1u);
    EXPECT_EQ(jb.stats().expected, 5u);
    EXPECT_EQ(jb.stats().received, 4u);
}

TEST(JitterBuffer, LatePacketIsCountedAndDropped)
{
    JitterBuffer jb({.minTargetFrames = 1});
    jb.push(packet(0), ms(0));
    jb.push(packet(2), ms(40));
    EXPECT_EQ(jb.pull().kind, Kind::Audio);
    EXPECT_EQ(jb.pull().kind, Kind::Lost);
    jb.push(packet(1), ms(60)); // after its turn, with later audio held
    EXPECT_EQ(jb.stats().late, 1u);
    auto stretched = jb.pull(); // the late packet raised the target: one frame is stretched
    EXPECT_EQ(stretched.kind, Kind::Lost);
    EXPECT_EQ(stretched.next, "2");
    EXPECT_EQ(jb.pull().payload, "2");
    EXPECT_EQ(jb.stats().stretched, 1u);
    jb.push(packet(3), ms(80));
    jb.push(packet(2), ms(80)); // a duplicate of an already played one is late too
    EXPECT_EQ(jb.stats().late, 2u);
}

TEST(JitterBuffer, DuplicatesAreDroppedOnce)
{
    JitterBuffer jb({.minTargetFrames = 3});
    jb.push(packet(0), 0);
    jb.push(packet(0), 0);
    EXPECT_EQ(jb.stats().duplicates, 1u);
    EXPECT_EQ(jb.stats().received, 1u);
}

TEST(JitterBuffer, DtxSilenceKeepsTheTimelineAndIsNotAnUnderrun)
{
    JitterBuffer jb;
    jb.push(packet(0, true), 0);
    EXPECT_EQ(jb.pull().kind, Kind::Audio);
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(jb.pull().kind, Kind::Silence); // sender in DTX
    jb.push(packet(1, true, 11), ms(220));        // new talkspurt; the RTP clock ran on
    EXPECT_EQ(jb.pull().payload, "1");
    EXPECT_EQ(jb.stats().underruns, 0u);
    EXPECT_EQ(jb.stats().lost, 0u);
    // Mid-talkspurt the buffer runs dry and the packet comes after its time: an underrun,
    // which re-primes the buffer to a raised target instead of dropping the packet.
    EXPECT_EQ(jb.pull().kind, Kind::Silence);
    jb.push(packet(2, false, 12), ms(260));
    EXPECT_EQ(jb.stats().underruns, 1u);
    EXPECT_EQ(jb.stats().late, 0u);
    EXPECT_GE(jb.targetFrames(), 2);
    EXPECT_EQ(jb.pull().kind, Kind::Silence); // priming
    jb.push(packet(3, false, 13), ms(280));
    jb.push(packet(4, false, 14), ms(300));
    EXPECT_EQ(jb.pull().payload, "2");
    EXPECT_EQ(jb.pull().payload, "3");
}

TEST(JitterBuffer, SequenceWrapPlaysThrough)
{
    JitterBuffer jb;
    for (int i = 0; i < 10; ++i) {
        const quint16 s = quint16(65530 + i);
        jb.push(packet(s), ms(i * 20));
        auto f = jb.pull();
        ASSERT_EQ(f.kind, Kind::Audio) << i;
        EXPECT_EQ(f.payload, QByteArray::number(s));
    }
}

TEST(JitterBuffer, TargetGrowsWithJitterAndShrinksWhenItCalms)
{
    JitterBuffer jb;
    std::mt19937 rng(1);
    std::uniform_real_distribution<double> spread(0, 60); // up to 3 frames of jitter
    for (quint16 s = 0; s < 500; ++s)
        jb.push(packet(s), ms(s * 20 + spread(rng)));
    const int jittery = jb.targetFrames();
    EXPECT_GE(jittery, 3);
    EXPECT_GT(jb.stats().jitterMs, 10);
    for (quint16 s = 500; s < 1000; ++s)
        jb.push(packet(s), ms(s * 20));
    EXPECT_LT(jb.targetFrames(), jittery);
    EXPECT_EQ(jb.targetFrames(), 1);
}

// Sender and receiver clocks differ by `ppm`; 10 minutes of 20 ms frames with ±5 ms of jitter.
// The buffer must stay bounded (drop frames when fed faster) and play ≥ 99.5 % of frames.
static JitterBuffer::Stats runDrift(double ppm)
{
    JitterBuffer jb;
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> jitter(0, 5);
    const double sendPeriod = 20.0 / (1.0 + ppm * 1e-6); // faster clock: shorter period
    int maxLevel = 0;
    quint16 seq = 0;
    double nextSend = 0;
    for (int tick = 0; tick < 30000; ++tick) {
        const double now = tick * 20.0;
        while (nextSend <= now) {
            jb.push(packet(seq++), ms(nextSend + jitter(rng)));
            nextSend += sendPeriod;
        }
        jb.pull();
        if (tick > 100) maxLevel = std::max(maxLevel, jb.levelFrames());
    }
    auto s = jb.stats();
    EXPECT_LE(maxLevel, s.targetFrames + 4) << ppm;
    EXPECT_GE(double(s.played), 0.995 * 30000) << ppm;
    return s;
}

TEST(JitterBuffer, FastSenderClockPlus200PpmStaysBounded)
{
    auto s = runDrift(200);
    EXPECT_GE(s.dropped, 1u); // 6 frames of surplus over 10 minutes: some must go
    EXPECT_LE(s.dropped, 10u);
    EXPECT_LE(s.levelFrames, s.targetFrames + 3);
    EXPECT_LE(s.underruns, 2u);
}

TEST(JitterBuffer, SlowSenderClockMinus200PpmRebuffersRarely)
{
    auto s = runDrift(-200);
    EXPECT_GE(s.stretched, 1u); // 6 frames short over 10 minutes: made up by concealment
    EXPECT_LE(s.underruns, 10u);
    EXPECT_EQ(s.dropped, 0u);
}

// A stall held 20 frames back, then they came at once (one talkspurt, no DTX gap to re-prime):
// the excess is dropped within about a second, not at the drift rate (one frame per 25 pulls).
TEST(JitterBuffer, BurstAfterAStallDrainsQuickly)
{
    JitterBuffer jb({.minTargetFrames = 2});
    quint16 seq = 0;
    for (; seq < 5; ++seq) {
        jb.push(packet(seq, seq == 0), ms(seq * 20));
        (void)jb.pull();
    }
    for (int i = 0; i < 20; ++i, ++seq) // the burst: 20 frames arrive within one pull
        jb.push(packet(seq), ms(100 + i * 0.1));
    int pulls = 0;
    for (; pulls < 200 && jb.levelFrames() > jb.targetFrames() + 2 + 5; ++pulls) {
        jb.push(packet(seq), ms(500 + pulls * 20));
        ++seq;
        (void)jb.pull();
    }
    EXPECT_LE(pulls, 60) << "20 extra frames should drain in about a second of pulls";
    EXPECT_GE(jb.stats().dropped, 10u);
}

TEST(JitterBuffer, HugeSequenceJumpStartsANewStream)
{
    JitterBuffer jb;
    jb.push(packet(0), 0);
    EXPECT_EQ(jb.pull().kind, Kind::Audio);
    jb.push(packet(30000), ms(20));
    EXPECT_EQ(jb.stats().resets, 1u);
    EXPECT_EQ(jb.pull().payload, "30000");
}

namespace {
// Packets that come right at the pulls' phase: each arrives `offsetsUs[i % n]` after its pull
// would be (negative: before), pulls exactly every 20 ms. Returns the underruns.
quint64 underrunsAtThePullsPhase(JitterBuffer::Config config, std::vector<qint64> offsetsUs)
{
    JitterBuffer jb(config);
    for (int i = 0; i < 200; ++i) {
        const qint64 pullAt = ms(1000 + 20.0 * i);
        // Everything that came before this pull is in (a drain reads it right before).
        for (int k = 0; k <= i + 1; ++k) {
            const qint64 arrives = ms(1000 + 20.0 * k) + offsetsUs[size_t(k) % offsetsUs.size()];
            if (arrives < pullAt && arrives >= pullAt - ms(20))
                jb.push(packet(quint16(k), k == 0), arrives);
        }
        (void)jb.pull(pullAt);
    }
    return jb.stats().underruns;
}
} // namespace

TEST(JitterBuffer, PlayoutStartsWithSlackWhenPacketsComeAtThePullsPhase)
{
    // Arrivals 100 µs before the pull, every fourth 300 µs after it: no measurable jitter to
    // speak of, yet a stream started on a packet that came 100 µs before the pull misses
    // every fourth one. Waiting one pull to start gives a frame of slack.
    const std::vector<qint64> offsets{-100, -100, -100, 300};
    EXPECT_EQ(underrunsAtThePullsPhase({}, offsets), 0u);
    JitterBuffer::Config noGuard;
    noGuard.startGuardUs = 0;
    EXPECT_GT(underrunsAtThePullsPhase(noGuard, offsets), 0u) << "the control: no guard";
}

namespace {
// Packets arrive 10 ms before their pull (20 ms frames). After frame 20 this process and the
// sender are both held up for `stallMs`: the device then catches up (late pull, then the
// missed ones back to back) and the sender's packets for the stalled frames come 3 ms after
// that. Returns the stats after 60 frames.
JitterBuffer::Stats afterAStall(JitterBuffer::Config config, int stallMs)
{
    JitterBuffer jb(config);
    const int stalledFrames = stallMs / 20;
    const qint64 resume = ms(1000 + 20.0 * 20 + 15 + stallMs);
    std::vector<std::pair<qint64, quint16>> arrivals;
    for (quint16 k = 0; k < 60; ++k) {
        qint64 at = ms(1000 + 20.0 * k + 5);
        if (k > 20 && k <= 20 + stalledFrames) at = resume + ms(3 + 0.01 * k);
        arrivals.emplace_back(at, k);
    }
    std::sort(arrivals.begin(), arrivals.end());
    size_t next = 0;
    auto pullAt = [&](qint64 t) {
        while (next < arrivals.size() && arrivals[next].first < t) {
            jb.push(packet(arrivals[next].second, arrivals[next].second == 0),
                    arrivals[next].first);
            ++next;
        }
        (void)jb.pull(t);
    };
    for (int i = 0; i < 60; ++i) {
        qint64 t = ms(1000 + 20.0 * i + 15);
        if (i > 20 && i <= 20 + stalledFrames) t = resume + ms(0.1 * (i - 21)); // catching up
        pullAt(t);
    }
    return jb.stats();
}
} // namespace

// A stall of this process and its senders together (one busy machine, a host that stopped
// the VM): the device's catch-up pulls used to skip the slots of packets still on their way,
// so each came late, found the buffer dry and counted an underrun with a re-prime.
TEST(JitterBuffer, CatchUpAfterAStallWaitsForThePacketsStillComing)
{
    for (int stallMs : {40, 60, 100}) {
        const auto s = afterAStall({}, stallMs);
        EXPECT_EQ(s.underruns, 0u) << stallMs;
        EXPECT_EQ(s.late, 0u) << stallMs;
        // Every packet is heard in order, the stall's frames later by as much; a buffer left
        // deep by a long stall drains by dropping a frame, as after any burst.
        EXPECT_EQ(s.lost, 0u) << stallMs;
        EXPECT_EQ(s.played + quint64(s.levelFrames) + s.dropped, 60u) << stallMs;
        EXPECT_GT(s.stretched, 0u) << stallMs;
    }
    JitterBuffer::Config onBeatOnly;
    onBeatOnly.offBeatPercent = 1000; // never off beat: the old rule
    EXPECT_GT(afterAStall(onBeatOnly, 60).underruns, 0u) << "the control";
}

namespace {
// Frames concealed from the end of the pause until the talkspurt after it plays: 1 s of talk,
// 2 s of DTX, talk again with its first (marker) packet lost; the device pulls four frames at
// once every 80 ms (Qt's sink does), so nearly every pull is off its beat.
int concealedAfterAPause(JitterBuffer::Config config)
{
    JitterBuffer jb(config);
    std::vector<std::pair<qint64, quint16>> arrivals;
    for (quint16 k = 0; k < 50; ++k)
        arrivals.emplace_back(ms(1000 + 20.0 * k), k);
    for (quint16 k = 151; k < 200; ++k)
        arrivals.emplace_back(ms(1000 + 20.0 * k), quint16(k - 100)); // seq 51.., ts frame k
    size_t next = 0;
    int concealed = 0;
    bool talking = false;
    for (int burst = 0; burst < 100 && !talking; ++burst) {
        for (int p = 0; p < 4 && !talking; ++p) {
            const qint64 t = ms(1000 + 80.0 * burst + 70 + 0.1 * p);
            while (next < arrivals.size() && arrivals[next].first < t) {
                const auto [at, seq] = arrivals[next++];
                jb.push(packet(seq, seq == 0, seq < 50 ? seq : seq + 100), at);
            }
            const auto f = jb.pull(t);
            if (next > 50 && f.kind == Kind::Lost) ++concealed;
            talking = next > 50 && f.kind == Kind::Audio;
        }
    }
    EXPECT_EQ(jb.stats().underruns, 0u);
    return talking ? concealed : 1000; // not heard within 8 s
}
} // namespace

// Through a DTX pause the playout clock runs on, however the device pulls: at most
// maxHeldFrames frames are held, so a talkspurt whose marker packet was lost plays at most
// that much later than under the on-beat rule.
TEST(JitterBuffer, BurstyPullsThroughDtxKeepTheTimeline)
{
    JitterBuffer::Config onBeatOnly;
    onBeatOnly.offBeatPercent = 1000;
    const int before = concealedAfterAPause(onBeatOnly);
    const int now = concealedAfterAPause({});
    EXPECT_LE(now, before + JitterBuffer::Config{}.maxHeldFrames) << before;
    JitterBuffer::Config unbounded;
    unbounded.maxHeldFrames = 1000;
    EXPECT_GT(concealedAfterAPause(unbounded), before + 50) << "the control: holds unbounded";
}

namespace {
struct Sent {
    int frame;        // RTP time in frames; also the sequence number
    double arrivesMs; // on the pulls' clock
    bool marker = false;
};
struct Playout {
    JitterBuffer::Stats stats;
    std::map<int, int> playedAt; // frame -> index of the pull that played it
};
// Pull i happens at i·frameMs (ms); everything that arrived before a pull is pushed first.
// `timed`: the pulls pass their time (the engine does); untimed pulls know no phase.
Playout play(const JitterBuffer::Config& config, std::vector<Sent> sent, int pulls,
             bool timed = true)
{
    std::sort(sent.begin(), sent.end(),
              [](const Sent& a, const Sent& b) { return a.arrivesMs < b.arrivesMs; });
    JitterBuffer jb(config);
    Playout out;
    size_t next = 0;
    for (int i = 0; i < pulls; ++i) {
        const double at = double(i) * config.frameMs;
        for (; next < sent.size() && sent[next].arrivesMs < at; ++next) {
            RtpPacket p;
            p.sequence = quint16(sent[next].frame);
            p.timestamp = quint32(sent[next].frame * config.frameMs * 48);
            p.marker = sent[next].marker;
            p.payload = QByteArray::number(sent[next].frame);
            jb.push(p, ms(sent[next].arrivesMs));
        }
        const auto f = timed ? jb.pull(ms(at)) : jb.pull();
        if (f.kind == Kind::Audio) out.playedAt[f.payload.toInt()] = i;
    }
    out.stats = jb.stats();
    return out;
}
// Frames played later than the first pull after their packet came, on average.
double extraFrames(const Playout& p, const std::vector<Sent>& sent, int frameMs)
{
    double sum = 0;
    int n = 0;
    for (const auto& s : sent)
        if (auto it = p.playedAt.find(s.frame); it != p.playedAt.end()) {
            sum += it->second - std::ceil(s.arrivesMs / frameMs);
            ++n;
        }
    return n ? sum / n : 1e9;
}
} // namespace

// 10 ms frames that come 5 ms before their pull with up to 0.8 ms of jitter (RFC 3550 J
// ≈ 0.3 ms, 4·J a tenth of a frame): the jitter is a fraction of the slack the arrivals' phase
// already gives, so no frame is added. Untimed pulls cannot see the phase and add one.
TEST(JitterBuffer, ArrivalsWellBeforeThePullNeedNoExtraFrame)
{
    JitterBuffer::Config config;
    config.frameMs = 10;
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> jitter(0, 0.8);
    std::vector<Sent> sent;
    for (int k = 0; k < 1000; ++k) // talkspurts of 2 s with 0.5 s of DTX between
        if (k % 250 < 200) sent.push_back({k, 10.0 * k + 5 + jitter(rng), k % 250 == 0});
    const auto timed = play(config, sent, 1010);
    EXPECT_EQ(timed.stats.underruns, 0u);
    EXPECT_EQ(timed.stats.played, sent.size());
    EXPECT_LT(extraFrames(timed, sent, 10), 0.01);
    // The control, untimed: from the second talkspurt on (the first starts before J has grown).
    const auto untimed = play(config, sent, 1010, false);
    const std::vector<Sent> later(sent.begin() + 200, sent.end());
    EXPECT_GE(extraFrames(untimed, later, 10), 0.99) << "the control: phase unknown";
    // And only the one: drift control compares the level before a pull with the target, so a
    // steady stream is not stretched a frame deeper than its target.
    EXPECT_LT(extraFrames(untimed, later, 10), 1.2);
    EXPECT_EQ(untimed.stats.stretched, 0u);
}

namespace {
// 20 ms frames, 5 ms before their pull, four talkspurts of 100 frames 0.4 s apart; in the
// first two, frames 40–42 are held up by a stall of the sender and come together, 55 ms after
// the first of them was due (before frame 43).
std::vector<Sent> stallsInTalkspurts()
{
    std::vector<Sent> sent;
    for (int spurt = 0; spurt < 4; ++spurt)
        for (int j = 0; j < 100; ++j) {
            const int k = spurt * 120 + j;
            double at = 20.0 * k + 15;
            if (spurt < 2 && j >= 40 && j <= 42) at = 20.0 * (spurt * 120 + 40) + 15 + 55;
            sent.push_back({k, at, j == 0});
        }
    return sent;
}
} // namespace

// A stall is remembered for Config::delayWindowMs as a peak to cover: the talkspurt after one
// starts deep enough to ride out the next, then calm shrinks the depth again. With a window
// of one packet (the control) the second stall is an underrun as well.
TEST(JitterBuffer, AStallsDelayIsCoveredForTheWindowThenForgotten)
{
    JitterBuffer::Config config;
    config.delayWindowMs = 2000;
    config.boostDecayPulls = 50; // an underrun's own extra frame is gone by the next talkspurt
    const auto sent = stallsInTalkspurts();
    const auto p = play(config, sent, 500);
    EXPECT_EQ(p.stats.underruns, 1u); // the first stall: nothing warned of it
    std::vector<Sent> second(sent.begin() + 100, sent.begin() + 200);
    std::vector<Sent> last(sent.begin() + 300, sent.end());
    EXPECT_GE(extraFrames(p, second, 20), 2.0); // 55 ms late fits in the depth
    EXPECT_LT(extraFrames(p, last, 20), 0.01);  // 2 s later the window holds no stall
    config.delayWindowMs = 20;
    EXPECT_EQ(play(config, sent, 500).stats.underruns, 2u) << "the control: no memory";
}

// Through DTX a packet comes only every 400 ms, so the window is a time, not a count of
// packets: a stall 8 s back no longer deepens the talkspurt after a pause (a count of 100
// packets, 2 s of talk, would still hold it).
TEST(JitterBuffer, AStallIsForgottenThroughAPauseToo)
{
    JitterBuffer::Config config;
    config.delayWindowMs = 2000;
    config.boostDecayPulls = 50;
    std::vector<Sent> sent;
    for (int k = 0; k < 100; ++k) // talk, with frames 40–42 stalled as above
        sent.push_back({k, k >= 40 && k <= 42 ? 20.0 * 40 + 15 + 55 : 20.0 * k + 15, k == 0});
    for (int k = 120; k < 500; k += 20) // DTX: a comfort-noise update every 400 ms
        sent.push_back({k, 20.0 * k + 15, true});
    std::vector<Sent> talk;
    for (int k = 520; k < 620; ++k)
        talk.push_back({k, 20.0 * k + 15, k == 520});
    sent.insert(sent.end(), talk.begin(), talk.end());
    const auto p = play(config, sent, 640);
    EXPECT_EQ(p.stats.underruns, 1u);
    EXPECT_LT(extraFrames(p, talk, 20), 0.01);
}

// A stall of seconds (a sender's machine asleep) is remembered too, but a start asks for no
// more than maxTargetFrames of depth: the buffer holds only capacityFrames, so a margin the
// size of the stall could never be met and the stream would stay silent until the window
// forgot it.
TEST(JitterBuffer, AStallOfSecondsDelaysTheNextStartByAtMostTheMaximumDepth)
{
    std::vector<Sent> sent;
    for (int k = 0; k < 100; ++k) // frames 40–44 held up 2 s
        sent.push_back({k, k >= 40 && k <= 44 ? 20.0 * 44 + 15 + 2000 : 20.0 * k + 15, k == 0});
    std::vector<Sent> talk;
    for (int k = 300; k < 400; ++k) // a talkspurt 4 s later, within the window
        talk.push_back({k, 20.0 * k + 15, k == 300});
    sent.insert(sent.end(), talk.begin(), talk.end());
    const JitterBuffer::Config config;
    const auto p = play(config, sent, 420);
    EXPECT_EQ(p.playedAt.count(300), 1u) << "the talkspurt was heard";
    EXPECT_LE(extraFrames(p, talk, 20), config.maxTargetFrames);
}

namespace {
// A device that pulls a stream's next frame once its last one is used up, looking every 5 ms
// period (CallEngine): a frame lasts four periods, a Late answer one, a stream not playing
// looks again next period. The sender's 500 packets come 1 ms after their RTP time, except
// those in `late` (frame -> ms later, its sender held up) and, sent in order, those right
// behind them; the device pulls until `endMs`.
struct PeriodPlayout {
    JitterBuffer::Stats stats;
    std::vector<double> waitedMs; // arrival to the pull that played it, per frame played
};
PeriodPlayout playByPeriods(JitterBuffer::Config config, const std::map<int, double>& late,
                            double endMs = 11010)
{
    JitterBuffer jb(config);
    std::vector<std::pair<qint64, quint16>> arrivals;
    for (quint16 k = 0; k < 500; ++k) {
        qint64 at = ms(1000 + 20.0 * k + 1 + (late.contains(k) ? late.at(k) : 0));
        if (k > 0) at = std::max(at, arrivals.back().first);
        arrivals.emplace_back(at, k);
    }
    std::map<int, qint64> arrivedAt; // by frame
    size_t next = 0;
    int periodsLeft = 0;
    PeriodPlayout out;
    for (double t = 1002.5; t < endMs; t += 5) {
        while (next < arrivals.size() && arrivals[next].first < ms(t)) {
            const auto [at, seq] = arrivals[next++];
            jb.push(packet(seq, seq == 0), at);
            arrivedAt[seq] = at;
        }
        if (--periodsLeft > 0) continue;
        const auto f = jb.pull(ms(t));
        periodsLeft = f.kind == Kind::Late || !jb.playing() ? 1 : 4;
        if (f.kind == Kind::Audio)
            out.waitedMs.push_back(double(ms(t) - arrivedAt[f.payload.toInt()]) / 1000.0);
    }
    out.stats = jb.stats();
    return out;
}
} // namespace

// A packet a few ms behind its pull (its sender held up with the host) is awaited a period at
// a time: a period or two of concealment, where its slot used to be skipped and the packet
// then came late to a dry buffer: an underrun and a re-prime.
TEST(JitterBuffer, APacketAFewMsLateIsAwaitedAPeriodAtATime)
{
    JitterBuffer::Config config;
    config.lateWaitUs = 20000;
    for (double lateMs : {8.0, 12.0, 18.0}) {
        const auto p = playByPeriods(config, {{100, lateMs}, {200, lateMs}, {300, lateMs}});
        EXPECT_EQ(p.stats.underruns, 0u) << lateMs;
        EXPECT_EQ(p.stats.late, 0u) << lateMs;
        EXPECT_EQ(p.stats.lost, 0u) << lateMs;
        EXPECT_EQ(p.stats.played, 500u) << lateMs;
        // The first waits; the delay it added covers the next two.
        EXPECT_GT(p.stats.waits, 0u) << lateMs;
        EXPECT_LE(p.stats.waits, quint64(std::ceil(lateMs / 5.0))) << lateMs;
        EXPECT_EQ(p.stats.waitedOut, 0u) << lateMs;
    }
    const auto control = playByPeriods({}, {{100, 12.0}});
    EXPECT_EQ(control.stats.underruns, 1u) << "the control: no waits";
    EXPECT_EQ(control.stats.waits, 0u);
}

// The delay the waits added is given back a frame at a time once the stream has come on time
// for as long as an underrun's boost lasts.
TEST(JitterBuffer, WaitsForLatePacketsGiveTheirDelayBack)
{
    JitterBuffer::Config config;
    config.lateWaitUs = 20000;
    config.boostDecayPulls = 100;
    const auto p = playByPeriods(config, {{100, 24.0}});
    EXPECT_EQ(p.stats.underruns, 0u);
    EXPECT_EQ(p.stats.lost, 0u);
    EXPECT_EQ(p.stats.dropped, 1u);
    ASSERT_EQ(p.waitedMs.size(), 499u);
    EXPECT_GT(p.waitedMs[150], p.waitedMs[50] + 15) << "the wait's delay, kept a while";
    EXPECT_NEAR(p.waitedMs.back(), p.waitedMs[50], 1.0) << "and given back";
}

// Nothing more comes (the sender fell silent, DTX): a wait runs out once and the playout clock
// runs on.
TEST(JitterBuffer, AWaitRunsOutWhenTheSenderFallsSilent)
{
    JitterBuffer::Config config;
    config.lateWaitUs = 20000;
    const auto p = playByPeriods(config, {}, 13000);
    EXPECT_EQ(p.stats.played, 500u);
    EXPECT_EQ(p.stats.waitedOut, 1u);
    EXPECT_EQ(p.stats.waits, 4u);
}
