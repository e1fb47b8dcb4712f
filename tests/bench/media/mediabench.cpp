// media_bench: prints one JSON object.
//  - mouth_to_ear_ms: a spoken sentence goes in at one member of a two-member call over real
//    ControlLinks on loopback (file backend, real-time pace) and is aligned with what the other
//    played; 20 and 10 ms frames, echo control on (as shipped) and off. Medians of 3 runs with
//    both devices started together: the packets come right at the listener's pulls, the worst
//    phase. mouth_to_ear_phase_mean_ms: the mean over four phases a quarter frame apart.
//  - cpu_percent_by_n: one participant's work per second of audio for N = 2, 4, 8, 16, all
//    N−1 others talking at once (the worst case; DTX makes real calls cheaper): echo control,
//    one Opus encode, one RTP packet, N−1 SRTP protects; N−1 SRTP unprotects, RTP parses,
//    jitter buffers and level meters; Opus decodes of the loudest CallEngine::Config::maxMixed
//    (LoudestStreams, as the engine does); the mix. Network I/O is not included.
#include "callmesh.h"
#include "eventloop.h"
#include "speech.h"

#include "media/echocanceller.h"
#include "media/loudeststreams.h"

#include <ctime>

#include <algorithm>
#include <cstdio>

using namespace plenum;
using namespace plenum::media;
using namespace plenum::media::test;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// `staggerUs`: the listener's device starts this long after the speaker's, which sets the
// phase of the arrivals against its pulls (0: right at them, the worst case).
double mouthToEar(const std::vector<qint16>& said, int frameMs, bool echo, int staggerUs = 0)
{
    CallMesh mesh;
    if (!mesh.connect(2) || !mesh.joinCall({.frameMs = frameMs, .echoControl = echo})) return -1;
    auto& speaker = mesh.members[0];
    auto& listener = mesh.members[1];
    speaker.device->setInput(said);
    if (!mesh.startAudio(false, staggerUs)) return -1;
    // The device counts its periods: wait for all that was said and 1 s more.
    const qint64 periods = (qint64(said.size()) + 48000) / listener.device->frameSamples();
    net::test::waitFor([&] { return listener.device->framesProcessed() >= periods; }, 20000);
    mesh.stopAudio();
    const auto a = align(said, listener.device->played(), 48000);
    // Played sample m leaves the speaker at the listener's start + one period + m.
    const double ms = a.lagSamples / 48.0 + listener.device->frameSamples() / 48.0 +
                      (listener.device->startNs() - speaker.device->startNs()) / 1e6;
    const auto& stats = listener.engine->peerStats(speaker.identity.device);
    std::fprintf(stderr,
                 "frame %d ms, echo control %d, listener %d µs behind: correlation %.3f "
                 "(windowed %.3f), delay %.1f ms, buffer %d ms (jitter %.2f ms), underruns %llu, "
                 "late %llu\n",
                 frameMs, int(echo), staggerUs, a.correlation,
                 windowedCorrelation(said, listener.device->played(), a.lagSamples), ms,
                 stats.bufferMs, stats.jitterMs, qulonglong(stats.underruns),
                 qulonglong(stats.late));
    if (a.correlation < 0.3) return -1; // no clear peak: the delay would be noise
    return ms;
}

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

QByteArray key(int peer, char direction)
{
    QByteArray k(SrtpSession::kKeySaltLength, direction);
    k[0] = char(peer);
    return k;
}

