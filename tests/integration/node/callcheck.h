#pragma once
// What calls between plenum-peer processes are checked with (node_call_test and the netns
// loss test): who is in a call, and how well a listener's played file matches what was said.

#include "peerprocess.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>
#include <span>
#include <vector>

namespace plenum::testsupport {

constexpr int kCallRate = 48000;

// A "call" event in which exactly `devices` are in the call (every member listed).
bool callHas(const QJsonObject& event, QStringList devices);
// Joins `peer` to the call and waits until it sees exactly `inCall` in it; returns that event.
std::optional<QJsonObject> joinCall(PeerProcess* peer, const QStringList& inCall);
// The `audio_start_ns` of the first "call" event in which `peer` was in the call (0 if none).
qint64 audioStartNs(PeerProcess* peer);
// Its device's period then, in samples (0 if none).
int audioPeriodSamples(PeerProcess* peer);
// Leaves the call; waits until `peer` says it is out (its audio_out file is written then).
bool leaveCall(PeerProcess* peer);
// The newest call_stats event of `peer` about `from` ({} if none).
QJsonObject lastStats(PeerProcess* peer, const QString& from);

// Per half-second window of the reference that carries speech: the best normalised
// correlation with the heard signal over delays 0..maxLag, and that delay. Real-time playout
// across processes shifts the timeline when a loaded machine stalls one of them (the jitter
// buffer re-primes, then drains the excess), so each window finds its own delay; the mean
// correlation says whether the speech is recognisable.
struct WindowScore {
    double meanCorrelation = 0;
    QList<int> delaysMs;
    int medianDelayMs() const;
};
WindowScore scoreWindows(std::span<const qint16> reference, std::span<const qint16> heard,
                         int maxLag);

// A listener's played file against the speaker's input (`leadIn` samples of silence, then
// `said`), and against the same words reversed in time (same voice, not the same speech: the
// control that must score low). `speakerStartNs`/`listenerStartNs` are the two devices'
// audio_start_ns, `listenerPeriod` the listener's audio_period_samples. Empty with `error` set
// when the files cannot be lined up.
struct ListenerScore {
    WindowScore speech;
    WindowScore reversed;
    QString error;
};
ListenerScore scoreListener(const std::vector<qint16>& said, size_t leadIn, qint64 speakerStartNs,
                            qint64 listenerStartNs, int listenerPeriod,
                            const std::vector<qint16>& played);

} // namespace plenum::testsupport
