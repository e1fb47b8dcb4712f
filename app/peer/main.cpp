// plenum-peer: a headless Plenum device driven by JSON lines (docs/plenum-peer.md).

#include "peercontroller.h"
#include "peeroptions.h"
#include "stdinreader.h"

#include <QCoreApplication>
#include <QTimer>

#include <csignal>
#include <cstdio>

using namespace plenum;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    std::signal(SIGPIPE, SIG_IGN);
    auto options = peer::parseOptions(app.arguments().mid(1));
    if (!options) {
        std::fprintf(stderr, "plenum-peer: %s\n", qPrintable(options.error()));
        return 2;
    }
    auto node = node::Node::open(options.value());
    if (!node) {
        std::fprintf(stderr, "plenum-peer: %s\n", qPrintable(node.error()));
        return 1;
    }
    peer::PeerController controller(node->get());
    auto ready = [&] {
        controller.emitEvent({{"event", "ready"},
                              {"account", node.value()->account().toHex()},
                              {"device", node.value()->device().toHex()},
                              {"name", node.value()->name()},
                              {"dht_port", node.value()->dhtPort()},
                              {"version", peer::PeerController::kProtocolVersion}});
    };
    // With --pair, "ready" names the paired account; a failed pairing ends the process.
    const bool pairing = !options->pairCode.isEmpty();
    if (pairing) {
        QObject::connect(node->get(), &node::Node::paired, &app, ready);
        QObject::connect(node->get(), &node::Node::pairingFailed, &app, [](const QString& why) {
            std::fprintf(stderr, "plenum-peer: pairing failed: %s\n", qPrintable(why));
            QCoreApplication::exit(1);
        });
    }
    if (auto s = node.value()->start(); !s) {
        std::fprintf(stderr, "plenum-peer: %s\n", qPrintable(s.error()));
        return 1;
    }
    if (!pairing) ready();

    bool quitting = false;
    auto quit = [&] {
        if (quitting) return;
        quitting = true;
        node.value()->shutdown();
        // Give the BYEs a moment on the wire before the links close.
        QTimer::singleShot(150, &app, [] { QCoreApplication::exit(0); });
    };
    peer::StdinReader input;
    QObject::connect(&input, &peer::StdinReader::line, &controller,
                     &peer::PeerController::handleLine);
    QObject::connect(&input, &peer::StdinReader::tooLong, &controller, [&] {
        controller.emitEvent(
            {{"event", "error"}, {"cmd", ""}, {"message", "the line is too long"}});
    });
    QObject::connect(&input, &peer::StdinReader::closed, &app, quit);
    QObject::connect(&controller, &peer::PeerController::quitRequested, &app, quit);
    const int rc = app.exec();
    node.value().reset();
    return rc;
}
