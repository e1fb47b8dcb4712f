#pragma once
// The media side of one device in a call (DESIGN §7): one AudioDevice, a set of links.
//
//   capture -> [echo control] -> level -> Opus (once) -> RTP (once) -> SRTP per link -> link
//   link -> SRTP -> RTP -> jitter buffer -> Opus (FEC/PLC) -> level -> mixer -> playback
//
// The device's clock paces both directions: each captured frame is sent at once, and each
// playback frame pulls one frame from every participant's jitter buffer; per frame it costs
// about an Opus encode plus N−1 decodes (FACTS.md). The device's callbacks and the links'
// datagrams run on the device's thread (an AudioThread in a real call, the event loop's in
// tests), the rest of the API on the engine's: one mutex keeps them apart, and datagrams come
// through each link's MediaPort, never through the link itself.
//
// Who is in the call is decided elsewhere (call control, core/node): the owner adds a peer's
// ControlLink when both ends are in the call and removes it when either leaves.

#include "media/audiodevice.h"
#include "media/jitterbuffer.h"
#include "media/levelmeter.h"
#include "media/loudeststreams.h"
#include "media/mixer.h"
#include "media/rtppacketizer.h"
#include "media/srtpsession.h"
#include "media/voicedecoder.h"
#include "media/voiceencoder.h"

#include "net/pimutex.h"
#include "protocol/ids.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace plenum::net {
class ControlLink;
class MediaPort;
} // namespace plenum::net

namespace plenum::media {

class EchoCanceller;

class CallEngine : public QObject {
    Q_OBJECT
public:
    struct Config {
        int frameMs = 20; // 10 for the low-latency setting; every member must use the same
        int bitrate = 32000;
        bool echoControl = true; // echo cancellation, noise suppression, gain control
        // Only the loudest few streams are decoded and mixed, by the level each sender puts in
        // its RTP header (RFC 6464): more talkers at once are noise, and decoding is most of a
        // participant's CPU in a large call (docs/media.md). 0: every stream.
        int maxMixed = 4;
        // Read by the engine's owner (NodeCall): the device and this audio work run on an
        // AudioThread of their own at a raised priority. Off: on the owner's thread.
        bool audioThread = true;
        // The device's period: it hands over and asks for this many samples at a time. Each
        // remote stream takes its next frame from its jitter buffer when its last one is used
        // up, so a stream starts (a talkspurt, a re-prime) at the next period its packet is
        // ready for, not at the next frame boundary (docs/media.md). It must divide the frame;
        // 0 (or one that does not): a frame.
        int devicePeriodSamples = 240; // 5 ms
        // A remote stream whose packet is not in when its frame is due (its sender held up a
        // few ms) conceals a period at a time for up to a frame while it waits, instead of
        // skipping the slot (then the packet came late: an underrun and a re-prime). Needs
        // periods shorter than the frame (JitterBuffer::Config::lateWaitUs).
        bool awaitLatePackets = true;
        // The clock of pulls and of arrivals not stamped by the caller, µs (tests: a manual
        // one); empty: net::PacedReceive::clockUs, the clock the links stamp arrivals with.
        std::function<qint64()> clockUs{};
    };

    struct PeerStats {
        quint64 packetsSent = 0;
        quint64 packetsReceived = 0; // unique, after SRTP and RTP checks
        quint64 lost = 0;            // RFC 3550 A.3: expected - received
        quint64 late = 0;
        quint64 concealed = 0; // frames played by FEC or PLC, and periods of `waits`
        quint64 underruns = 0;
        quint64 waits = 0; // periods concealed while a late packet was awaited
        quint64 replayed = 0;
        quint64 tampered = 0;
        quint64 malformed = 0; // bad SRTP size or bad RTP after decryption
        quint64 unmixed = 0;   // frames with audio not decoded: not among the loudest maxMixed
        double lossPercent = 0;
        double jitterMs = 0;
        int bufferMs = 0;          // jitter buffer target
        double playoutDelayMs = 0; // how long the recent frames waited in the jitter buffer
        double levelDb = -96;
        bool speaking = false;
    };

    CallEngine(AudioDevice* device, const Config& config, QObject* parent = nullptr);
    ~CallEngine() override;

    // Opens the device; frames flow until stop().
    Status start();
    void stop();
    bool isRunning() const { return running_; }

