#include "peercontroller.h"

#include "chat/chatsender.h"
#include "media/audiothread.h"
#include "media/fileaudiodevice.h"
#include "media/wavfile.h"
#include "node/nodebrowse.h"
#include "protocol/deviceclass.h"
#include "protocol/limits.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace plenum::peer {

namespace {

QString messageId(const DeviceId& sender, std::uint64_t seq)
{
    return sender.toHex() + QLatin1Char(':') + QString::number(seq);
}

template <typename Id> std::optional<Id> idFrom(const QJsonValue& v)
{
    if (!v.isString()) return std::nullopt;
    return Id::fromHex(v.toString());
}

// Who an invitation is from, as the Node verified it (docs/plenum-peer.md, `invited`).
QJsonObject inviterJson(const char* event, const SessionId& sid, const node::Inviter& who)
{
    using Source = node::NodeAccount::NameSource;
    const Source source = who.source;
    QJsonObject o{{"event", QLatin1String(event)},
                  {"sid", sid.toHex()},
                  {"from", who.device.toHex()},
                  {"account", who.account.isNull() ? QString() : who.account.toHex()},
                  {"name", who.name},
                  {"name_source", source == Source::Contact  ? "contact"
                                  : source == Source::Signed ? "signed"
                                                             : "none"}};
    if (who.referredBy) o.insert("referred_by", who.referredBy->toHex());
    if (who.referrerAccount) o.insert("referred_by_account", who.referrerAccount->toHex());
    return o;
}

QJsonArray idArray(const QList<DeviceId>& ids)
{
    QJsonArray a;
    for (const auto& d : ids)
        a.append(d.toHex());
    return a;
}

} // namespace

