#pragma once
// N devices in a full mesh of real ControlLinks on loopback, each with a CallEngine over a
// FileAudioDevice: the fixture of the media integration tests and benchmarks.

#include "testidentity.h"

#include "media/audiothread.h"
#include "media/callengine.h"
#include "media/fileaudiodevice.h"
#include "net/controllink.h"

#include <functional>
#include <memory>
#include <vector>

namespace plenum::media::test {

struct CallMember {
    net::test::TestIdentity identity;
    // In this order: the engine goes first, then the device, then the thread it lives on.
    std::unique_ptr<AudioThread> audioThread; // joinCall(…, true) only
    std::unique_ptr<FileAudioDevice> ownDevice;
    FileAudioDevice* device = nullptr; // on audioThread when there is one: read it after stop
    std::unique_ptr<CallEngine> engine;
    std::vector<net::ControlLink*> links; // owned by CallMesh::links
};

class CallMesh {
public:
    // Makes `count` identities and links every pair; false if a link did not come up.
    bool connect(int count, int timeoutMs = 10000);
    // One engine per member, each added to all its links; waits for every media stream.
    // `audioThreads`: each member's device and audio work on an AudioThread of its own (as in
    // a Node); otherwise on this thread.
    bool joinCall(const CallEngine::Config& config, bool audioThreads = false,
                  int timeoutMs = 10000);
    // Starts every engine's device: real-time pace, or a manual clock driven by step().
    // `staggerUs`: real time between one member's start and the next's (devices that are not
    // in phase, as two machines' never are).
    bool startAudio(bool manualClock = false, int staggerUs = 0);
    // Manual clock: one frame on every device, then the event loop runs until every packet
    // sent so far has reached its receiver (`inFlight` says how many are still missing, e.g.
    // minus those a test dropped on purpose). Independent of how busy the machine is: each
    // packet is there before the frame after it is played. False if the network stalled.
    bool step(const std::function<qint64()>& inFlight, int timeoutMs = 10000);
    // Packets sent minus packets received over every ordered pair of members.
    qint64 inFlight() const;
    void stopAudio();

    net::ControlLink* linkBetween(int from, int to) const;

    std::vector<CallMember> members;
    std::vector<std::unique_ptr<net::ControlLink>> links;
};

} // namespace plenum::media::test
