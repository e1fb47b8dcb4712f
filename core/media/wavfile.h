#pragma once
// 16-bit PCM WAV files (RIFF/WAVE, "fmt " + "data") for the file audio backend, tests and
// benchmarks. Reading is strict and bounded: only PCM 16-bit mono at 48 kHz is accepted, so a
// file that would need resampling fails with a sentence instead of playing at the wrong pitch.

#include "protocol/result.h"

#include <QString>

#include <vector>

namespace plenum::media {

class WavFile {
public:
    static constexpr int kSampleRate = 48000;
    static constexpr qint64 kMaxBytes = 256LL * 1024 * 1024; // ~46 min of audio

    static Result<std::vector<qint16>> read(const QString& path);
    static Result<std::vector<qint16>> parse(const QByteArray& bytes);
    static Status write(const QString& path, const std::vector<qint16>& samples);
};

} // namespace plenum::media