PeerController::PeerController(node::Node* node, QObject* parent) : QObject(parent), node_(node)
{
    using node::Node;
    connect(node_, &Node::invited, this, [this](const SessionId& sid, const node::Inviter& who) {
        emitEvent(inviterJson("invited", sid, who));
    });
    connect(node_, &Node::inviterNamed, this,
            [this](const SessionId& sid, const node::Inviter& who) {
                emitEvent(inviterJson("inviter_named", sid, who));
            });
    connect(node_, &Node::rosterChanged, this,
            [this](const SessionId& sid, const protocol::RosterSnapshot& r) {
                rosters_[sid] = r;
                emitEvent(rosterEvent(sid, r));
            });
    connect(node_, &Node::becameSm, this, [this](const SessionId& sid, quint64 epoch) {
        emitEvent({{"event", "sm"}, {"sid", sid.toHex()}, {"epoch", qint64(epoch)}});
    });
    connect(node_, &Node::inviteResult, this,
            [this](const SessionId& sid, const AccountId& account, const DeviceId& device, int code,
                   const QString& reason) {
                emitEvent({{"event", "invite_result"},
                           {"sid", sid.toHex()},
                           {"target", account.isNull() ? device.toHex() : account.toHex()},
                           {"device", device.toHex()},
                           {"code", code},
                           {"reason", reason}});
            });
    connect(node_, &Node::joinFailed, this,
            [this](const SessionId& sid, int code, const QString& reason) {
                emitEvent({{"event", "join_failed"},
                           {"sid", sid.toHex()},
                           {"code", code},
                           {"reason", reason}});
            });
    connect(node_, &Node::left, this, [this](const SessionId& sid) {
        emitEvent({{"event", "left"}, {"sid", sid.toHex()}});
    });
    connect(node_, &Node::removed, this, [this](const SessionId& sid, bool rejoining) {
        emitEvent({{"event", "removed"}, {"sid", sid.toHex()}, {"rejoining", rejoining}});
    });
    connect(node_, &Node::notice, this, [this](const SessionId& sid, const QString& text) {
        emitEvent({{"event", "notice"}, {"sid", sid.toHex()}, {"text", text}});
    });
    connect(node_, &Node::warning, this, [this](const QString& text) {
        emitEvent({{"event", "warning"}, {"text", text}});
    });
    connect(node_, &Node::linkLost, this, [this](const DeviceId& peer, const QString& reason) {
        emitEvent({{"event", "link_down"}, {"peer", peer.toHex()}, {"reason", reason}});
    });
    connect(node_, &Node::chatReceived, this,
            [this](const SessionId& sid, const protocol::ChatMessage& m) {
                QJsonObject e = messageJson(m);
                e.insert("event", "chat");
                e.insert("sid", sid.toHex());
                // When it was shown, on the machine's monotonic clock (steady_clock is
                // CLOCK_MONOTONIC on Linux, one clock for every process): a benchmark reading
                // many peers' pipes measures fan-out without its own reading delay.
                e.insert("shown_us", qint64(std::chrono::duration_cast<std::chrono::microseconds>(
                                                std::chrono::steady_clock::now().time_since_epoch())
                                                .count()));
                emitEvent(e);
            });
    connect(node_, &Node::receiptChanged, this,
            [this](const SessionId& sid, quint64 seq, const chat::Receipt& r) {
                if (r.state == chat::Delivery::Pending) return; // only final states are events
                emitEvent({{"event", "delivered"},
                           {"sid", sid.toHex()},
                           {"id", messageId(node_->device(), seq)},
                           {"pending", idArray(r.pending)},
                           {"failed", idArray(r.notDelivered)}});
            });
    connect(node_, &Node::paired, this, [this](const AccountId& account) {
        emitEvent({{"event", "paired"}, {"account", account.toHex()}});
    });
    connect(node_, &Node::pairingFailed, this, [this](const QString& reason) {
        emitEvent({{"event", "pairing_failed"}, {"reason", reason}});
    });
    connect(node_, &Node::devicePaired, this, [this](const DeviceId& device, const QString& name) {
        emitEvent({{"event", "device_paired"}, {"device", device.toHex()}, {"name", name}});
    });
    connect(node_, &Node::pairingRefused, this, [this](const QString& reason) {
        emitEvent({{"event", "pairing_refused"}, {"reason", reason}});
    });
    connect(node_, &Node::typingState, this,
            [this](const SessionId& sid, const AccountId& from, const QString& text, bool plain) {
                emitEvent({{"event", "typing"},
                           {"sid", sid.toHex()},
                           {"from", from.toHex()},
                           {"text", text},
                           {"plain", plain}});
            });
    connect(node_, &Node::callChanged, this, &PeerController::callEvent);
    connect(node_, &Node::callStatsTick, this, &PeerController::callStatsEvents);
    connect(node_, &Node::callAudio, this,
            [this](const SessionId& sid, const DeviceId& peer, qint64 ms) {
                emitEvent({{"event", "call_audio"},
                           {"sid", sid.toHex()},
                           {"from", peer.toHex()},
                           {"ms", ms}});
            });
    node_->setAudioDeviceFactory([this] { return makeAudioDevice(); });
    // Hand-off (docs/handoff.md): the offer on A2, the outcome on both ends.
    connect(node_, &Node::handoffOffered, this, [this](const SessionId& sid, const DeviceId& from) {
        const auto cls = node_->deviceClassOf(from);
        emitEvent({{"event", "handoff_offer"},
                   {"sid", sid.toHex()},
                   {"from", from.toHex()},
                   {"class", cls ? protocol::deviceClassName(*cls) : QString()}});
    });
    connect(node_, &Node::liveSessionsChanged, this, &PeerController::liveSessionsEvent);
    connect(node_, &Node::handoffStored, this,
            [this](const SessionId& sid, const DeviceId& device, qint64 untilMs) {
                emitEvent({{"event", "handoff_stored"},
                           {"sid", sid.toHex()},
                           {"device", device.toHex()},
                           {"until_ms", untilMs}});
            });
    connect(
        node_, &Node::handoffResumed, this, [this](const SessionId& sid, const DeviceId& device) {
            emitEvent(
                {{"event", "handoff_resumed"}, {"sid", sid.toHex()}, {"device", device.toHex()}});
        });
    connect(node_, &Node::handoffDone, this,
            [this](const SessionId& sid, const DeviceId& device, bool pushed) {
                emitEvent({{"event", "handoff_done"},
                           {"sid", sid.toHex()},
                           {"device", device.toHex()},
                           {"role", pushed ? "pushed" : "received"}});
            });
    connect(
        node_, &Node::handoffFailed, this,
        [this](const SessionId& sid, const DeviceId& device, bool pushed, const QString& reason) {
            emitEvent({{"event", "handoff_failed"},
                       {"sid", sid.toHex()},
                       {"device", device.isNull() ? QJsonValue() : QJsonValue(device.toHex())},
                       {"role", pushed ? "pushed" : "received"},
                       {"reason", reason}});
        });
    // Co-browsing (docs/cobrowse.md): text only, the address this device would show.
    connect(node_, &Node::batonChanged, this,
            [this](const SessionId& sid, const DeviceId& holder, quint64 generation) {
                emitEvent({{"event", "baton"},
                           {"sid", sid.toHex()},
                           {"holder", holder.isNull() ? QJsonValue() : QJsonValue(holder.toHex())},
                           {"generation", qint64(generation)}});
            });
    connect(node_, &Node::navigated, this,
            [this](const SessionId& sid, const cobrowse::Page& page, bool shown, bool card) {
                emitEvent({{"event", "navigate"},
                           {"sid", sid.toHex()},
                           {"url", page.url},
                           {"title", page.title},
                           {"by", page.by.toHex()},
                           {"generation", qint64(page.generation)},
                           {"pushed", page.pushed},
                           {"shown", shown},
                           {"card", card}});
            });
    // The leader's scroll position to apply, as fractions of the page (0..1), already
    // rate-limited at the leader (docs/cobrowse.md: at most 10 updates a second).
    connect(&node_->browse(), &node::NodeBrowse::scrolled, this,
            [this](const SessionId& sid, quint32 x, quint32 y) {
                emitEvent({{"event", "scroll"},
                           {"sid", sid.toHex()},
                           {"x", double(x) / protocol::limits::kScrollFull},
                           {"y", double(y) / protocol::limits::kScrollFull}});
            });
    connect(node_, &Node::batonRequested, this, [this](const SessionId& sid, const DeviceId& from) {
        emitEvent({{"event", "baton_requested"}, {"sid", sid.toHex()}, {"from", from.toHex()}});
    });
    connect(node_, &Node::batonRefused, this, [this](const SessionId& sid, const QString& reason) {
        emitEvent({{"event", "browse_refused"}, {"sid", sid.toHex()}, {"reason", reason}});
    });
}

