#include "media/callengine.h"

#include "media/audiothread.h"
#include "media/echocanceller.h"

#include "net/controllink.h"
#include "net/mediaport.h"
#include "net/pacedreceive.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace plenum::media {

namespace {

CallEngine::Config withValidFrame(CallEngine::Config config)
{
    config.frameMs = config.frameMs == 10 ? 10 : 20; // VoiceEncoder offers these two
    return config;
}

// Re-evaluate the loss-driven bitrate once per second of audio.
constexpr int kAdaptEveryMs = 1000;

// Appends one device period to `frame` at `fill`; true when that completes the frame (and
// `fill` starts over).
bool gather(std::vector<qint16>& frame, int& fill, std::span<const qint16> period)
{
    std::copy(period.begin(), period.end(), frame.begin() + fill);
    fill += int(period.size());
    if (fill < int(frame.size())) return false;
    fill = 0;
    return true;
}

} // namespace

CallEngine::CallEngine(AudioDevice* device, const Config& config, QObject* parent)
    : QObject(parent), device_(device), config_(withValidFrame(config)),
      encoder_(
          VoiceEncoder::create({.frameMs = config_.frameMs, .bitrate = config_.bitrate}).value()),
      mixer_(periodSamples()), loudest_(config_.maxMixed),
      localMeter_({.frameMs = config_.frameMs}), capture_(size_t(frameSamples())),
      played_(size_t(frameSamples()))
{
    if (config_.echoControl) echo_ = std::make_unique<EchoCanceller>(frameSamples());
    connect(device_, &AudioDevice::failed, this, [](const QString& reason) {
        qWarning("plenum media: audio device failed: %s", qPrintable(reason));
    });
}

CallEngine::~CallEngine()
{
    stop();
    // No link's reader may call into this engine from here on.
    for (auto& [id, peer] : peers_)
        peer->port->setReceiver({});
    // The device's thread ran its last callback before stop() returned; taking the lock it
    // held says so to ThreadSanitizer too (Qt's blocking call is not instrumented).
    std::lock_guard lock(mutex_);
}

Status CallEngine::start()
{
    if (running_) return Ok{};
    Status started = Ok{};
    runOnThreadOf(device_, [&] {
        device_->setCaptureSink([this](std::span<const qint16> frame) { onCapture(frame); });
        device_->setPlaybackSource([this](std::span<qint16> out) { onPlayback(out); });
        {
            // Fresh frames on both sides of the device.
            std::lock_guard lock(mutex_);
            captureFill_ = playedFill_ = 0;
            for (auto& [id, peer] : peers_) {
                peer->inFrame = peer->hasAudio = false;
                peer->pcm.clear();
            }
        }
        started = device_->start(periodSamples());
    });
    if (!started) return started;
    running_ = true;
    return Ok{};
}

void CallEngine::stop()
{
    if (!running_) return;
    running_ = false;
    runOnThreadOf(device_, [this] {
        device_->stop();
        device_->setCaptureSink({});
        device_->setPlaybackSource({});
    });
}

