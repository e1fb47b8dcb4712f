#pragma once
// --demo: what Bob and Carol say in the demo call. espeak-ng speaks each line (run here, at
// demo start, so nothing is shipped); the lines are resampled to 48 kHz and laid out on one
// timeline so the two take turns, then written as one WAV per speaker for plenum-peer's
// `audio_in` (the file backend, looped). Without espeak-ng there is no speech: the caller
// gets the reason in words and the peers join silent.

#include "protocol/result.h"

#include <QObject>
#include <QProcess>
#include <QStringList>

#include <vector>

namespace plenum::ui {

class DemoSpeech : public QObject {
    Q_OBJECT
public:
    struct Line {
        int speaker; // index into the speakers given to start()
        QString text;
    };

    explicit DemoSpeech(QObject* parent = nullptr);

    // Speaks `lines` with one espeak-ng voice per speaker and writes `outputs[i]` for speaker
    // i. Asynchronous: ready() or unavailable() follows.
    void start(const QStringList& voices, const QList<Line>& lines, const QStringList& outputs);

    // Parses the WAV espeak-ng writes (PCM 16-bit mono, any rate) and resamples it to 48 kHz.
    static Result<std::vector<qint16>> toSpeechAt48k(const QByteArray& wav);
    // Linear interpolation: speech from espeak-ng is band-limited well below either Nyquist.
    static std::vector<qint16> resample(const std::vector<qint16>& in, int fromRate, int toRate);

Q_SIGNALS:
    void ready();
    void unavailable(QString reason);

private:
    void speakNext();
    void finish();

    QStringList voices_;
    QList<Line> lines_;
    QStringList outputs_;
    QList<std::vector<qint16>> spoken_; // per line, 48 kHz
    QProcess process_;
};

} // namespace plenum::ui
