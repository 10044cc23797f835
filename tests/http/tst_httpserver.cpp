// SPDX-License-Identifier: GPL-3.0-or-later
// Http::Server's defences against clients that hold it (http/httpconnection.h Limits): a request
// judged by its head alone is refused before its body is read, a route's own body limit, idle
// and dripping connections closed by the timeouts, and the connection cap (the oldest idle
// connection makes room; with none idle, 503). Clients are asynchronous sockets in this
// process, so the server keeps running while a test waits.
#include "httpserver.h"

#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Feedscope::Http;

namespace {

// A raw client connection that collects what it receives.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [this] {
            received += socket.readAll();
        });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }

    bool closed() const { return socket.state() == QAbstractSocket::UnconnectedState; }
    // The status of the first response received, 0 before one arrived.
    int status() const
    {
        if (!received.startsWith("HTTP/1.1 ") || received.size() < 12)
            return 0;
        return received.mid(9, 3).toInt();
    }

    QTcpSocket socket;
    QByteArray received;
};

// A server whose handler answers 200 "ok" at once, or holds the reply when `hold` is set.
struct TestServer
{
    explicit TestServer(const Limits &limits)
        : server(
              [this](Request &&request, const Reply &reply) {
                  handled.append(request);
                  if (hold)
                      held.append(reply);
                  else
                      reply.send(Response::text(200, "ok"));
              },
              [](int status, const QString &message) {
                  return Response::json(status,
                                        "{\"error\":\"" + message.toUtf8() + "\",\"code\":\"t\"}");
              })
    {
        server.setLimits(limits);
        server.listen(QHostAddress::LocalHost, 0);
    }