std::unique_ptr<media::AudioDevice> PeerController::makeAudioDevice()
{
    auto device = std::make_unique<media::FileAudioDevice>();
    device->setInput(audioIn_, audioInLoop_);
    device->setKeepPlayed(false); // only what audio_out writes: a long call must not grow memory
    (void)device->setOutputFile(audioOut_); // not running yet: nothing is written
    device_ = device.get();
    return device;
}

void PeerController::callEvent(const SessionId& sid)
{
    QJsonArray members;
    for (const auto& m : node_->callMembers(sid))
        members.append(QJsonObject{{"device", m.device.toHex()},
                                   {"account", m.account.toHex()},
                                   {"name", m.name},
                                   {"self", m.self},
                                   {"muted", m.muted},
                                   {"deafened", m.deafened},
                                   {"speaking", m.speaking},
                                   {"media", m.mediaUp}});
    QJsonObject event{{"event", "call"},
                      {"sid", sid.toHex()},
                      {"in_call", node_->activeCall() == sid},
                      {"muted", node_->muted()},
                      {"deafened", node_->deafened()},
                      {"members", members}};
    // The file device's start on the machine's steady clock (CLOCK_MONOTONIC, the same in
    // every process): tests compute mouth-to-ear delay from it.
    if (node_->activeCall() == sid && device_ && device_->isRunning()) {
        event.insert("audio_start_ns", device_->startNs());
        event.insert("audio_period_samples", device_->frameSamples());
    }
    emitEvent(event);
}

void PeerController::callStatsEvents(const SessionId& sid)
{
    for (const auto& p : node_->callStats()) {
        const auto& m = p.media;
        emitEvent({{"event", "call_stats"},
                   {"sid", sid.toHex()},
                   {"peer", p.device.toHex()},
                   {"packets_sent", qint64(m.packetsSent)},
                   {"packets_received", qint64(m.packetsReceived)},
                   {"lost", qint64(m.lost)},
                   {"loss_percent", m.lossPercent},
                   {"late", qint64(m.late)},
                   {"concealed", qint64(m.concealed)},
                   {"underruns", qint64(m.underruns)},
                   {"waits", qint64(m.waits)},
                   {"unmixed", qint64(m.unmixed)},
                   {"replayed", qint64(m.replayed)},
                   {"tampered", qint64(m.tampered)},
                   {"jitter_ms", m.jitterMs},
                   {"buffer_ms", m.bufferMs},
                   {"playout_delay_ms", m.playoutDelayMs},
                   {"rtt_ms", p.rttMs ? QJsonValue(*p.rttMs) : QJsonValue()},
                   {"level_db", m.levelDb},
                   {"speaking", m.speaking}});
    }
}

