#pragma once
// plenum-peer's JSON-lines contract (docs/plenum-peer.md): one command per stdin line, one
// event per stdout line, flushed at once. Bad input is answered with an "error" event.

#include "media/fileaudiodevice.h"
#include "node/node.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace plenum::peer {

class PeerController : public QObject {
    Q_OBJECT
public:
    static constexpr int kProtocolVersion = 2;
    explicit PeerController(node::Node* node, QObject* parent = nullptr);

    void handleLine(const QByteArray& line);
    void emitEvent(QJsonObject event);

Q_SIGNALS:
    void quitRequested();

private:
    void error(const QString& cmd, const QString& message);
    std::optional<SessionId> sessionFor(const QJsonObject& cmd);
    QJsonObject rosterEvent(const SessionId& sid, const protocol::RosterSnapshot& roster) const;
    QJsonObject messageJson(const protocol::ChatMessage& m) const;
    void contactsEvent();
    void devicesEvent();
    void liveSessionsEvent();
    void callEvent(const SessionId& sid);
    void callStatsEvents(const SessionId& sid);
    std::unique_ptr<media::AudioDevice> makeAudioDevice();

    node::Node* node_;
    QHash<SessionId, protocol::RosterSnapshot> rosters_;
    // The file audio backend of the next call (audio_in / audio_out).
    std::vector<qint16> audioIn_;
    bool audioInLoop_ = false;
    QString audioOut_;
    QPointer<media::FileAudioDevice> device_; // the running call's
};

} // namespace plenum::peer
