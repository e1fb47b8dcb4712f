#include "pageserver.h"

#include <QEventLoop>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

namespace plenum::testsupport {

namespace {

// Page `n`: its own background colour and a tall body of numbered sections ending in "End of
// page n", so a screenshot tells the pages apart and shows how far a view is scrolled.
QByteArray page(int n)
{
    static const char* const colours[] = {"#ffe3a8", "#c4ecce", "#cddcff"};
    const QByteArray number = QByteArray::number(n);
    QByteArray sections;
    // Heights differ per page: a view at the end of one page is not at the end of another.
    for (int i = 1; i <= 8 + 3 * n; ++i)
        sections += "<div style='height:240px;border-top:2px solid #0003'><h2>Section " +
                    QByteArray::number(i) + " of page " + number +
                    "</h2><p>Everyone who follows the leader sees this part of the page when "
                    "the leader scrolls here.</p></div>";
    return "<html><head><title>Page " + number +
           "</title></head><body style='margin:0;padding:16px;font-family:sans-serif;"
           "background:" +
           colours[(n - 1) % 3] + "'><h1 style='font-size:48px'>Page " + number +
           "</h1><p>Served by the test's own HTTP server on 127.0.0.1.</p>" + sections +
           "<h1 style='font-size:40px'>End of page " + number + "</h1></body></html>";
}

} // namespace

PageServer::PageServer()
{
    QObject::connect(&server_, &QTcpServer::newConnection, &server_, [this] {
        while (QTcpSocket* s = server_.nextPendingConnection()) {
            QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] {
                if (!s->canReadLine()) return;
                const QString line = QString::fromLatin1(s->readLine()).trimmed();
                static const QRegularExpression get(QStringLiteral("^GET /([123])\\.html "));
                const auto m = get.match(line);
                QByteArray reply;
                if (m.hasMatch()) {
                    const QByteArray body = page(m.captured(1).toInt());
                    reply = "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: " +
                            QByteArray::number(body.size()) + "\r\n\r\n" + body;
                    ++served_;
                } else {
                    reply = "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n";
                }
                s->write(reply);
                s->disconnectFromHost();
            });
        }
    });
    server_.listen(QHostAddress::LocalHost, 0);
}

QString PageServer::url(int page) const
{
    return QStringLiteral("http://127.0.0.1:%1/%2.html").arg(server_.serverPort()).arg(page);
}

QString PageServer::fetch(const QString& url, int timeoutMs)
{
    const QUrl u(url);
    QTcpSocket s;
    QByteArray got;
    QEventLoop loop;
    QObject::connect(&s, &QTcpSocket::connected, &loop, [&] {
        s.write("GET " + u.path().toLatin1() + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    });
    QObject::connect(&s, &QTcpSocket::readyRead, &loop, [&] { got += s.readAll(); });
    QObject::connect(&s, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&s, &QTcpSocket::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    s.connectToHost(u.host(), quint16(u.port()));
    loop.exec();
    got += s.readAll();
    if (!got.startsWith("HTTP/1.0 200")) return {};
    return QString::fromUtf8(got.mid(got.indexOf("\r\n\r\n") + 4));
}

} // namespace plenum::testsupport
