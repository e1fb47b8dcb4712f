#pragma once
// The file/virtual audio backend: "captures" from a sample buffer (or a WAV file) and
// "plays" into memory (and, on stop, a WAV file), frame by frame at real-time pace on the
// event loop, like a sound card with one frame of buffering each way. Tests and benchmarks
// measure latency and quality with it: capture sample i happens at startNs + i/48 kHz, and
// played sample m leaves the speaker at startNs + frame + m/48 kHz.

#include "media/audiodevice.h"

#include <QTimer>

#include <vector>

namespace plenum::media {

class FileAudioDevice : public AudioDevice {
    Q_OBJECT
public:
    explicit FileAudioDevice(QObject* parent = nullptr);
    ~FileAudioDevice() override;

    // What the microphone hears; silence after its end unless `loop`. While running, the new
    // input starts at once from its beginning (plenum-peer's audio_in mid-call).
    void setInput(std::vector<qint16> samples, bool loop = false);
    Status setInputFile(const QString& wavPath, bool loop = false);
    // A virtual room: the microphone also hears the speaker through these reflections
    // (delay in samples after the sample left the speaker, linear gain). Used to test echo
    // cancellation.
    struct EchoTap {
        int delaySamples = 0;
        float gain = 0;
    };
    void setEchoPath(std::vector<EchoTap> taps) { echoPath_ = std::move(taps); }
    // Where the speaker's samples go when the device stops (empty: memory only). While
    // running, what was played so far goes to the previous file now and the new file gets
    // what is played from now on (plenum-peer's audio_out mid-call).
    Status setOutputFile(const QString& wavPath);

    Status start(int frameSamples) override;
    // Manual clock: start() arms no timer and the owner calls step() for each frame. Tests that
    // must not depend on the machine's scheduling drive several devices in lockstep this way.
    void setManualClock(bool manual) { manual_ = manual; }
    void step();
    // Runs `frames` frames at once, unpaced (virtual time): for offline quality tests and CPU
    // benchmarks. The device must not be running.
    Status runUnpaced(int frameSamples, qint64 frames);
    void stop() override;
    bool isRunning() const override { return running_; }

    // Everything played since start() (tests compare it with what was said). `keep` false: only
    // what an output file or the echo path still needs is kept, so a long call does not grow
    // memory by 96 kB a second (plenum-peer; played() then holds only that tail).
    void setKeepPlayed(bool keep) { keepPlayed_ = keep; }
    const std::vector<qint16>& played() const { return played_; }
    qint64 startNs() const { return startNs_; } // steady clock
    int frameSamples() const { return frameSamples_; }
    qint64 framesProcessed() const { return frames_; }
    // Ticks that found more than one frame due: the event loop was late (an underrun on a
    // real card).
    qint64 lateTicks() const { return lateTicks_; }

    static qint64 steadyNowNs();
    // Frames made up per event-loop turn when the device wakes late (see onTick).
    static constexpr int kFramesPerTurn = 2;

private:
    void onTick();
    void armTimer();
    void begin(int frameSamples);
    void processFrame();
    void trimPlayed();

    std::vector<qint16> input_;
    size_t inputFrom_ = 0; // sample clock position where input_ started
    bool loop_ = false;
    size_t outputFrom_ = 0; // first sample of played_ that belongs to outputPath_
    QString outputPath_;
    std::vector<qint16> played_;
    qint64 playedBase_ = 0; // sample clock position of played_[0]
    bool keepPlayed_ = true;
    std::vector<qint16> frame_;
    std::vector<EchoTap> echoPath_;
    QTimer timer_; // a child: it moves with the device to the audio thread
    bool running_ = false;
    bool manual_ = false;
    int frameSamples_ = 0;
    qint64 startNs_ = 0;
    qint64 frames_ = 0;
    qint64 lateTicks_ = 0;
};

} // namespace plenum::media