// One participant's CPU per second of audio in a call of n, in % of one core.
double cpuPercent(const std::vector<qint16>& speech, int n, int seconds)
{
    constexpr int kFrame = 960;
    const int frames = seconds * 50;
    const int remotes = n - 1;
    // The others' packets, prepared beforehand (their CPU is theirs): each says the sentence
    // from a different point, protected with its key towards us.
    std::vector<std::vector<QByteArray>> incoming(static_cast<size_t>(remotes));
    for (int r = 0; r < remotes; ++r) {
        auto enc = VoiceEncoder::create({}).value();
        RtpPacketizer rtp;
        auto srtp = SrtpSession::create(key(r, 'r'), key(r, 'l')).value();
        for (int f = 0; f < frames; ++f) {
            const size_t at = (size_t(f + r * 37) * kFrame) % (speech.size() - kFrame);
            auto packet = rtp.next(enc.encode(speech.data() + at).value(), kFrame);
            if (packet)
                packet->audioLevel =
                    LoudestStreams::levelOf(std::span(speech.data() + at, size_t(kFrame)));
            incoming[size_t(r)].push_back(packet ? srtp.protect(packet->encode().value()).value()
                                                 : QByteArray());
        }
    }
    // The participant.
    auto encoder = VoiceEncoder::create({}).value();
    RtpPacketizer packetizer;
    EchoCanceller echo(kFrame);
    Mixer mixer(kFrame);
    LevelMeter localMeter;
    struct Remote {
        SrtpSession srtp;
        JitterBuffer jitter;
        VoiceDecoder decoder;
        LevelMeter meter;
        LoudestStreams::Stream loudness{};
    };
    std::vector<Remote> peers;
    for (int r = 0; r < remotes; ++r)
        peers.push_back({SrtpSession::create(key(r, 'l'), key(r, 'r')).value(), JitterBuffer(),
                         VoiceDecoder::create().value(), LevelMeter()});
    const LoudestStreams loudest(CallEngine::Config{}.maxMixed); // as CallEngine
    std::vector<JitterBuffer::Frame> pulled(peers.size());
    std::vector<LoudestStreams::Stream*> withAudio;
    std::vector<qint16> mic(kFrame), out(kFrame), scratch(kFrame);
    quint64 sent = 0;
    const double t0 = threadCpuSeconds();
    for (int f = 0; f < frames; ++f) {
        // Receive what arrived in this frame period.
        for (int r = 0; r < remotes; ++r) {
            const QByteArray& d = incoming[size_t(r)][size_t(f)];
            if (d.isEmpty()) continue;
            auto plain = peers[size_t(r)].srtp.unprotect(d);
            if (!plain) continue;
            auto packet = RtpPacket::decode(plain.value());
            if (packet) peers[size_t(r)].jitter.push(packet.value(), qint64(f) * 20000);
        }
        // Playback: pull, choose the loudest, decode, meter, mix.
        mixer.clear();
        withAudio.clear();
        for (size_t i = 0; i < peers.size(); ++i) {
            pulled[i] = peers[i].jitter.pull();
            if (LoudestStreams::hear(peers[i].loudness, pulled[i]))
                withAudio.push_back(&peers[i].loudness);
        }
        loudest.choose(withAudio);
        for (size_t i = 0; i < peers.size(); ++i) {
            auto& p = peers[i];
            const auto& frame = pulled[i];
            if (frame.kind != JitterBuffer::Frame::Kind::Silence && !p.loudness.mixed) {
                p.meter.updateDb(LoudestStreams::reportedDb(frame));
                continue;
            }
            if (frame.kind == JitterBuffer::Frame::Kind::Audio)
                (void)p.decoder.decode(frame.payload, scratch.data(), kFrame);
            else if (frame.kind == JitterBuffer::Frame::Kind::Lost)
                (void)p.decoder.conceal(frame.next, scratch.data(), kFrame);
            else
                std::fill(scratch.begin(), scratch.end(), qint16(0));
            p.meter.update(scratch);
            mixer.add(scratch);
        }
        mixer.read(out);
        echo.playback(out);
        // Capture: echo control, meter, encode once, protect per link.
        const size_t at = (size_t(f) * kFrame) % (speech.size() - kFrame);
        std::copy_n(speech.begin() + qsizetype(at), kFrame, mic.begin());
        echo.capture(mic);
        localMeter.update(mic);
        auto packet = packetizer.next(encoder.encode(mic.data()).value(), kFrame);
        if (!packet) continue;
        const QByteArray rtp = packet->encode().value();
        for (auto& p : peers)
            sent += p.srtp.protect(rtp).ok();
    }
    const double cpu = threadCpuSeconds() - t0;
    return 100.0 * cpu / seconds;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    auto said = spokenWords("One, two, three. Can you hear me now?");
    if (!said) {
        std::fprintf(stderr, "%s\n", qPrintable(said.error()));
        return 1;
    }
    // One JSON object per measure: a value for each frame size, with and without echo control.
    auto byFrame = [](const char* name, const auto& measure) {
        std::printf("\"%s\": {", name);
        bool first = true;
        for (int frameMs : {20, 10})
            for (bool echo : {true, false}) {
                std::printf("%s\"frame_%d_ms%s\": %.1f", first ? "" : ", ", frameMs,
                            echo ? "" : "_no_echo_control", measure(frameMs, echo));
                first = false;
                std::fflush(stdout);
            }
        std::printf("}");
    };
    std::printf("{");
    byFrame("mouth_to_ear_ms", [&](int frameMs, bool echo) {
        std::vector<double> runs;
        for (int i = 0; i < 3; ++i)
            runs.push_back(mouthToEar(said.value(), frameMs, echo));
        return median(runs);
    });
    // Two machines' devices are not in phase: the same, with the listener's device started
    // 0, ¼, ½ and ¾ of a frame after the speaker's, one run each; their mean.
    std::printf(", ");
    byFrame("mouth_to_ear_phase_mean_ms", [&](int frameMs, bool echo) {
        double sum = 0;
        for (int quarter = 0; quarter < 4; ++quarter)
            sum += mouthToEar(said.value(), frameMs, echo, quarter * frameMs * 250);
        return sum / 4;
    });
    std::printf(", \"cpu_percent_by_n\": {");
    bool first = true;
    for (int n : {2, 4, 8, 16}) {
        if (argc > 1) break; // media_bench latency: skip the CPU part
        std::vector<double> runs;
        for (int i = 0; i < 3; ++i)
            runs.push_back(cpuPercent(said.value(), n, 10));
        std::printf("%s\"%d\": %.2f", first ? "" : ", ", n, median(runs));
        first = false;
        std::fflush(stdout);
    }
    std::printf("}}\n");
    return 0;
}