Status CallEngine::addPeer(net::ControlLink* link)
{
    if (!link || link->state() != net::ControlLink::State::Up)
        return fail(QStringLiteral("a call needs the peer's control link up"));
    const DeviceId id = link->peer();
    if (peers_.count(id)) return Ok{};
    auto keys = link->srtpKeys(SrtpSession::kKeySaltLength);
    if (!keys) return Error{keys.error()};
    auto srtp = SrtpSession::create(keys->local, keys->remote);
    if (!srtp) return Error{srtp.error()};
    auto decoder = VoiceDecoder::create();
    if (!decoder) return Error{decoder.error()};
    const bool awaitLate = config_.awaitLatePackets && periodSamples() < frameSamples();
    auto peer = std::unique_ptr<Peer>(new Peer{
        link,
        link->mediaPort(),
        std::move(srtp.value()),
        JitterBuffer({.frameMs = config_.frameMs,
                      .maxTargetFrames = 300 / config_.frameMs,
                      .capacityFrames = 1000 / config_.frameMs,
                      .highWaterPulls = 500 / config_.frameMs,
                      .lowWaterPulls = 1000 / config_.frameMs,
                      .boostDecayPulls = 10000 / config_.frameMs,
                      // A stream starts at the first device period its packets are ready for,
                      // so no wait for a frame boundary adds slack: the guard holds what that
                      // wait used to, 4 ms; 2 ms when a packet that comes a hair late is
                      // awaited a period (Config::awaitLatePackets, up to a frame) rather than
                      // an underrun (docs/media.md).
                      .startGuardUs = awaitLate ? 2000 : 4000,
                      .lateWaitUs = awaitLate ? config_.frameMs * 1000 : 0}),
        std::move(decoder.value()),
        LevelMeter({.frameMs = config_.frameMs}),
        std::nullopt,
    });
    auto port = peer->port;
    connect(
        link, &net::ControlLink::mediaDown, this,
        [this, id, link](const QString& reason) {
            // A stream the peer restarted meanwhile is up again under the same link: not down.
            {
                std::lock_guard lock(mutex_);
                auto it = peers_.find(id);
                if (it == peers_.end() || it->second->link != link) return;
            }
            if (link->isMediaUp()) return;
            Q_EMIT peerMediaDown(id, reason);
        },
        Qt::QueuedConnection);
    {
        std::lock_guard lock(mutex_);
        peers_.emplace(id, std::move(peer));
    }
    // On the thread that reads the link's media: the call's audio thread.
    port->setReceiver(
        [this, id](const QByteArray& d, qint64 arrivedUs) { receiveDatagram(id, d, arrivedUs); });
    if (!link->isMediaUp()) {
        if (auto ok = link->startMedia(); !ok) {
            removePeer(id);
            return ok;
        }
    }
    return Ok{};
}

void CallEngine::removePeer(const DeviceId& id)
{
    std::unique_ptr<Peer> peer;
    {
        std::lock_guard lock(mutex_);
        auto it = peers_.find(id);
        if (it == peers_.end()) return;
        peer = std::move(it->second);
        peers_.erase(it);
    }
    peer->port->setReceiver({}); // a datagram being read now is dropped (no peer)
    if (auto* link = peer->link.data()) {
        disconnect(link, nullptr, this, nullptr);
        link->stopMedia();
    }
}

void CallEngine::setAudible(const DeviceId& id, bool audible)
{
    std::lock_guard lock(mutex_);
    if (auto it = peers_.find(id); it != peers_.end()) it->second->audible = audible;
}

bool CallEngine::isAudible(const DeviceId& id) const
{
    std::lock_guard lock(mutex_);
    auto it = peers_.find(id);
    return it != peers_.end() && it->second->audible;
}

double CallEngine::localLevelDb() const
{
    std::lock_guard lock(mutex_);
    return localMeter_.levelDb();
}

bool CallEngine::localSpeaking() const
{
    std::lock_guard lock(mutex_);
    return localMeter_.speaking() && !muted_;
}

int CallEngine::encoderBitrate() const
{
    std::lock_guard lock(mutex_);
    return encoder_.bitrate();
}

quint64 CallEngine::framesSent() const
{
    std::lock_guard lock(mutex_);
    return framesSent_;
}

QList<DeviceId> CallEngine::peers() const
{
    std::lock_guard lock(mutex_);
    QList<DeviceId> out;
    for (const auto& [id, peer] : peers_)
        out.append(id);
    return out;
}

void CallEngine::receiveDatagram(const DeviceId& id, const QByteArray& datagram, qint64 arrivedUs)
{
    std::lock_guard lock(mutex_);
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    Peer& peer = *it->second;
    auto plain = peer.srtp.unprotect(datagram); // counts replayed / tampered itself
    if (!plain) return;
    auto packet = RtpPacket::decode(plain.value());
    if (!packet || packet->payloadType != RtpPacket::kOpusPayloadType) {
        ++peer.malformed;
        return;
    }
    if (peer.ssrc && *peer.ssrc != packet->ssrc) {
        // The peer restarted its stream (RFC 3550 §8.2): start its playout afresh.
        peer.jitter = JitterBuffer(peer.jitter.config());
        peer.decoder = VoiceDecoder::create().value();
        peer.decoderBehind = false;
        peer.lastUndecoded.clear();
        peer.lastExpected = peer.lastReceived = 0;
    }
    const bool first = !peer.ssrc;
    peer.ssrc = packet->ssrc;
    peer.jitter.push(packet.value(), arrivedUs >= 0 ? arrivedUs : nowUs());
    if (first)
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT firstPacket(id); }, Qt::QueuedConnection);
}