    QList<Request> handled;
    QList<Reply> held;
    bool hold = false;
    Server server;
};

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusedByTheHeadBeforeTheBody()
    {
        Limits limits;
        limits.inspectHead = [](const Request &head) {
            HeadVerdict verdict;
            if (head.header("authorization").isEmpty()) {
                verdict.refusalStatus = 401;
                verdict.refusalMessage = QStringLiteral("no key");
            }
            return verdict;
        };
        TestServer t(limits);
        RawClient client(t.server.port());
        // Only the head of a gigabyte: the answer comes without any of the body.
        client.socket.write("PUT /x HTTP/1.1\r\nContent-Length: 1073741824\r\n\r\n");
        QTRY_COMPARE(client.status(), 401);
        QVERIFY(client.received.contains("\"error\":\"no key\""));
        QVERIFY(client.received.contains("Connection: close"));
        QTRY_VERIFY(client.closed());
        QVERIFY(t.handled.isEmpty());

        // A chunked body without a key: the same, before the first chunk.
        RawClient chunked(t.server.port());
        chunked.socket.write("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        QTRY_COMPARE(chunked.status(), 401);
        QTRY_VERIFY(chunked.closed());

        // With a key the body is read and the request handled.
        RawClient keyed(t.server.port());
        keyed.socket.write("PUT /x HTTP/1.1\r\nAuthorization: k\r\nContent-Length: 2\r\n\r\n{}");
        QTRY_COMPARE(keyed.status(), 200);
        QCOMPARE(t.handled.size(), 1);
        QCOMPARE(t.handled.first().body, QByteArray("{}"));
    }

    void aRouteLimitsItsBody()
    {
        Limits limits;
        limits.maxBodyBytes = 1024 * 1024;
        limits.inspectHead = [](const Request &head) {
            HeadVerdict verdict;
            verdict.maxBodyBytes = head.path == "/small" ? 1000 : -1;
            return verdict;
        };
        TestServer t(limits);

        RawClient declared(t.server.port());
        declared.socket.write("PUT /small HTTP/1.1\r\nContent-Length: 2000\r\n\r\n");
        QTRY_COMPARE(declared.status(), 413);
        QVERIFY(declared.received.contains("threshold of 1000 bytes"));

        RawClient chunked(t.server.port());
        chunked.socket.write("PUT /small HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n"
                             + QByteArray(2000, 'x') + "\r\n0\r\n\r\n");
        QTRY_COMPARE(chunked.status(), 413);
        QTRY_VERIFY(chunked.closed());

        // Elsewhere the server-wide limit applies.
        RawClient large(t.server.port());
        large.socket.write("PUT /large HTTP/1.1\r\nContent-Length: 2000\r\n\r\n"
                           + QByteArray(2000, 'x'));
        QTRY_COMPARE(large.status(), 200);
        QCOMPARE(t.handled.size(), 1);
        QCOMPARE(t.handled.first().body.size(), 2000);
    }

    void idleConnectionsAreClosed()
    {
        Limits limits;
        limits.idleTimeoutMs = 200;
        TestServer t(limits);

        RawClient silent(t.server.port()); // connects and never sends a byte
        RawClient keptAlive(t.server.port());
        keptAlive.socket.write("GET /x HTTP/1.1\r\n\r\n");
        QTRY_COMPARE(keptAlive.status(), 200);
        QVERIFY(keptAlive.received.contains("Connection: keep-alive"));
        // Both go quietly: no response is written on an idle connection.
        QTRY_VERIFY(silent.closed());
        QTRY_VERIFY(keptAlive.closed());
        QVERIFY(silent.received.isEmpty());
        QTRY_COMPARE(t.server.connectionCount(), 0);
    }

    void aReplyBeingPreparedIsNotTimedOut()
    {
        Limits limits;
        limits.idleTimeoutMs = 100;
        limits.requestTimeoutMs = 100;
        TestServer t(limits);
        t.hold = true;
        RawClient client(t.server.port());
        client.socket.write("GET /slow HTTP/1.1\r\n\r\n");
        QTRY_COMPARE(t.held.size(), 1);
        // A connection opened after it is closed for idling: the timeouts have passed for both
        // and the sweep has run, yet the one awaiting its reply stays (the server's own time).
        RawClient idle(t.server.port());
        QTRY_VERIFY(idle.closed());
        QVERIFY(!client.closed());
        t.held.first().send(Response::text(200, "late"));
        QTRY_COMPARE(client.status(), 200);
        QVERIFY(client.received.endsWith("late"));
    }

    void aDrippingRequestGets408()
    {
        Limits limits;
        limits.requestTimeoutMs = 300; // no idle timeout: each byte would reset that one
        TestServer t(limits);
        RawClient client(t.server.port());
        QTRY_VERIFY(client.socket.state() == QAbstractSocket::ConnectedState);
        client.socket.write("GET /x HTTP/1.1\r\n");
        QTimer drip;
        QObject::connect(&drip, &QTimer::timeout, &client.socket, [&client] {
            if (client.socket.state() == QAbstractSocket::ConnectedState)
                client.socket.write("X");
        });
        drip.start(20);
        QTRY_COMPARE(client.status(), 408);
        QVERIFY(client.received.contains("not received in time"));
        QTRY_VERIFY(client.closed());
        QVERIFY(t.handled.isEmpty());
    }

    void theOldestIdleConnectionMakesRoom()
    {
        Limits limits;
        limits.maxConnections = 2;
        TestServer t(limits);
        RawClient first(t.server.port());
        QTRY_COMPARE(t.server.connectionCount(), 1);
        RawClient second(t.server.port());
        QTRY_COMPARE(t.server.connectionCount(), 2);
        RawClient third(t.server.port());
        QTRY_VERIFY(first.closed());
        QVERIFY(!second.closed());
        third.socket.write("GET /x HTTP/1.1\r\n\r\n");
        QTRY_COMPARE(third.status(), 200);
    }

    void withNoIdleConnectionTheNewOneGets503()
    {
        Limits limits;
        limits.maxConnections = 1;
        TestServer t(limits);
        t.hold = true;
        RawClient busy(t.server.port());
        busy.socket.write("GET /slow HTTP/1.1\r\n\r\n");
        QTRY_COMPARE(t.held.size(), 1);
        RawClient refused(t.server.port());
        QTRY_COMPARE(refused.status(), 503);
        QVERIFY(refused.received.contains("Too many open connections"));
        QTRY_VERIFY(refused.closed());
        QVERIFY(!busy.closed());
        t.held.first().send(Response::text(200, "done"));
        QTRY_COMPARE(busy.status(), 200);
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
