#include "app/demospeech.h"

#include "media/wavfile.h"

#include <QStandardPaths>
#include <QtEndian>

#include <algorithm>

namespace plenum::ui {

namespace {
constexpr int kRate = media::WavFile::kSampleRate;
constexpr int kTurnGapMs = 700;   // between one speaker's line and the other's
constexpr int kRoundGapMs = 4000; // before the conversation starts again (looped)
constexpr qsizetype kMaxWav = 16 * 1024 * 1024;
} // namespace

DemoSpeech::DemoSpeech(QObject* parent) : QObject(parent)
{
    connect(&process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        if (status != QProcess::NormalExit || code != 0) {
            Q_EMIT unavailable(
                tr("espeak-ng failed (exit code %1): %2")
                    .arg(code)
                    .arg(QString::fromLocal8Bit(process_.readAllStandardError().left(300))));
            return;
        }
        auto speech = toSpeechAt48k(process_.readAllStandardOutput());
        if (!speech) {
            Q_EMIT unavailable(tr("espeak-ng's speech could not be read: %1").arg(speech.error()));
            return;
        }
        spoken_.append(std::move(speech.value()));
        speakNext();
    });
    connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            Q_EMIT unavailable(tr("espeak-ng could not start: %1").arg(process_.errorString()));
    });
}

void DemoSpeech::start(const QStringList& voices, const QList<Line>& lines,
                       const QStringList& outputs)
{
    voices_ = voices;
    lines_ = lines;
    outputs_ = outputs;
    spoken_.clear();
    if (QStandardPaths::findExecutable(QStringLiteral("espeak-ng")).isEmpty()) {
        Q_EMIT unavailable(tr("espeak-ng is not installed (on Debian: apt install espeak-ng)"));
        return;
    }
    speakNext();
}

void DemoSpeech::speakNext()
{
    if (spoken_.size() == lines_.size()) {
        finish();
        return;
    }
    const Line& line = lines_.at(spoken_.size());
    process_.start(QStringLiteral("espeak-ng"),
                   {QStringLiteral("-v"), voices_.value(line.speaker), QStringLiteral("-s"),
                    QStringLiteral("150"), QStringLiteral("--stdout"), line.text});
}

void DemoSpeech::finish()
{
    // One shared timeline: each line in its speaker's file, silence in the other's.
    const size_t turnGap = size_t(kRate) * kTurnGapMs / 1000;
    size_t total = size_t(kRate) * kRoundGapMs / 1000;
    for (const auto& s : spoken_)
        total += s.size() + turnGap;
    QList<std::vector<qint16>> tracks;
    for (int i = 0; i < outputs_.size(); ++i)
        tracks.append(std::vector<qint16>(total, 0));
    size_t at = size_t(kRate) * kRoundGapMs / 1000;
    for (qsizetype i = 0; i < lines_.size(); ++i) {
        const int who = lines_.at(i).speaker;
        if (who >= 0 && who < tracks.size())
            std::copy(spoken_[i].begin(), spoken_[i].end(), tracks[who].begin() + qsizetype(at));
        at += spoken_[i].size() + turnGap;
    }
    for (qsizetype i = 0; i < outputs_.size(); ++i)
        if (auto ok = media::WavFile::write(outputs_[i], tracks[i]); !ok) {
            Q_EMIT unavailable(tr("the demo's speech could not be written: %1").arg(ok.error()));
            return;
        }
    Q_EMIT ready();
}

Result<std::vector<qint16>> DemoSpeech::toSpeechAt48k(const QByteArray& wav)
{
    if (wav.size() > kMaxWav) return fail(QStringLiteral("the WAV is too large"));
    if (wav.size() < 12 || !wav.startsWith("RIFF") || wav.mid(8, 4) != "WAVE")
        return fail(QStringLiteral("not a RIFF/WAVE file"));
    int rate = 0, channels = 0, bits = 0;
    qsizetype at = 12;
    while (at + 8 <= wav.size()) {
        const QByteArray id = wav.mid(at, 4);
        quint32 size = qFromLittleEndian<quint32>(wav.constData() + at + 4);
        at += 8;
        if (id == "fmt ") {
            if (size < 16 || at + 16 > wav.size()) return fail(QStringLiteral("short fmt chunk"));
            const int format = qFromLittleEndian<quint16>(wav.constData() + at);
            channels = qFromLittleEndian<quint16>(wav.constData() + at + 2);
            rate = int(qFromLittleEndian<quint32>(wav.constData() + at + 4));
            bits = qFromLittleEndian<quint16>(wav.constData() + at + 14);
            if (format != 1 || channels != 1 || bits != 16 || rate < 8000 || rate > 192000)
                return fail(QStringLiteral("not 16-bit mono PCM"));
        } else if (id == "data") {
            if (rate == 0) return fail(QStringLiteral("data before fmt"));
            // espeak-ng --stdout cannot seek back: its data size is a placeholder.
            const qsizetype bytes = std::min<qsizetype>(qsizetype(size), wav.size() - at) & ~1;
            std::vector<qint16> pcm(size_t(bytes / 2));
            for (size_t i = 0; i < pcm.size(); ++i)
                pcm[i] = qFromLittleEndian<qint16>(wav.constData() + at + qsizetype(2 * i));
            return resample(pcm, rate, kRate);
        }
        at += qsizetype(size) + (size & 1);
    }
    return fail(QStringLiteral("no data chunk"));
}

std::vector<qint16> DemoSpeech::resample(const std::vector<qint16>& in, int fromRate, int toRate)
{
    if (in.empty() || fromRate == toRate) return in;
    const size_t n = size_t(double(in.size()) * toRate / fromRate);
    std::vector<qint16> out(n);
    for (size_t i = 0; i < n; ++i) {
        const double pos = double(i) * fromRate / toRate;
        const size_t k = size_t(pos);
        const double f = pos - double(k);
        const double a = in[std::min(k, in.size() - 1)];
        const double b = in[std::min(k + 1, in.size() - 1)];
        out[i] = qint16(std::clamp(a + (b - a) * f, -32768.0, 32767.0));
    }
    return out;
}

} // namespace plenum::ui