    // The peer's link must be up (its TLS exporter gives the SRTP keys). Opens the link's media
    // stream if it is not open yet; either end may do so (ControlLink resolves glare).
    Status addPeer(net::ControlLink* link);
    void removePeer(const DeviceId& peer);
    QList<DeviceId> peers() const;
    // An inaudible peer's stream runs in full (sent to, received, its jitter buffer and decoder
    // kept primed) but is not mixed into what this device plays: the standby of a hand-off
    // (docs/handoff.md "The call at the swap"), made audible the moment the swap commits.
    void setAudible(const DeviceId& peer, bool audible);
    bool isAudible(const DeviceId& peer) const;

    // Handles one datagram of `peer`'s media stream, on any thread. addPeer() makes this the
    // receiver of the link's MediaPort; tests that impair the network put their own receiver
    // there and call this themselves. `arrivedUs`: when it reached this host (steady clock,
    // µs); -1: now.
    void receiveDatagram(const DeviceId& peer, const QByteArray& datagram, qint64 arrivedUs = -1);

    void setMuted(bool muted) { muted_ = muted; }
    bool isMuted() const { return muted_; }
    // Deafened: nothing is played (the peers' streams are still received and decoded, so
    // their timelines and stats carry on and undeafening is instant).
    void setDeafened(bool deafened) { deafened_ = deafened; }
    bool isDeafened() const { return deafened_; }

    PeerStats peerStats(const DeviceId& peer) const;
    double localLevelDb() const;
    bool localSpeaking() const;
    int encoderBitrate() const;
    quint64 framesSent() const;
    const Config& config() const { return config_; }

    // Both signals come on the engine's thread, never from inside the device's callbacks: media
    // is read right before each playback pull (net::PacedReceive), and a handler may stop the
    // call.
Q_SIGNALS:
    void peerMediaDown(DeviceId peer, QString reason);
    // The first valid packet of a peer since addPeer() (call set-up time is measured to it).
    void firstPacket(DeviceId peer);

private:
    struct Peer {
        QPointer<net::ControlLink> link; // the engine's thread only
        std::shared_ptr<net::MediaPort> port;
        SrtpSession srtp;
        JitterBuffer jitter;
        VoiceDecoder decoder;
        LevelMeter meter;
        std::optional<quint32> ssrc;
        bool audible = true;
        quint64 sent = 0;
        quint64 malformed = 0;
        quint64 lastExpected = 0;
        quint64 lastReceived = 0;
        double lossPercent = 0;
        LoudestStreams::Stream loudness{}; // chosen for the mix this frame, or not
        quint64 unmixed = 0;
        // Frames with audio went undecoded (not among the loudest): the decoder resumes from
        // the last of them (VoiceDecoder::resume) when the stream is mixed again.
        bool decoderBehind = false;
        QByteArray lastUndecoded{};
        // Its current frame, decoded, mixed a period at a time; empty: none (not started, or
        // not decoded: not among the loudest).
        std::vector<qint16> pcm{};
        int pcmPos = 0;        // samples of the current frame already played
        int frameLength = 0;   // samples: a frame, or a period concealed (Frame::Kind::Late)
        bool inFrame = false;  // a current frame runs (its pcm may be empty)
        bool hasAudio = false; // the current frame has audio (a candidate for the loudest)
    };

    void onCapture(std::span<const qint16> period);
    void captureFrame();
    void onPlayback(std::span<qint16> out);
    void mix(std::span<qint16> out);
    void nextFrame(Peer& peer, JitterBuffer::Frame& frame);
    void adaptBitrate();
    int frameSamples() const { return config_.frameMs * AudioDevice::kSampleRate / 1000; }
    int periodSamples() const;
    qint64 nowUs() const;

    AudioDevice* device_;
    Config config_;
    // Everything below but the atomics, between the device's thread and the engine's.
    mutable net::PiMutex mutex_;
    VoiceEncoder encoder_;
    RtpPacketizer packetizer_;
    Mixer mixer_;
    LoudestStreams loudest_;
    LevelMeter localMeter_;
    std::unique_ptr<EchoCanceller> echo_;
    std::map<DeviceId, std::unique_ptr<Peer>> peers_;
    std::vector<std::pair<Peer*, JitterBuffer::Frame>> fetched_; // frames taken this period
    std::vector<LoudestStreams::Stream*> withAudio_; // streams whose frame has audio, audible
    std::vector<qint16> capture_;                    // filled a device period at a time
    int captureFill_ = 0;
    std::vector<qint16> played_; // what went to the speaker, gathered into a frame for echo_
    int playedFill_ = 0;
    bool running_ = false;
    std::atomic<bool> muted_ = false;
    std::atomic<bool> deafened_ = false;
    quint64 framesSent_ = 0;
    quint64 framesCaptured_ = 0;
};

} // namespace plenum::media
