#pragma once
// Which of a call's incoming streams this device decodes and mixes: the loudest few, by the
// level each sender puts in its RTP header (RFC 6464). More talkers at once are noise to a
// listener, and the N−1 Opus decodes are most of a participant's CPU in a large call
// (docs/media.md). A stream that is not chosen is still received and jitter-buffered (its
// playout clock runs on), only not decoded; its meter shows the level its sender reported.
// Pure: no clock, no I/O.

#include "media/jitterbuffer.h"

#include <QtGlobal>

#include <optional>
#include <span>
#include <vector>

namespace plenum::media {

class LoudestStreams {
public:
    struct Stream {
        // The levels it sent, held like a VU meter (fast attack, slow release) so a talker's
        // soft syllables keep its place. None: it sends none (always chosen).
        std::optional<double> loudnessDb;
        bool mixed = false; // chosen last frame
    };

    // maxMixed 0: every stream.
    explicit LoudestStreams(int maxMixed) : maxMixed_(maxMixed) {}

    // The level a sender puts in its packet for this captured frame: -dBov, 0..127 (from
    // the frame, or from its RMS in dBFS when the caller measured that already).
    static quint8 levelOf(std::span<const qint16> frame);
    static quint8 levelOf(double frameDb);
    // One frame of a stream: `level` is its packet's, if the frame had one that carried it.
    static void hear(Stream& stream, std::optional<quint8> level);
    // The same for the frame the jitter buffer gave; a frame without audio (silence) also
    // takes the stream out of the mix. True when the frame has audio (a candidate to choose).
    static bool hear(Stream& stream, const JitterBuffer::Frame& frame);
    // What the meter of a stream that was not chosen shows for this frame: its sender's level.
    static double reportedDb(const JitterBuffer::Frame& frame);
    // Of the streams that have audio this frame, marks the loudest maxMixed `mixed` (those
    // without a level first; one mixed last frame counts a few dB louder, so the choice does
    // not flap between talkers of about the same level) and the others not.
    void choose(std::span<Stream* const> withAudio) const;

private:
    int maxMixed_;
};

} // namespace plenum::media
