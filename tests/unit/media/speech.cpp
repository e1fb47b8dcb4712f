#include "speech.h"

#include "media/wavfile.h"

#include <QProcess>
#include <QTemporaryDir>

#include <cmath>

namespace plenum::media::test {

namespace {
Status run(const QString& program, const QStringList& args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return fail(QStringLiteral("%1 failed (is it installed? packaging/install-deps.sh): %2")
                        .arg(program, QString::fromLocal8Bit(p.readAllStandardError())));
    return Ok{};
}

std::vector<float> decimate(std::span<const qint16> s, int factor)
{
    std::vector<float> out(s.size() / size_t(factor));
    for (size_t i = 0; i < out.size(); ++i) {
        float sum = 0;
        for (int k = 0; k < factor; ++k)
            sum += s[i * size_t(factor) + size_t(k)];
        out[i] = sum / float(factor);
    }
    return out;
}

template <typename T> double normalised(const T& a, const T& b, size_t lag)
{
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size() && i + lag < b.size(); ++i) {
        ab += double(a[i]) * double(b[i + lag]);
        aa += double(a[i]) * double(a[i]);
        bb += double(b[i + lag]) * double(b[i + lag]);
    }
    return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}
} // namespace

Result<std::vector<qint16>> spokenWords(const QString& text, const QString& voice)
{
    QTemporaryDir dir;
    if (!dir.isValid()) return fail(QStringLiteral("no temporary directory"));
    const QString raw = dir.filePath(QStringLiteral("raw.wav"));
    const QString wav = dir.filePath(QStringLiteral("speech.wav"));
    if (auto ok = run(QStringLiteral("espeak-ng"), {"-v", voice, "-w", raw, text}); !ok)
        return Error{ok.error()};
    if (auto ok = run(QStringLiteral("sox"), {raw, "-r", "48000", "-c", "1", "-b", "16", wav}); !ok)
        return Error{ok.error()};
    return WavFile::read(wav);
}

double correlationAt(std::span<const qint16> reference, std::span<const qint16> signal, int lag)
{
    return normalised(reference, signal, size_t(std::max(0, lag)));
}

Alignment align(std::span<const qint16> reference, std::span<const qint16> signal,
                int maxLagSamples)
{
    constexpr int kFactor = 8;
    const auto r = decimate(reference, kFactor);
    const auto s = decimate(signal, kFactor);
    int coarse = 0;
    double best = -2;
    for (int lag = 0; lag <= maxLagSamples / kFactor; ++lag) {
        const double c = normalised(r, s, size_t(lag));
        if (c > best) best = c, coarse = lag;
    }
    Alignment out{-2, 0};
    for (int lag = std::max(0, coarse * kFactor - 2 * kFactor);
         lag <= coarse * kFactor + 2 * kFactor; ++lag) {
        const double c = correlationAt(reference, signal, lag);
        if (c > out.correlation) out = {c, lag};
    }
    return out;
}

double windowedCorrelation(std::span<const qint16> reference, std::span<const qint16> signal,
                           int lag, int window, int slack)
{
    const size_t w = size_t(window);
    const double mean = energy(reference) / double(std::max<size_t>(1, reference.size() / w));
    double sum = 0;
    int count = 0;
    for (size_t at = 0; at + w <= reference.size(); at += w) {
        const auto piece = reference.subspan(at, w);
        if (energy(piece) < 0.1 * mean) continue; // a pause: nothing to recognise
        const qint64 from = std::max<qint64>(0, qint64(at) + lag - slack);
        if (from >= qint64(signal.size())) break;
        const size_t length = std::min(signal.size() - size_t(from), w + 2 * size_t(slack));
        sum += align(piece, signal.subspan(size_t(from), length), 2 * slack).correlation;
        ++count;
    }
    return count ? sum / count : 0.0;
}

double energy(std::span<const qint16> samples)
{
    double e = 0;
    for (qint16 v : samples)
        e += double(v) * v;
    return e;
}

} // namespace plenum::media::test