qint64 CallEngine::nowUs() const
{
    return config_.clockUs ? config_.clockUs() : net::PacedReceive::clockUs();
}

int CallEngine::periodSamples() const
{
    const int period = config_.devicePeriodSamples;
    return period > 0 && frameSamples() % period == 0 ? period : frameSamples();
}

void CallEngine::onCapture(std::span<const qint16> period)
{
    if (int(period.size()) != periodSamples()) return;
    std::lock_guard lock(mutex_);
    if (gather(capture_, captureFill_, period)) captureFrame();
}

void CallEngine::captureFrame()
{
    if (echo_) echo_->capture(capture_);
    const double captureDb = LevelMeter::rmsDb(capture_); // for the meter and the packet
    localMeter_.updateDb(captureDb);
    ++framesCaptured_;
    if (framesCaptured_ % quint64(kAdaptEveryMs / config_.frameMs) == 0) adaptBitrate();
    if (muted_) {
        // Nothing at all goes out (not even DTX's comfort-noise updates every 400 ms); the
        // timestamp runs on, and the first packet after unmuting carries the marker.
        (void)packetizer_.next(QByteArray(), frameSamples());
        return;
    }

    auto opus = encoder_.encode(capture_.data());
    if (!opus) return;
    auto packet = packetizer_.next(opus.value(), frameSamples());
    if (!packet) return;
    packet->audioLevel = LoudestStreams::levelOf(captureDb);
    auto rtp = packet->encode(); // encode once ...
    if (!rtp) return;
    ++framesSent_;
    for (auto& [id, peer] : peers_) { // ... protect per link
        if (!peer->port->isUp()) continue;
        auto srtp = peer->srtp.protect(rtp.value());
        if (srtp && peer->port->send(srtp.value())) ++peer->sent;
    }
}

void CallEngine::onPlayback(std::span<qint16> out)
{
    net::PacedReceive::drain(); // every datagram that came since the last pull
    if (int(out.size()) != periodSamples()) {
        std::fill(out.begin(), out.end(), qint16(0));
        return;
    }
    std::lock_guard lock(mutex_);
    mix(out);
}

void CallEngine::mix(std::span<qint16> out)
{
    const int p = periodSamples();
    // Streams whose frame is used up take their next one now; every stream's playout clock
    // runs whether or not it is heard. One that has not started looks again next period:
    // its talkspurt starts at the first period its packets are ready for.
    fetched_.clear();
    const qint64 pulledAt = nowUs();
    for (auto& [id, peer] : peers_) {
        if (peer->inFrame) continue;
        JitterBuffer::Frame frame = peer->jitter.pull(pulledAt);
        peer->hasAudio = LoudestStreams::hear(peer->loudness, frame);
        if (!peer->jitter.playing()) continue; // waiting: nothing to play yet
        peer->inFrame = true;
        peer->pcmPos = 0;
        fetched_.emplace_back(peer.get(), std::move(frame));
    }
    if (!fetched_.empty()) {
        withAudio_.clear();
        for (auto& [id, peer] : peers_)
            if (peer->hasAudio && peer->audible) withAudio_.push_back(&peer->loudness);
        loudest_.choose(withAudio_);
        for (auto& [peer, frame] : fetched_)
            nextFrame(*peer, frame);
    }
    mixer_.clear();
    for (auto& [id, peer] : peers_) {
        if (!peer->inFrame) continue;
        if (!peer->pcm.empty() && peer->audible)
            mixer_.add(std::span<const qint16>(peer->pcm).subspan(size_t(peer->pcmPos), size_t(p)));
        peer->pcmPos += p;
        if (peer->pcmPos >= peer->frameLength) peer->inFrame = false;
    }
    mixer_.read(out);
    if (deafened_) std::fill(out.begin(), out.end(), qint16(0));
    if (echo_ && gather(played_, playedFill_, out)) echo_->playback(played_);
}

