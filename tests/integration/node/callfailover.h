#pragma once
// One run of "kill -9 the SM during a 4-way call" with plenum-peer processes (issue 14: media
// as a liveness signal). Shared by node_call_test (bounds) and call_failover_bench (medians).

#include "peergroup.h"

#include <QStringList>

#include <vector>

namespace plenum::testsupport {

// Two tones with a slow tremolo at 48 kHz: voiced enough that Opus never goes to DTX silence,
// so every link carries a packet every 20 ms and a gap in the stats means the audio stopped.
std::vector<qint16> continuousTone(int seconds);

struct CallFailoverRun {
    QString error; // empty when the run completed (the figures below are then valid)
    // From the kill (test clock) to...
    qint64 detectMs = -1;          // ...the last survivor's link_down about the killed SM
    qint64 electedMs = -1;         // ...the "sm" event of the new SM
    qint64 failoverMs = -1;        // ...every survivor holds the same roster without the killed SM
    QStringList smLinkDownReasons; // each survivor's link_down reason about the killed SM
    // link_down events, once every link carries media, other than the survivors' about the
    // killed SM: false drops (before the kill, or between survivors).
    QStringList falseLinkDowns;
    // Survivor pairs (listener <- speaker) and per-second stats ticks, from 1.5 s before the
    // kill to 2.5 s after it, in which the listener received no new packet from the speaker.
    int silentTicks = 0;
    int checkedTicks = 0;
    qint64 minPacketsPerTick = -1; // fewest new packets in one tick after the kill
};

// Four peers in one session and one call, every one sending a continuous tone (no DTX pause);
// `mediaLossPercent` of received media is dropped at every peer (--media-loss); the call runs
// `steadyMs` before the SM (the creator) is killed with SIGKILL.
CallFailoverRun runCallFailover(double mediaLossPercent, int steadyMs);

} // namespace plenum::testsupport
