#pragma once
// One capture + playback pair at 48 kHz mono, in fixed frames of the size start() asks for
// (the call engine's device period, a fraction of a codec frame; DESIGN §7). The call engine
// gives it two callbacks: captured frames go out through the capture sink, and each playback
// frame is pulled from the playback source when the device needs it, so the device's clock
// paces the jitter buffers. Backends: FileAudioDevice (WAV at real-time pace, for tests and
// benchmarks) and QtAudioDevice (Qt Multimedia).

#include "protocol/result.h"

#include <QObject>

#include <functional>
#include <span>

namespace plenum::media {

class AudioDevice : public QObject {
    Q_OBJECT
public:
    static constexpr int kSampleRate = 48000;
    using CaptureSink = std::function<void(std::span<const qint16>)>;
    using PlaybackSource = std::function<void(std::span<qint16>)>;

    explicit AudioDevice(QObject* parent = nullptr) : QObject(parent) {}

    void setCaptureSink(CaptureSink sink) { captureSink_ = std::move(sink); }
    void setPlaybackSource(PlaybackSource source) { playbackSource_ = std::move(source); }

    virtual Status start(int frameSamples) = 0;
    virtual void stop() = 0;
    virtual bool isRunning() const = 0;

Q_SIGNALS:
    // The device went away or failed; the engine keeps running without audio.
    void failed(QString reason);

protected:
    void deliverCapture(std::span<const qint16> frame)
    {
        if (captureSink_) captureSink_(frame);
    }
    void pullPlayback(std::span<qint16> frame)
    {
        if (playbackSource_)
            playbackSource_(frame);
        else
            std::fill(frame.begin(), frame.end(), qint16(0));
    }

private:
    CaptureSink captureSink_;
    PlaybackSource playbackSource_;
};

} // namespace plenum::media
