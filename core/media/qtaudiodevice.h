#pragma once
// The Qt Multimedia audio backend: QAudioSource for the microphone, QAudioSink for the speaker,
// both 48 kHz mono 16-bit. A device is chosen by its id; an empty id follows the system default,
// also when the default changes (hot-plug, or the user picks another in the system settings).
// A chosen device that disappears falls back to the default and says so.

#include "media/audiodevice.h"

#include <QAudioDevice>
#include <QByteArray>
#include <QTimer>

#include <vector>

class QAudioSink;
class QAudioSource;
class QIODevice;
class QMediaDevices;

namespace plenum::media {

class QtAudioDevice : public AudioDevice {
    Q_OBJECT
public:
    explicit QtAudioDevice(QObject* parent = nullptr);
    ~QtAudioDevice() override;

    static QList<QAudioDevice> inputs();
    static QList<QAudioDevice> outputs();

    // Empty: the system default, followed as it changes.
    void setInputDevice(const QByteArray& id);
    void setOutputDevice(const QByteArray& id);
    QAudioDevice currentInput() const { return input_; }
    QAudioDevice currentOutput() const { return output_; }

    Status start(int frameSamples) override;
    void stop() override;
    bool isRunning() const override { return running_; }

    qint64 framesCaptured() const { return captured_; }
    qint64 framesPlayed() const { return played_; }

Q_SIGNALS:
    // The list of devices or the device in use changed (hot-plug, new default).
    void devicesChanged();

private:
    Status openInput();
    Status openOutput();
    void closeInput();
    void closeOutput();
    void onCaptureReady();
    void feedSink();
    void onDevicesChanged();
    QAudioDevice pick(const QByteArray& id, bool input) const;

    QMediaDevices* devices_;
    QByteArray inputId_;
    QByteArray outputId_;
    QAudioDevice input_;
    QAudioDevice output_;
    QAudioSource* source_ = nullptr;
    QIODevice* sourceIo_ = nullptr;
    QAudioSink* sink_ = nullptr;
    QIODevice* sinkIo_ = nullptr;
    QTimer feeder_; // a child: it moves with the device to the audio thread
    QByteArray pending_;
    std::vector<qint16> frame_;
    int frameSamples_ = 0;
    bool running_ = false;
    qint64 captured_ = 0;
    qint64 played_ = 0;
};

} // namespace plenum::media
