#include "media/fileaudiodevice.h"

#include "media/wavfile.h"

#include <algorithm>
#include <chrono>

namespace plenum::media {

FileAudioDevice::FileAudioDevice(QObject* parent) : AudioDevice(parent), timer_(this)
{
    timer_.setTimerType(Qt::PreciseTimer);
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, &FileAudioDevice::onTick);
}

FileAudioDevice::~FileAudioDevice()
{
    stop();
}

qint64 FileAudioDevice::steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void FileAudioDevice::setInput(std::vector<qint16> samples, bool loop)
{
    input_ = std::move(samples);
    loop_ = loop;
    inputFrom_ = running_ ? size_t(frames_) * size_t(frameSamples_) : 0;
}

Status FileAudioDevice::setOutputFile(const QString& wavPath)
{
    Status written = Ok{};
    if (running_ && !outputPath_.isEmpty())
        written =
            WavFile::write(outputPath_, {played_.begin() + qsizetype(outputFrom_), played_.end()});
    outputPath_ = wavPath;
    outputFrom_ = running_ ? played_.size() : 0;
    return written;
}

Status FileAudioDevice::setInputFile(const QString& wavPath, bool loop)
{
    auto samples = WavFile::read(wavPath);
    if (!samples) return Error{samples.error()};
    setInput(std::move(samples.value()), loop);
    return Ok{};
}

Status FileAudioDevice::start(int frameSamples)
{
    if (running_) return fail(QStringLiteral("the file audio device is already running"));
    if (frameSamples <= 0 || frameSamples > kSampleRate)
        return fail(QStringLiteral("a frame of %1 samples is not usable").arg(frameSamples));
    begin(frameSamples);
    running_ = true;
    if (!manual_) armTimer();
    return Ok{};
}

void FileAudioDevice::begin(int frameSamples)
{
    frameSamples_ = frameSamples;
    frame_.assign(size_t(frameSamples), 0);
    played_.clear();
    playedBase_ = 0;
    inputFrom_ = outputFrom_ = 0;
    frames_ = lateTicks_ = 0;
    startNs_ = steadyNowNs();
}

Status FileAudioDevice::runUnpaced(int frameSamples, qint64 frames)
{
    if (running_) return fail(QStringLiteral("the file audio device is running in real time"));
    if (frameSamples <= 0 || frameSamples > kSampleRate)
        return fail(QStringLiteral("a frame of %1 samples is not usable").arg(frameSamples));
    begin(frameSamples);
    for (qint64 i = 0; i < frames; ++i)
        processFrame();
    if (!outputPath_.isEmpty()) return WavFile::write(outputPath_, played_);
    return Ok{};
}

void FileAudioDevice::step()
{
    if (running_ && manual_) processFrame();
}

void FileAudioDevice::stop()
{
    if (!running_) return;
    timer_.stop();
    running_ = false;
    if (!outputPath_.isEmpty()) {
        if (auto ok = WavFile::write(outputPath_,
                                     {played_.begin() + qsizetype(outputFrom_), played_.end()});
            !ok)
            Q_EMIT failed(ok.error());
    }
}

void FileAudioDevice::onTick()
{
    const qint64 frameNs = qint64(frameSamples_) * 1'000'000'000 / kSampleRate;
    const qint64 due = (steadyNowNs() - startNs_) / frameNs; // frames completed by now
    if (due - frames_ > 1) ++lateTicks_;
    // A late wakeup (the process was not scheduled) finds several frames due. They are made
    // up a few per event-loop turn, not all in one: one frame costs a few ms of CPU (echo
    // control, encode, N-1 decodes), so after a 500 ms stall the catch-up alone kept a starved
    // process from reading its sockets and sending its link pings for seconds, which its peers
    // took for death (issue 14). The timeline is kept: nothing is skipped, only interleaved.
    for (int i = 0; i < kFramesPerTurn && running_ && frames_ < due; ++i)
        processFrame();
    if (!running_ || manual_) return;
    if (frames_ < due)
        timer_.start(0); // the rest after whatever else is waiting
    else
        armTimer();
}

void FileAudioDevice::armTimer()
{
    // Wake when the next frame is complete (rounded up to the timer's millisecond), not on a
    // fixed beat: one wakeup per frame instead of two, and a frame leaves at most about a
    // millisecond after it was complete instead of up to half a frame (which the jitter
    // buffer of every listener had to absorb).
    const qint64 frameNs = qint64(frameSamples_) * 1'000'000'000 / kSampleRate;
    const qint64 nextNs = startNs_ + (frames_ + 1) * frameNs;
    const qint64 waitNs = std::max<qint64>(0, nextNs - steadyNowNs());
    timer_.start(int((waitNs + 999'999) / 1'000'000));
}

void FileAudioDevice::processFrame()
{
    // Capture frame k covers [k, k+1) frame periods and is complete at the end of it.
    const size_t at = size_t(frames_) * size_t(frameSamples_);
    for (size_t i = 0; i < frame_.size(); ++i) {
        size_t pos = at + i - inputFrom_;
        if (loop_ && !input_.empty()) pos %= input_.size();
        float v = pos < input_.size() ? input_[pos] : 0.f;
        // Played sample m leaves the speaker one frame after it was pulled (see the header).
        for (const auto& tap : echoPath_) {
            const qint64 m = qint64(at + i) - frameSamples_ - tap.delaySamples - playedBase_;
            if (m >= 0 && m < qint64(played_.size())) v += tap.gain * played_[size_t(m)];
        }
        frame_[i] = qint16(std::clamp(v, -32768.f, 32767.f));
    }
    deliverCapture(frame_);
    // Playback frame k is pulled now and leaves the speaker over the next period.
    pullPlayback(frame_);
    played_.insert(played_.end(), frame_.begin(), frame_.end());
    ++frames_;
    trimPlayed();
}

void FileAudioDevice::trimPlayed()
{
    if (keepPlayed_ || !outputPath_.isEmpty()) return;
    // The echo path reaches back its longest delay plus the frame in the speaker.
    int reach = 0;
    for (const auto& tap : echoPath_)
        reach = std::max(reach, tap.delaySamples);
    const size_t keep = size_t(reach) + 2 * size_t(frameSamples_);
    if (played_.size() < 2 * keep + 48000) return; // trim in chunks, not every frame
    const size_t drop = played_.size() - keep;
    played_.erase(played_.begin(), played_.begin() + qsizetype(drop));
    playedBase_ += qint64(drop);
    outputFrom_ = 0; // no output file: nothing from played_ is written
}

} // namespace plenum::media
