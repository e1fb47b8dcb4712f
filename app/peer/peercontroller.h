#pragma once
// plenum-peer's JSON-lines contract (docs/plenum-peer.md): one command per stdin line, one
// event per stdout line, flushed at once. Bad input is answered with an "error" event.

#include "node/node.h"

#include <QJsonObject>
#include <QObject>

namespace plenum::peer {

class PeerController : public QObject {
    Q_OBJECT
public:
    static constexpr int kProtocolVersion = 2;
    explicit PeerController(node::Node* node, QObject* parent = nullptr);

    void handleLine(const QByteArray& line);
    void emitEvent(const QJsonObject& event);

Q_SIGNALS:
    void quitRequested();

private:
    void error(const QString& cmd, const QString& message);
    std::optional<SessionId> sessionFor(const QJsonObject& cmd);
    QJsonObject rosterEvent(const SessionId& sid, const protocol::RosterSnapshot& roster) const;
    QJsonObject messageJson(const protocol::ChatMessage& m) const;
    void contactsEvent();
    void devicesEvent();

    node::Node* node_;
    QHash<SessionId, protocol::RosterSnapshot> rosters_;
};

} // namespace plenum::peer
