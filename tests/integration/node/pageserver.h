#pragma once
// A tiny HTTP/1.0 server on 127.0.0.1 (an ephemeral port) for co-browsing tests: serves
// /1.html, /2.html and /3.html ("Page N" as title and heading; tall, a colour each), 404 for
// anything else. It runs in the test's event loop (PeerProcess::waitEvent and QTest::qWaitFor
// keep it turning). fetch() loads a page as a browser would start to (a blocking GET with its
// own loop).

#include <QString>
#include <QTcpServer>

namespace plenum::testsupport {

class PageServer {
public:
    PageServer();
    bool ok() const { return server_.isListening(); }
    QString url(int page) const;
    // GETs `url` (one of ours); the body, or an empty string if it failed or was not 200.
    static QString fetch(const QString& url, int timeoutMs = 5000);
    int served() const { return served_; }

private:
    QTcpServer server_;
    int served_ = 0;
};

} // namespace plenum::testsupport
