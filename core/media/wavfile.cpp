#include "media/wavfile.h"

#include <QFile>
#include <QSaveFile>
#include <QtEndian>

#include <cstring>

namespace plenum::media {

Result<std::vector<qint16>> WavFile::read(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
    if (file.size() > kMaxBytes)
        return fail(QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(kMaxBytes));
    auto samples = parse(file.readAll());
    if (!samples) return fail(QStringLiteral("%1: %2").arg(path, samples.error()));
    return samples;
}

Result<std::vector<qint16>> WavFile::parse(const QByteArray& bytes)
{
    const auto* p = reinterpret_cast<const uchar*>(bytes.constData());
    const qsizetype size = bytes.size();
    if (size < 12 || memcmp(p, "RIFF", 4) != 0 || memcmp(p + 8, "WAVE", 4) != 0)
        return fail(QStringLiteral("not a RIFF/WAVE file"));
    bool haveFormat = false;
    qsizetype offset = 12;
    while (offset + 8 <= size) {
        const quint32 length = qFromLittleEndian<quint32>(p + offset + 4);
        const qsizetype body = offset + 8;
        if (length > quint64(size - body))
            return fail(QStringLiteral("a WAV chunk runs past the file"));
        if (memcmp(p + offset, "fmt ", 4) == 0) {
            if (length < 16) return fail(QStringLiteral("the WAV format chunk is too short"));
            const quint16 format = qFromLittleEndian<quint16>(p + body);
            const quint16 channels = qFromLittleEndian<quint16>(p + body + 2);
            const quint32 rate = qFromLittleEndian<quint32>(p + body + 4);
            const quint16 bits = qFromLittleEndian<quint16>(p + body + 14);
            if (format != 1 || channels != 1 || rate != quint32(kSampleRate) || bits != 16)
                return fail(
                    QStringLiteral("need PCM 16-bit mono 48 kHz, got format %1, %2 channel(s), "
                                   "%3 Hz, %4 bits")
                        .arg(format)
                        .arg(channels)
                        .arg(rate)
                        .arg(bits));
            haveFormat = true;
        } else if (memcmp(p + offset, "data", 4) == 0) {
            if (!haveFormat)
                return fail(QStringLiteral("the WAV data chunk comes before its format"));
            std::vector<qint16> samples(length / 2);
            for (size_t i = 0; i < samples.size(); ++i)
                samples[i] = qFromLittleEndian<qint16>(p + body + 2 * i);
            return samples;
        }
        offset = body + length + (length & 1); // chunks are padded to even sizes
    }
    return fail(QStringLiteral("the WAV file has no data chunk"));
}

Status WavFile::write(const QString& path, const std::vector<qint16>& samples)
{
    const quint32 dataBytes = quint32(samples.size() * 2);
    QByteArray out(44 + qsizetype(dataBytes), Qt::Uninitialized);
    auto* p = reinterpret_cast<uchar*>(out.data());
    memcpy(p, "RIFF", 4);
    qToLittleEndian<quint32>(36 + dataBytes, p + 4);
    memcpy(p + 8, "WAVEfmt ", 8);
    qToLittleEndian<quint32>(16, p + 16);
    qToLittleEndian<quint16>(1, p + 20); // PCM
    qToLittleEndian<quint16>(1, p + 22); // mono
    qToLittleEndian<quint32>(kSampleRate, p + 24);
    qToLittleEndian<quint32>(kSampleRate * 2, p + 28);
    qToLittleEndian<quint16>(2, p + 32);
    qToLittleEndian<quint16>(16, p + 34);
    memcpy(p + 36, "data", 4);
    qToLittleEndian<quint32>(dataBytes, p + 40);
    for (size_t i = 0; i < samples.size(); ++i)
        qToLittleEndian<qint16>(samples[i], p + 44 + 2 * i);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(out) != out.size() || !file.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return Ok{};
}

} // namespace plenum::media