void PeerController::emitEvent(QJsonObject event)
{
    // When it happened, on the clock every process on the machine shares: a test measures
    // between peers without counting the delay of its own reading (docs/plenum-peer.md).
    using namespace std::chrono;
    event.insert(
        QStringLiteral("at_us"),
        qint64(duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count()));
    const QByteArray line = QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

void PeerController::error(const QString& cmd, const QString& message)
{
    emitEvent({{"event", "error"}, {"cmd", cmd}, {"message", message}});
}

std::optional<SessionId> PeerController::sessionFor(const QJsonObject& cmd)
{
    if (cmd.contains("sid")) return idFrom<SessionId>(cmd.value("sid"));
    return node_->currentSession();
}

QJsonObject PeerController::rosterEvent(const SessionId& sid,
                                        const protocol::RosterSnapshot& r) const
{
    QJsonArray members;
    for (const auto& m : r.members)
        members.append(QJsonObject{{"account", m.account.toHex()},
                                   {"device", m.device.toHex()},
                                   {"name", m.name},
                                   {"class", protocol::deviceClassName(m.deviceClass)}});
    QJsonArray seats;
    for (const auto& s : r.reservations)
        seats.append(QJsonObject{
            {"device", s.device.toHex()}, {"replaces", s.replaces.toHex()}, {"keep", s.keep}});
    return {{"event", "roster"},
            {"sid", sid.toHex()},
            {"sm", r.sm.toHex()},
            {"epoch", qint64(r.at.epoch)},
            {"version", qint64(r.at.version)},
            {"members", members},
            {"seats", seats}};
}

QJsonObject PeerController::messageJson(const protocol::ChatMessage& m) const
{
    return {{"id", messageId(m.sender, m.seq)}, {"from", m.author.toHex()},
            {"device", m.sender.toHex()},       {"text", m.text},
            {"lamport", qint64(m.lamport)},     {"private", !m.recipients.isEmpty()}};
}

void PeerController::contactsEvent()
{
    QJsonArray list;
    for (const auto& c : node_->contacts().all())
        list.append(QJsonObject{{"account", c.account.toHex()},
                                {"name", c.displayName},
                                {"presence", node_->presenceOf(c.account)},
                                {"blocked", c.blocked}});
    emitEvent({{"event", "contacts"}, {"contacts", list}});
}

// "Continue here": the sessions this account's other devices are live in (their presence).
void PeerController::liveSessionsEvent()
{
    QJsonArray list;
    for (const auto& s : node_->liveSessionsElsewhere())
        list.append(QJsonObject{{"sid", s.session.sid.toHex()},
                                {"title", s.session.title},
                                {"device", s.device.toHex()},
                                {"device_name", s.deviceName},
                                {"class", protocol::deviceClassName(s.deviceClass)}});
    emitEvent({{"event", "live_sessions"}, {"sessions", list}});
}

void PeerController::devicesEvent()
{
    QJsonArray list;
    const QList<DeviceId> online = node_->myOnlineDevices();
    for (const auto& d : node_->myDevices()) {
        const auto cls = node_->deviceClassOf(d.id);
        list.append(QJsonObject{{"device", d.id.toHex()},
                                {"name", d.name},
                                {"this", d.id == node_->device()},
                                {"online", d.id == node_->device() || online.contains(d.id)},
                                {"class", cls ? protocol::deviceClassName(*cls) : QString()}});
    }
    emitEvent({{"event", "devices"}, {"devices", list}});
}

void PeerController::handleLine(const QByteArray& line)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return error(QString(), QStringLiteral("the line is not a JSON object"));
    const QJsonObject c = doc.object();
    const QString cmd = c.value("cmd").toString();
    if (cmd.isEmpty()) return error(QString(), QStringLiteral("the object has no \"cmd\""));

    if (cmd == "whoami") {
        emitEvent({{"event", "whoami"},
                   {"account", node_->account().toHex()},
                   {"device", node_->device().toHex()},
                   {"name", node_->name()},
                   {"class", protocol::deviceClassName(node_->deviceClass())}});
    } else if (cmd == "create") {
        const int capacity = c.value("capacity").toInt(8);
        if (capacity < 2 || capacity > 64) return error(cmd, "capacity must be 2..64");
        const SessionId sid =
            node_->create(std::uint32_t(capacity), c.value("invite_only").toBool());
        const auto r = node_->roster(sid);
        emitEvent({{"event", "session"},
                   {"sid", sid.toHex()},
                   {"sm", node_->device().toHex()},
                   {"epoch", qint64(r ? r->at.epoch : 1)}});
    } else if (cmd == "invite") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        std::optional<AccountId> account;
        QList<DeviceId> devices;
        if (c.contains("account")) {
            account = idFrom<AccountId>(c.value("account"));
            if (!account) return error(cmd, "\"account\" must be 64 hex digits");
        }
        if (c.contains("device")) {
            auto d = idFrom<DeviceId>(c.value("device"));
            if (!d) return error(cmd, "\"device\" must be 64 hex digits");
            devices.append(*d);
        }
        if (!account && devices.isEmpty()) return error(cmd, "give \"account\" or \"device\"");
        if (auto s = node_->invite(*sid, account.value_or(AccountId{}), devices); !s)
            emitEvent({{"event", "invite_result"},
                       {"target", c.value(c.contains("account") ? "account" : "device")},
                       {"code", s.code ? s.code : 480},
                       {"reason", s.error()}});
    } else if (cmd == "accept" || cmd == "decline" || cmd == "leave") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        const Status s = cmd == "accept"    ? node_->accept(*sid)
                         : cmd == "decline" ? node_->decline(*sid)
                                            : node_->leave(*sid);
        if (!s) error(cmd, s.error());
    } else if (cmd == "roster") {
        auto sid = sessionFor(c);
        auto r = sid ? node_->roster(*sid) : std::nullopt;
        if (!r) return error(cmd, "no session");
        emitEvent(rosterEvent(*sid, *r));
    } else if (cmd == "say") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        if (!c.value("text").isString()) return error(cmd, "\"text\" must be a string");
        QList<AccountId> to;
        for (const auto& v : c.value("to").toArray()) {
            auto a = idFrom<AccountId>(v);
            if (!a) return error(cmd, "\"to\" must list account ids");
            to.append(*a);
        }
        // Refused here, before it is stored or reported sent: every peer would refuse it.
        if (auto ok = chat::checkOutgoingText(c.value("text").toString()); !ok)
            return error(cmd, ok.error());
        auto seq = node_->say(*sid, c.value("text").toString(), to);
        if (!seq) return error(cmd, seq.error());
        emitEvent({{"event", "sent"},
                   {"sid", sid->toHex()},
                   {"id", messageId(node_->device(), seq.value())}});
    } else if (cmd == "type") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        if (auto s = node_->type(*sid, c.value("text").toString()); !s) error(cmd, s.error());
    } else if (cmd == "history") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        const int limit = std::clamp(c.value("limit").toInt(100), 1, 100000);
        // Version 2: "before_lamport" + "before_device" = the messages just before that one.
        const bool before = c.contains("before_lamport") || c.contains("before_device");
        auto beforeDevice = idFrom<DeviceId>(c.value("before_device"));
        if (before && (!beforeDevice || c.value("before_lamport").toInteger(-1) < 0))
            return error(cmd, "\"before_lamport\" and \"before_device\" go together");
        auto h = before ? node_->historyBefore(*sid,
                                               std::uint64_t(c.value("before_lamport").toInteger()),
                                               *beforeDevice, limit)
                        : node_->history(*sid, limit);
        if (!h) return error(cmd, h.error());
        QJsonArray list;
        for (const auto& m : h.value())
            list.append(messageJson(m.message));
        emitEvent({{"event", "history"}, {"sid", sid->toHex()}, {"messages", list}});
    } else if (cmd == "contacts") {
        contactsEvent();
    } else if (cmd == "add_contact") {
        auto a = idFrom<AccountId>(c.value("account"));
        if (!a) return error(cmd, "\"account\" must be 64 hex digits");
        if (auto s = node_->addContact(*a); !s) return error(cmd, s.error());
        contactsEvent();
    } else if (cmd == "block" || cmd == "unblock") {
        auto a = idFrom<AccountId>(c.value("account"));
        if (!a) return error(cmd, "\"account\" must be 64 hex digits");
        if (auto s = node_->setBlocked(*a, cmd == "block"); !s) return error(cmd, s.error());
        contactsEvent();
    } else if (cmd == "retry") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        const QStringList id = c.value("id").toString().split(QLatin1Char(':'));
        bool ok = false;
        const auto seq = id.size() == 2 ? id[1].toULongLong(&ok) : 0;
        if (!ok || id[0] != node_->device().toHex())
            return error(cmd, "\"id\" must be the id of a message this device sent");
        if (auto s = node_->retry(*sid, seq); !s) return error(cmd, s.error());
    } else if (cmd == "presence") {
        if (auto s = node_->setPresence(c.value("status").toString()); !s)
            return error(cmd, s.error());
    } else if (cmd == "set_name") {
        if (auto s = node_->setDisplayName(c.value("name").toString()); !s)
            return error(cmd, s.error());
        emitEvent({{"event", "whoami"},
                   {"account", node_->account().toHex()},
                   {"device", node_->device().toHex()},
                   {"name", node_->name()},
                   {"class", protocol::deviceClassName(node_->deviceClass())}});
    } else if (cmd == "devices") {
        devicesEvent();
    } else if (cmd == "live_sessions") {
        liveSessionsEvent();
    } else if (cmd == "revoke") {
        auto d = idFrom<DeviceId>(c.value("device"));
        if (!d) return error(cmd, "\"device\" must be 64 hex digits");
        if (auto s = node_->revokeDevice(*d); !s) return error(cmd, s.error());
        devicesEvent();
    } else if (cmd == "fault" && c.contains("forge_chat")) {
        // Tests only, a hostile peer: send a crafted CHAT to one device. Fields default to
        // this device's own; "sign": true signs it with this device's link key.
        const QJsonObject f = c.value("forge_chat").toObject();
        auto sid = sessionFor(c);
        auto to = idFrom<DeviceId>(f.value("to"));
        if (!sid || !to) return error(cmd, "forge_chat needs a session and \"to\"");
        protocol::ChatMessage m;
        m.sender = f.contains("sender") ? idFrom<DeviceId>(f.value("sender")).value_or(DeviceId{})
                                        : node_->device();
        m.author = f.contains("author") ? idFrom<AccountId>(f.value("author")).value_or(AccountId{})
                                        : node_->account();
        m.seq = std::uint64_t(f.value("seq").toInteger(1));
        m.lamport = f.contains("lamport_hex")
                        ? f.value("lamport_hex").toString().toULongLong(nullptr, 16)
                        : std::uint64_t(f.value("lamport").toInteger(1));
        m.text = f.value("text").toString();
        if (auto s = node_->injectChat(*sid, *to, m, f.value("sign").toBool(false)); !s)
            return error(cmd, s.error());
        emitEvent({{"event", "forged"}, {"sid", sid->toHex()}});
    } else if (cmd == "fault" && c.contains("forge_roster")) {
        // Tests only, a hostile member: a committed roster of a newer epoch naming this device
        // its SM, without "leave_out", signed by itself, to "to".
        const QJsonObject f = c.value("forge_roster").toObject();
        auto sid = sessionFor(c);
        auto to = idFrom<DeviceId>(f.value("to"));
        auto out = idFrom<DeviceId>(f.value("leave_out"));
        if (!sid || !to || !out)
            return error(cmd, "forge_roster needs a session, \"to\" and \"leave_out\"");
        if (auto s = node_->injectNewerEpochRoster(*sid, *to, *out); !s)
            return error(cmd, s.error());
        emitEvent({{"event", "forged"}, {"sid", sid->toHex()}});
    } else if (cmd == "fault" && c.contains("forge_invite")) {
        // Tests only, a hostile inviter (issue 13): this device's INVITEs claim "name", list
        // it under "account", or name "referrer" as the member who asked, or carry the last
        // member's referral it passed on ("replay_referral"); {} stops it.
        const QJsonObject f = c.value("forge_invite").toObject();
        std::optional<node::Node::ForgedInvite> forged;
        if (!f.isEmpty()) {
            forged.emplace();
            forged->name = f.value("name").toString();
            if (f.contains("account")) {
                forged->account = idFrom<AccountId>(f.value("account"));
                if (!forged->account) return error(cmd, "\"account\" must be 64 hex digits");
            }
            if (f.contains("referrer")) {
                forged->referrer = idFrom<DeviceId>(f.value("referrer"));
                if (!forged->referrer) return error(cmd, "\"referrer\" must be 64 hex digits");
            }
            forged->replayReferral = f.value("replay_referral").toBool(false);
        }
        node_->setForgedInvite(forged);
        emitEvent({{"event", "forged"}});
    } else if (cmd == "fault" && c.contains("fail_handoff_stores")) {
        // Tests only: the next N hand-off notices put on the DHT fail.
        node_->setFailHandoffStores(c.value("fail_handoff_stores").toInt());
        emitEvent({{"event", "forged"}});
    } else if (cmd == "fault") {
        // Tests only: lose this device's chat messages to one device (a lost write).
        auto d = idFrom<DeviceId>(c.value("drop_chat_to"));
        if (!d) return error(cmd, "\"drop_chat_to\" must be 64 hex digits");
        node_->setDropChatTo(*d, c.value("on").toBool(true));
    } else if (cmd == "live_typing") {
        node_->setLiveTyping(c.value("on").toBool(true));
    } else if (cmd == "pair_code") {
        auto code = node_->newPairingCode();
        if (!code) return error(cmd, code.error());
        emitEvent({{"event", "pair_code"}, {"code", code.value()}});
    } else if (cmd == "pair") {
        if (auto s = node_->pair(c.value("code").toString()); !s) return error(cmd, s.error());
    } else if (cmd == "stats") {
        // Full chat messages (not side-chat stubs) this device sent, per destination device.
        QJsonObject sent;
        const auto counts = node_->chatSentTo();
        for (auto it = counts.begin(); it != counts.end(); ++it)
            sent.insert(it.key().toHex(), it.value());
        // Relayed signaling (issue 11): SignalMessages per path and device, relay work, and
        // the ICE/TLS times of each current link (ms since the link was made).
        QJsonObject dht, relayed, links;
        QJsonObject signaling;
        if (const auto* router = node_->signalRouter()) {
            const auto& st = router->stats();
            for (auto it = st.dhtSentTo.begin(); it != st.dhtSentTo.end(); ++it)
                dht.insert(it.key().toHex(), it.value());
            for (auto it = st.relaySentTo.begin(); it != st.relaySentTo.end(); ++it)
                relayed.insert(it.key().toHex(), it.value());
            signaling = {{"dht_sent_to", dht},
                         {"relay_sent_to", relayed},
                         {"envelopes_relayed", st.envelopesRelayed},
                         {"fallbacks", st.fallbacks},
                         {"rejected", st.rejected},
                         {"forwarded_for_others", node_->signalRelay().forwarded()},
                         {"refused_for_others", node_->signalRelay().refused()}};
        }
        const auto timings = node_->linkTimings();
        for (auto it = timings.begin(); it != timings.end(); ++it)
            links.insert(it.key().toHex(),
                         QJsonObject{{"ice_ms", it->iceMs},
                                     {"tls_ms", it->tlsMs},
                                     {"answering", it->answering},
                                     {"pings_sent", qint64(it->pingsSent)},
                                     {"messages_sent", qint64(it->messagesSent)}});
        const auto trace = node_->joinTrace();
        emitEvent({{"event", "stats"},
                   {"chat_sent_to", sent},
                   {"join",
                    QJsonObject{{"joined_ms", trace.joinedMs}, {"admitted_ms", trace.admittedMs}}},
                   {"signaling", signaling},
                   {"links", links}});
    } else if (cmd == "relay") {
        // Tests only: "on": false stops relaying for others; "tamper": "flip" | "replay" |
        // "none" makes this device a hostile relay.
        if (c.contains("on")) node_->setRelayEnabled(c.value("on").toBool(true));
        const QString t = c.value("tamper").toString();
        if (t == "flip")
            node_->setRelayTamper(node::SignalRelay::Tamper::Flip);
        else if (t == "replay")
            node_->setRelayTamper(node::SignalRelay::Tamper::Replay);
        else if (t == "none")
            node_->setRelayTamper(node::SignalRelay::Tamper::None);
        else if (!t.isEmpty())
            return error(cmd, "\"tamper\" must be flip, replay or none");
        emitEvent({{"event", "relay"}, {"on", c.value("on").toBool(true)}, {"tamper", t}});
    } else if (cmd == "call_join") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        if (auto s = node_->joinCall(*sid); !s) return error(cmd, s.error());
    } else if (cmd == "call_leave") {
        if (auto s = node_->leaveCall(); !s) return error(cmd, s.error());
    } else if (cmd == "call") {
        auto sid = c.contains("sid") || !node_->activeCall() ? sessionFor(c) : node_->activeCall();
        if (!sid) return error(cmd, "no session");
        callEvent(*sid);
    } else if (cmd == "mute" || cmd == "deafen") {
        const QJsonValue on = c.value("on");
        if (!on.isUndefined() && !on.isBool()) return error(cmd, "\"on\" must be true or false");
        cmd == "mute" ? node_->setMuted(on.toBool(true)) : node_->setDeafened(on.toBool(true));
        if (!node_->activeCall())
            if (auto sid = sessionFor(c)) callEvent(*sid); // the call events say it otherwise
    } else if (cmd == "audio_in") {
        // Read now, so a bad file is refused here rather than when the call starts.
        if (!c.value("file").isString()) return error(cmd, "\"file\" must be a path");
        auto samples = media::WavFile::read(c.value("file").toString());
        if (!samples) return error(cmd, samples.error());
        audioIn_ = std::move(samples.value());
        audioInLoop_ = c.value("loop").toBool(false);
        // Mid-call: the running device speaks the new file at once, from its beginning (on the
        // call's audio thread, where it lives).
        if (auto* d = device_.data())
            media::runOnThreadOf(d, [d, in = audioIn_, loop = audioInLoop_] {
                if (d->isRunning()) d->setInput(in, loop);
            });
    } else if (cmd == "audio_out") {
        if (!c.value("file").isString()) return error(cmd, "\"file\" must be a path");
        audioOut_ = c.value("file").toString();
        // Mid-call: what was played so far goes to the previous file now, the rest here.
        Status ok = Ok{};
        if (auto* d = device_.data())
            media::runOnThreadOf(d, [d, &ok, out = audioOut_] {
                if (d->isRunning()) ok = d->setOutputFile(out);
            });
        if (!ok) return error(cmd, ok.error());
    } else if (cmd == "browse") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        if (!c.value("url").isString()) return error(cmd, "\"url\" must be a string");
        if (auto s = node_->browse().browse(*sid, c.value("url").toString(),
                                            c.value("title").toString());
            !s)
            emitEvent({{"event", "browse_refused"}, {"sid", sid->toHex()}, {"reason", s.error()}});
    } else if (cmd == "scroll") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        // Fractions of the page; x defaults to 0 (pages mostly scroll down).
        const QJsonValue x = c.value("x"), y = c.value("y");
        const auto fraction = [](const QJsonValue& v) {
            return v.isDouble() && v.toDouble() >= 0 && v.toDouble() <= 1;
        };
        if (!fraction(y) || (!x.isUndefined() && !fraction(x)))
            return error(cmd, "\"y\" (and \"x\" if given) must be numbers from 0 to 1");
        const auto scale = [](double f) {
            return std::uint32_t(std::lround(f * protocol::limits::kScrollFull));
        };
        if (auto s = node_->browse().scroll(*sid, scale(x.toDouble(0)), scale(y.toDouble())); !s)
            emitEvent({{"event", "browse_refused"}, {"sid", sid->toHex()}, {"reason", s.error()}});
    } else if (cmd == "baton_request") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        node_->requestBaton(*sid);
    } else if (cmd == "baton_pass") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        // No "device" (or null): back to the SM.
        std::optional<DeviceId> to = DeviceId{};
        if (!c.value("device").isNull() && !c.value("device").isUndefined())
            to = idFrom<DeviceId>(c.value("device"));
        if (!to) return error(cmd, "\"device\" must be 64 hex digits or null");
        node_->passBaton(*sid, *to);
    } else if (cmd == "baton_answer") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        if (!c.value("grant").isBool()) return error(cmd, "\"grant\" must be true or false");
        node_->answerBaton(*sid, c.value("grant").toBool());
    } else if (cmd == "follow") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        const QJsonValue on = c.value("on");
        if (!on.isUndefined() && !on.isBool()) return error(cmd, "\"on\" must be true or false");
        node_->browse().setFollow(*sid, on.toBool(true));
    } else if (cmd == "browse_block") {
        // Device-wide, not per session: a site this person never follows to.
        const QJsonValue on = c.value("on");
        if (!on.isUndefined() && !on.isBool()) return error(cmd, "\"on\" must be true or false");
        if (auto s = node_->browse().blockDomain(c.value("domain").toString(), on.toBool(true)); !s)
            return error(cmd, s.error());
        emitEvent({{"event", "browse_blocked"},
                   {"domains", QJsonArray::fromStringList(node_->browse().blockedDomains())}});
    } else if (cmd == "handoff_push") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        auto d = idFrom<DeviceId>(c.value("device"));
        if (!d) return error(cmd, "\"device\" must be 64 hex digits");
        const QJsonValue ttl = c.value("ttl_ms");
        if (!ttl.isUndefined() && (!ttl.isDouble() || ttl.toDouble() < 1000 ||
                                   ttl.toDouble() > protocol::limits::kMaxHandoffTtlMs))
            return error(cmd, "\"ttl_ms\" must be a number of ms from 1000 to 600000");
        if (auto s = node_->handoffPush(*sid, *d, c.value("keep").toBool(false),
                                        qint64(ttl.toDouble(0)));
            !s)
            return error(cmd, s.error());
    } else if (cmd == "handoff_pull") {
        auto sid = idFrom<SessionId>(c.value("sid"));
        if (!sid) return error(cmd, "\"sid\" must be the session's hex id");
        if (auto s = node_->handoffPull(*sid, c.value("keep").toBool(false)); !s)
            return error(cmd, s.error());
    } else if (cmd == "handoff_answer") {
        auto sid = idFrom<SessionId>(c.value("sid"));
        if (!sid) return error(cmd, "\"sid\" must be the session's hex id");
        if (!c.value("accept").isBool()) return error(cmd, "\"accept\" must be true or false");
        if (auto s = node_->handoffAnswer(*sid, c.value("accept").toBool()); !s)
            return error(cmd, s.error());
    } else if (cmd == "handoff_cancel") {
        auto sid = sessionFor(c);
        if (!sid) return error(cmd, "no session");
        if (auto s = node_->handoffCancel(*sid); !s) return error(cmd, s.error());
    } else if (cmd == "quit") {
        Q_EMIT quitRequested();
    } else {
        error(cmd, "unknown command");
    }
}

} // namespace plenum::peer
