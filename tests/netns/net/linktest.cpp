// plenum-linktest: one end of one control link, driven over stdin/stdout, so tests can run
// each peer as its own process (under `ip netns exec`: FACTS.md, sockets bind in the
// namespace of the gathering thread) or kill it with SIGKILL.
//
// stdout, one JSON object per line:
//   {"event":"identity","device":HEX}  {"event":"signal","data":BASE64}
//   {"event":"up","ms":N,"pair":"srflx/srflx"}  {"event":"down","reason":TEXT}
//   {"event":"message","size":N}  {"event":"keys","local":HEX,"remote":HEX}
// stdin, one command per line:
//   peer HEX | connect | signal BASE64 | send N | keys | quit
#include "testidentity.h"

#include "net/linkmanager.h"
#include "net/relaysignaling.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>

#include <cstdio>
#include <unistd.h>

using namespace plenum;
using namespace plenum::net;

namespace {

void emitEvent(const QJsonObject& event)
{
    const QByteArray line = QJsonDocument(event).toJson(QJsonDocument::Compact);
    std::fprintf(stdout, "%s\n", line.constData());
    std::fflush(stdout);
}

Result<TurnServer> parseTurn(const QString& spec)
{
    const QStringList parts = spec.split(QLatin1Char(':'));
    if (parts.size() < 4) return fail(QStringLiteral("--turn wants IP:PORT:USER:PASS[:tcp]"));
    TurnServer turn;
    turn.ip = parts[0];
    turn.port = quint16(parts[1].toUInt());
    turn.username = parts[2];
    turn.password = parts[3];
    if (parts.size() > 4 && parts[4] == QLatin1String("tcp"))
        turn.transport = TurnServer::Transport::Tcp;
    return turn;
}

class Driver : public QObject {
public:
    Driver(const ControlLinkConfig& config, const QString& name)
        : identity_(test::makeTestIdentity(name)), relay_([](DeviceId, QByteArray bytes) {
              emitEvent({{"event", "signal"}, {"data", QString::fromLatin1(bytes.toBase64())}});
          }),
          manager_(identity_.credentials, chainVerifier(), &relay_, config),
          stdin_(STDIN_FILENO, QSocketNotifier::Read)
    {
        clock_.start();
        connect(&manager_, &LinkManager::linkCreated, this,
                [](ControlLink* link) { link->setSessionActive(true); });
        connect(&manager_, &LinkManager::linkUp, this, [this](DeviceId) {
            ControlLink* link = manager_.link(peer_);
            emitEvent({{"event", "up"},
                       {"ms", clock_.elapsed()},
                       {"pair", link ? link->selectedPairType() : QString()}});
        });
        connect(&manager_, &LinkManager::linkDown, this, [](DeviceId, const QString& reason) {
            emitEvent({{"event", "down"}, {"reason", reason}});
        });
        connect(&manager_, &LinkManager::message, this, [](DeviceId, const QByteArray& m) {
            emitEvent({{"event", "message"}, {"size", m.size()}});
        });
        connect(&stdin_, &QSocketNotifier::activated, this, &Driver::readStdin);
        emitEvent({{"event", "identity"}, {"device", identity_.device.toHex()}});
    }

private:
    void readStdin()
    {
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            QCoreApplication::quit(); // the test runner went away
            return;
        }
        input_.append(buffer, n);
        qsizetype end;
        while ((end = input_.indexOf('\n')) >= 0) {
            const QByteArray line = input_.left(end).trimmed();
            input_.remove(0, end + 1);
            command(line);
        }
    }

    void command(const QByteArray& line)
    {
        const QList<QByteArray> words = line.split(' ');
        const QByteArray& verb = words.value(0);
        const QByteArray arg = words.value(1);
        if (verb == "peer") {
            peer_ = DeviceId::fromHex(QString::fromLatin1(arg)).value_or(DeviceId{});
        } else if (verb == "connect") {
            clock_.restart();
            manager_.connectTo(peer_);
        } else if (verb == "signal") {
            relay_.deliver(peer_, QByteArray::fromBase64(arg));
        } else if (verb == "send") {
            if (ControlLink* link = manager_.link(peer_))
                (void)link->send(QByteArray(arg.toInt(), 'm'));
        } else if (verb == "keys") {
            ControlLink* link = manager_.link(peer_);
            auto keys = link ? link->srtpKeys() : Result<SrtpKeys>(fail(QStringLiteral("no link")));
            if (keys)
                emitEvent({{"event", "keys"},
                           {"local", QString::fromLatin1(keys->local.toHex())},
                           {"remote", QString::fromLatin1(keys->remote.toHex())}});
        } else if (verb == "quit") {
            QCoreApplication::quit();
        }
    }

    test::TestIdentity identity_;
    RelaySignaling relay_;
    LinkManager manager_;
    QSocketNotifier stdin_;
    QByteArray input_;
    DeviceId peer_;
    QElapsedTimer clock_;
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({
        {"name", "identity name", "name", "peer"},
        {"loopback", "gather 127.0.0.1"},
        {"local-ip", "gather only this address", "ip"},
        {"stun", "STUN server IP:PORT", "server"},
        {"turn", "TURN server IP:PORT:USER:PASS[:tcp]", "server"},
        {"relay-only", "use TURN relays only"},
        {"ping-ms", "ping interval while active", "ms", "250"},
        {"pacing-ms", "stun-pacing-timer", "ms", "5"},
        {"timeout-ms", "connect timeout", "ms", "10000"},
        {"missed-pings", "link down after this many silent ping intervals", "n", "4"},
    });
    parser.addHelpOption();
    parser.process(app);

    ControlLinkConfig config;
    config.ice.allowLoopback = parser.isSet("loopback");
    if (parser.isSet("local-ip")) config.ice.localAddresses = {parser.value("local-ip")};
    if (parser.isSet("stun")) {
        const QStringList parts = parser.value("stun").split(QLatin1Char(':'));
        config.ice.stun = {StunServer{parts.value(0), quint16(parts.value(1).toUInt())}};
    }
    if (parser.isSet("turn")) {
        auto turn = parseTurn(parser.value("turn"));
        if (!turn) {
            std::fprintf(stderr, "%s\n", qPrintable(turn.error()));
            return 2;
        }
        config.ice.turn = {turn.value()};
    }
    config.ice.relayOnly = parser.isSet("relay-only");
    config.ice.stunPacingMs = parser.value("pacing-ms").toInt();
    config.activePingMs = parser.value("ping-ms").toInt();
    config.connectTimeoutMs = parser.value("timeout-ms").toInt();
    config.missedPings = parser.value("missed-pings").toInt();

    Driver driver(config, parser.value("name"));
    return app.exec();
}
