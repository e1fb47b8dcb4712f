#pragma once
// The audio gap a listener hears when a speaker's device changes (issue 15: the hand-off's
// swap): the speaker's devices play a continuous signal, the listener records what it
// plays (the file audio backend's WAV), and the longest stretch of silence between sound
// before and sound after is the gap. Silence is measured in 5 ms windows whose RMS is below
// a threshold far under the signal's level (PLC that fades to nothing counts as silence).

#include <QtGlobal>

#include <span>
#include <vector>

namespace plenum::testsupport {

struct AudioGap {
    int longestMs = -1;       // -1: no sound on one side of the range (the gap did not end)
    qint64 atSample = -1;     // where it started
    double soundFraction = 0; // of the 5 ms windows in the range, those with sound
};

// The longest run of silent windows in played[from, to) that has sound before and after it.
AudioGap longestGap(std::span<const qint16> played, size_t from, size_t to, int rate);

// A continuous, speech-band signal for the speaker's input (two tones hopping every 40 ms
// at one level, about -12 dBFS); `seconds` long (whole 40 ms segments), meant to be looped.
std::vector<qint16> continuousSignal(int seconds, int rate);

} // namespace plenum::testsupport