void CallEngine::nextFrame(Peer& peer, JitterBuffer::Frame& frame)
{
    const int n = frameSamples();
    peer.pcm.clear();
    peer.frameLength = frame.kind == JitterBuffer::Frame::Kind::Late ? periodSamples() : n;
    if (frame.kind == JitterBuffer::Frame::Kind::Late) {
        // A period's concealment while its packet is awaited; the meter holds its level.
        if (!peer.audible || peer.decoderBehind) return;
        peer.pcm.assign(size_t(peer.frameLength), 0);
        (void)peer.decoder.conceal({}, peer.pcm.data(), peer.frameLength);
        return;
    }
    if (peer.audible && !peer.loudness.mixed && frame.kind != JitterBuffer::Frame::Kind::Silence) {
        // Not among the loudest: not decoded; its meter follows the level it sent.
        peer.meter.updateDb(LoudestStreams::reportedDb(frame));
        ++peer.unmixed;
        peer.decoderBehind = true;
        peer.lastUndecoded = frame.kind == JitterBuffer::Frame::Kind::Audio
                                 ? std::move(frame.payload)
                                 : QByteArray();
        return;
    }
    if (peer.decoderBehind) {
        // After a pause (DTX) the packet before the gap is no guide: resume unwarmed.
        peer.decoder.resume(frame.kind == JitterBuffer::Frame::Kind::Silence ? QByteArray()
                                                                             : peer.lastUndecoded,
                            n);
        peer.decoderBehind = false;
        peer.lastUndecoded.clear();
    }
    peer.pcm.assign(size_t(n), 0);
    switch (frame.kind) {
    case JitterBuffer::Frame::Kind::Audio:
        (void)peer.decoder.decode(frame.payload, peer.pcm.data(), n);
        break;
    case JitterBuffer::Frame::Kind::Lost:
        (void)peer.decoder.conceal(frame.next, peer.pcm.data(), n);
        break;
    case JitterBuffer::Frame::Kind::Silence:
    case JitterBuffer::Frame::Kind::Late: // handled above
        break;
    }
    peer.meter.update(peer.pcm);
    if (frame.kind == JitterBuffer::Frame::Kind::Silence) peer.pcm.clear(); // nothing to add
}

void CallEngine::adaptBitrate()
{
    // Without RTCP receiver reports yet, the loss we see from each peer stands in for the loss
    // our packets see on the same (symmetric, one-hop) path; the worst link sets the FEC level
    // because one encoding serves all links.
    int worst = 0;
    for (auto& [id, peer] : peers_) {
        const auto s = peer->jitter.stats();
        const quint64 expected = s.expected - peer->lastExpected;
        const quint64 received = s.received - peer->lastReceived;
        peer->lastExpected = s.expected;
        peer->lastReceived = s.received;
        peer->lossPercent = expected > 0 && received < expected
                                ? 100.0 * double(expected - received) / expected
                                : 0.0;
        worst = std::max(worst, int(std::lround(peer->lossPercent)));
    }
    if (worst != encoder_.lossPercent()) encoder_.adaptToLoss(worst);
}

CallEngine::PeerStats CallEngine::peerStats(const DeviceId& id) const
{
    std::lock_guard lock(mutex_);
    PeerStats out;
    auto it = peers_.find(id);
    if (it == peers_.end()) return out;
    const Peer& peer = *it->second;
    const auto j = peer.jitter.stats();
    const auto& c = peer.srtp.counters();
    out.packetsSent = peer.sent;
    out.packetsReceived = j.received;
    out.lost = j.expected > j.received ? j.expected - j.received : 0;
    out.late = j.late;
    out.concealed = peer.decoder.fecRecovered() + peer.decoder.concealed();
    out.underruns = j.underruns;
    out.waits = j.waits;
    out.replayed = c.replayed;
    out.tampered = c.tampered;
    out.malformed = c.malformed + peer.malformed;
    out.unmixed = peer.unmixed;
    out.lossPercent = peer.lossPercent;
    out.jitterMs = j.jitterMs;
    out.bufferMs = j.targetFrames * config_.frameMs;
    out.playoutDelayMs = j.playoutDelayMs;
    out.levelDb = peer.meter.levelDb();
    out.speaking = peer.meter.speaking();
    return out;
}

} // namespace plenum::media
