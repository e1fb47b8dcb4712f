#include "callmesh.h"

#include "eventloop.h"
#include "linkpair.h"

#include "net/pacedreceive.h"

#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include <chrono>
#include <thread>

namespace plenum::media::test {

using net::ControlLink;

namespace {
// Signaling delivered on the next loop turn, as LinkPair does.
void wire(ControlLink* from, ControlLink* to, bool offers)
{
    QPointer<ControlLink> target = to;
    from->setSignalSender([target](const QByteArray& bytes) {
        QTimer::singleShot(0, target, [target, bytes] {
            auto m = net::SignalMessage::decode(bytes);
            if (!target || !m) return;
            if (m->type == net::SignalMessage::Type::Offer)
                (void)target->acceptOffer(m.value());
            else
                target->handleSignal(m.value());
        });
    });
    (void)offers;
}
} // namespace

bool CallMesh::connect(int count, int timeoutMs)
{
    net::test::ensureApp();
    for (int i = 0; i < count; ++i) {
        CallMember m;
        m.identity = net::test::makeTestIdentity(QStringLiteral("member%1").arg(i));
        members.push_back(std::move(m));
    }
    const auto config = net::test::loopbackConfig();
    for (int i = 0; i < count; ++i)
        for (int j = i + 1; j < count; ++j) {
            auto a =
                std::make_unique<ControlLink>(members[i].identity.credentials, net::chainVerifier(),
                                              members[j].identity.device, config);
            auto b =
                std::make_unique<ControlLink>(members[j].identity.credentials, net::chainVerifier(),
                                              members[i].identity.device, config);
            wire(a.get(), b.get(), true);
            wire(b.get(), a.get(), false);
            members[i].links.push_back(a.get());
            members[j].links.push_back(b.get());
            (void)a->connectToPeer(QRandomGenerator::global()->generate64());
            links.push_back(std::move(a));
            links.push_back(std::move(b));
        }
    return net::test::waitFor(
        [this] {
            for (const auto& l : links)
                if (l->state() != ControlLink::State::Up) return false;
            return true;
        },
        timeoutMs);
}

bool CallMesh::joinCall(const CallEngine::Config& config, bool audioThreads, int timeoutMs)
{
    for (auto& m : members) {
        m.ownDevice = std::make_unique<FileAudioDevice>();
        m.device = m.ownDevice.get();
        if (audioThreads) {
            m.audioThread = std::make_unique<AudioThread>();
            m.audioThread->adopt(std::move(m.ownDevice));
        }
        m.engine = std::make_unique<CallEngine>(m.device, config);
        for (auto* link : m.links)
            if (!m.engine->addPeer(link).ok()) return false;
    }
    return net::test::waitFor(
        [this] {
            for (const auto& l : links)
                if (!l->isMediaUp()) return false;
            return true;
        },
        timeoutMs);
}

bool CallMesh::startAudio(bool manualClock, int staggerUs)
{
    for (auto& m : members) {
        if (staggerUs > 0 && &m != &members.front())
            std::this_thread::sleep_for(std::chrono::microseconds(staggerUs));
        runOnThreadOf(m.device, [&] { m.device->setManualClock(manualClock); });
        if (!m.engine->start().ok()) return false;
    }
    return true;
}

bool CallMesh::step(const std::function<qint64()>& missing, int timeoutMs)
{
    for (auto& m : members)
        m.device->step();
    // What the last pulls left on the beat's context (sent after the receiver pulled) is read
    // now, as a playback pull would read it at the next frame.
    return net::test::waitFor(
        [&] {
            net::PacedReceive::drain();
            return missing() <= 0;
        },
        timeoutMs);
}

qint64 CallMesh::inFlight() const
{
    qint64 sum = 0;
    for (const auto& from : members)
        for (const auto& to : members) {
            if (&from == &to) continue;
            sum += qint64(from.engine->peerStats(to.identity.device).packetsSent) -
                   qint64(to.engine->peerStats(from.identity.device).packetsReceived);
        }
    return sum;
}

void CallMesh::stopAudio()
{
    for (auto& m : members)
        m.engine->stop();
}

ControlLink* CallMesh::linkBetween(int from, int to) const
{
    for (auto* link : members[size_t(from)].links)
        if (link->peer() == members[size_t(to)].identity.device) return link;
    return nullptr;
}

} // namespace plenum::media::test
