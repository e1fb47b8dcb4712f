#pragma once
// N devices in a full mesh of real ControlLinks on loopback, each with a CallEngine over a
// FileAudioDevice: the fixture of the media integration tests and benchmarks.

#include "testidentity.h"

#include "media/callengine.h"
#include "media/fileaudiodevice.h"
#include "net/controllink.h"

#include <memory>
#include <vector>

namespace plenum::media::test {

struct CallMember {
    net::test::TestIdentity identity;
    std::unique_ptr<FileAudioDevice> device;
    std::unique_ptr<CallEngine> engine;
    std::vector<net::ControlLink*> links; // owned by CallMesh::links
};

class CallMesh {
public:
    // Makes `count` identities and links every pair; false if a link did not come up.
    bool connect(int count, int timeoutMs = 10000);
    // One engine per member, each added to all its links; waits for every media stream.
    bool joinCall(const CallEngine::Config& config, int timeoutMs = 10000);
    // Starts every engine's device (real-time pace).
    bool startAudio();
    void stopAudio();

    net::ControlLink* linkBetween(int from, int to) const;

    std::vector<CallMember> members;
    std::vector<std::unique_ptr<net::ControlLink>> links;
};

} // namespace plenum::media::test
