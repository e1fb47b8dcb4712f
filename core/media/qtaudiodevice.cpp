#include "media/qtaudiodevice.h"

#include <QAudioFormat>
#include <QAudioSink>
#include <QAudioSource>
#include <QMediaDevices>

#include <algorithm>
#include <cstring>

namespace plenum::media {

namespace {
// The sound server's buffers: four periods, and never less than 40 ms, since the period may
// be a few ms (CallEngine::Config::devicePeriodSamples) and a busy loop or PulseAudio need more
// room than that.
qsizetype bufferBytesFor(int periodSamples)
{
    return qsizetype(std::max(periodSamples * 4, AudioDevice::kSampleRate / 25)) * 2;
}
// The sink's free space is looked at this often; each look writes every period that fits.
constexpr int kFeedMs = 5;

QAudioFormat callFormat()
{
    QAudioFormat f;
    f.setSampleRate(AudioDevice::kSampleRate);
    f.setChannelCount(1);
    f.setSampleFormat(QAudioFormat::Int16);
    return f;
}
} // namespace

QtAudioDevice::QtAudioDevice(QObject* parent)
    : AudioDevice(parent), devices_(new QMediaDevices(this)), feeder_(this)
{
    connect(devices_, &QMediaDevices::audioInputsChanged, this, &QtAudioDevice::onDevicesChanged);
    connect(devices_, &QMediaDevices::audioOutputsChanged, this, &QtAudioDevice::onDevicesChanged);
    feeder_.setTimerType(Qt::PreciseTimer);
    connect(&feeder_, &QTimer::timeout, this, &QtAudioDevice::feedSink);
}

QtAudioDevice::~QtAudioDevice()
{
    stop();
}

QList<QAudioDevice> QtAudioDevice::inputs()
{
    return QMediaDevices::audioInputs();
}

QList<QAudioDevice> QtAudioDevice::outputs()
{
    return QMediaDevices::audioOutputs();
}

QAudioDevice QtAudioDevice::pick(const QByteArray& id, bool input) const
{
    const auto list = input ? inputs() : outputs();
    for (const auto& d : list)
        if (!id.isEmpty() && d.id() == id) return d;
    return input ? QMediaDevices::defaultAudioInput() : QMediaDevices::defaultAudioOutput();
}

void QtAudioDevice::setInputDevice(const QByteArray& id)
{
    inputId_ = id;
    if (running_) {
        closeInput();
        if (auto ok = openInput(); !ok) Q_EMIT failed(ok.error());
    }
}

void QtAudioDevice::setOutputDevice(const QByteArray& id)
{
    outputId_ = id;
    if (running_) {
        closeOutput();
        if (auto ok = openOutput(); !ok) Q_EMIT failed(ok.error());
    }
}

Status QtAudioDevice::start(int frameSamples)
{
    if (running_) return fail(QStringLiteral("the audio device is already running"));
    if (frameSamples <= 0 || frameSamples > kSampleRate)
        return fail(QStringLiteral("a frame of %1 samples is not usable").arg(frameSamples));
    frameSamples_ = frameSamples;
    frame_.assign(size_t(frameSamples), 0);
    captured_ = played_ = 0;
    if (auto ok = openInput(); !ok) return ok;
    if (auto ok = openOutput(); !ok) {
        closeInput();
        return ok;
    }
    running_ = true;
    return Ok{};
}

void QtAudioDevice::stop()
{
    if (!running_) return;
    running_ = false;
    closeInput();
    closeOutput();
}

Status QtAudioDevice::openInput()
{
    input_ = pick(inputId_, true);
    if (input_.isNull()) return fail(QStringLiteral("there is no microphone"));
    if (!input_.isFormatSupported(callFormat()))
        return fail(QStringLiteral("the microphone %1 cannot record 48 kHz mono 16-bit")
                        .arg(input_.description()));
    source_ = new QAudioSource(input_, callFormat(), this);
    source_->setBufferSize(bufferBytesFor(frameSamples_));
    connect(source_, &QAudioSource::stateChanged, this, [this] {
        if (source_ && source_->error() != QAudio::NoError &&
            source_->error() != QAudio::UnderrunError)
            Q_EMIT failed(QStringLiteral("the microphone %1 failed (error %2)")
                              .arg(input_.description())
                              .arg(int(source_->error())));
    });
    sourceIo_ = source_->start();
    if (!sourceIo_) {
        closeInput();
        return fail(QStringLiteral("the microphone %1 did not open").arg(input_.description()));
    }
    connect(sourceIo_, &QIODevice::readyRead, this, &QtAudioDevice::onCaptureReady);
    return Ok{};
}

Status QtAudioDevice::openOutput()
{
    output_ = pick(outputId_, false);
    if (output_.isNull()) return fail(QStringLiteral("there is no speaker"));
    if (!output_.isFormatSupported(callFormat()))
        return fail(QStringLiteral("the speaker %1 cannot play 48 kHz mono 16-bit")
                        .arg(output_.description()));
    sink_ = new QAudioSink(output_, callFormat(), this);
    sink_->setBufferSize(bufferBytesFor(frameSamples_));
    sinkIo_ = sink_->start();
    if (!sinkIo_) {
        closeOutput();
        return fail(QStringLiteral("the speaker %1 did not open").arg(output_.description()));
    }
    // The sink's free space paces playback: whenever a period fits, one more is pulled.
    feeder_.start(kFeedMs);
    return Ok{};
}

void QtAudioDevice::closeInput()
{
    if (!source_) return;
    source_->stop();
    delete source_;
    source_ = nullptr;
    sourceIo_ = nullptr;
    pending_.clear();
}

void QtAudioDevice::closeOutput()
{
    feeder_.stop();
    if (!sink_) return;
    sink_->stop();
    delete sink_;
    sink_ = nullptr;
    sinkIo_ = nullptr;
}

void QtAudioDevice::onCaptureReady()
{
    if (!sourceIo_) return;
    pending_ += sourceIo_->readAll();
    const qsizetype frameBytes = qsizetype(frameSamples_) * 2;
    while (pending_.size() >= frameBytes) {
        memcpy(frame_.data(), pending_.constData(), size_t(frameBytes));
        pending_.remove(0, frameBytes);
        ++captured_;
        deliverCapture(frame_);
    }
}

void QtAudioDevice::feedSink()
{
    if (!sink_ || !sinkIo_) return;
    const qsizetype frameBytes = qsizetype(frameSamples_) * 2;
    std::vector<qint16> out(static_cast<size_t>(frameSamples_));
    while (sink_->bytesFree() >= frameBytes) {
        pullPlayback(out);
        sinkIo_->write(reinterpret_cast<const char*>(out.data()), frameBytes);
        ++played_;
    }
}

void QtAudioDevice::onDevicesChanged()
{
    if (running_) {
        // Follow the default, or fall back to it when the chosen device went away.
        if (pick(inputId_, true).id() != input_.id()) {
            closeInput();
            if (auto ok = openInput(); !ok) Q_EMIT failed(ok.error());
        }
        if (pick(outputId_, false).id() != output_.id()) {
            closeOutput();
            if (auto ok = openOutput(); !ok) Q_EMIT failed(ok.error());
        }
    }
    Q_EMIT devicesChanged();
}

} // namespace plenum::media
