// SPDX-License-Identifier: GPL-3.0-or-later
// Http::ClientPool (http/httpclient.h) against a scripted server in this process: keep-alive
// reuse, bodies by length, chunks (with an interim 100 and a trailer) and close, no body for
// 204, requests beyond the connection limit waiting their turn, a connection lost before the
// answer (an error, never a second send) and a timeout.
#include "httpclient.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>

using namespace Feedscope::Http;

namespace {

// Answers each request it reads with what `script` returns for it (its index across all
// connections): the bytes to write, or nothing to stay silent; "CLOSE" closes the connection,
// "CLOSE:" before bytes writes them, then closes.
class ScriptedServer : public QObject
{
public:
    using Script = std::function<QByteArray(int index, const QByteArray &request)>;

    explicit ScriptedServer(Script script)
        : m_script(std::move(script))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                auto buffer = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                    buffer->append(socket->readAll());
                    for (;;) {
                        const qsizetype end = buffer->indexOf("\r\n\r\n");
                        if (end < 0)
                            return;
                        const qsizetype at = buffer->toLower().indexOf("content-length: ");
                        const qsizetype length
                            = at < 0 ? 0
                                     : buffer->mid(at + 16, buffer->indexOf('\r', at) - at - 16)
                                           .toLongLong();
                        if (buffer->size() < end + 4 + length)
                            return;
                        const QByteArray request = buffer->left(end + 4 + length);
                        buffer->remove(0, end + 4 + length);
                        requests.append(request);
                        const QByteArray answer = m_script(int(requests.size()) - 1, request);
                        if (answer.startsWith("CLOSE")) {
                            socket->write(answer.mid(6));
                            socket->disconnectFromHost();
                            return;
                        }
                        if (!answer.isEmpty())
                            socket->write(answer);
                    }
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QUrl origin() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }

    int connections = 0;
    QList<QByteArray> requests;

private:
    QTcpServer m_server;
    Script m_script;
};

QByteArray ok(const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
           + body;
}

// Sends `request` and waits for its answer while the event loop runs.
ClientResponse roundTrip(ClientPool &pool, ClientRequest request = {})
{
    std::optional<ClientResponse> answer;
    pool.send(std::move(request), [&](ClientResponse r) { answer = std::move(r); });
    QDeadlineTimer deadline(10000);
    while (!answer && !deadline.hasExpired())
        QTest::qWait(5);
    return answer.value_or(ClientResponse{0, {}, {}, QStringLiteral("test: no answer"), false});
}

} // namespace

class TestHttpClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepAliveReusesOneConnection()
    {
        ScriptedServer server(
            [](int i, const QByteArray &) { return ok("answer " + QByteArray::number(i)); });
        ClientPool pool(server.origin());
        ClientRequest request;
        request.target = "/api/v1/x?y=1";
        request.headers = {{"X-Case", "Kept"}, {"Content-Length", "999"}, {"Host", "elsewhere"}};
        request.body = "{\"a\":1}";
        ClientResponse first = roundTrip(pool, request);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body, QByteArray("answer 0"));
        QCOMPARE(first.header("content-length"), QByteArray("8"));
        QCOMPARE(roundTrip(pool, request).body, QByteArray("answer 1"));
        QCOMPARE(server.connections, 1);
        const QByteArray port = QByteArray::number(server.origin().port());
        QCOMPARE(server.requests.first(),
                 "POST /api/v1/x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                     + "\r\nX-Case: Kept\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
    }

    void chunkedAfterAnInterimAnswer()
    {
        ScriptedServer server([](int, const QByteArray &) -> QByteArray {
            return "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nTransfer-Encoding: "
                   "chunked\r\n\r\n"
                   "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: y\r\n\r\n";
        });
        ClientPool pool(server.origin());
        const ClientResponse r = roundTrip(pool);
        QCOMPARE(r.status, 202);
        QCOMPARE(r.body, QByteArray("hello world"));
        QCOMPARE(roundTrip(pool).status, 202); // the connection is still in step
        QCOMPARE(server.connections, 1);
    }

    void bodyUntilCloseAndNoBodyFor204()
    {
        ScriptedServer server([](int i, const QByteArray &) -> QByteArray {
            if (i == 1)
                return "CLOSE:HTTP/1.1 200 OK\r\n\r\nuntil close";
            return "HTTP/1.1 204 No Content\r\n\r\n";
        });
        ClientPool pool(server.origin());
        QCOMPARE(roundTrip(pool).status, 204);
        const ClientResponse closed = roundTrip(pool);
        QCOMPARE(closed.status, 200);
        QCOMPARE(closed.body, QByteArray("until close"));
        QCOMPARE(server.connections, 1);
        // That connection is gone; the next request opens another.
        QCOMPARE(roundTrip(pool).status, 204);
        QCOMPARE(server.connections, 2);
    }

    void waitsBeyondTheConnectionLimit()
    {
        ScriptedServer server([](int i, const QByteArray &) { return ok(QByteArray::number(i)); });
        ClientPool pool(server.origin());
        pool.setMaxConnections(2);
        int answered = 0;
        for (int i = 0; i < 7; ++i)
            pool.send({}, [&](ClientResponse r) { answered += r.status == 200; });
        QVERIFY(QTest::qWaitFor([&] { return answered == 7; }, 10000));
        QVERIFY(server.connections <= 2);
        QCOMPARE(server.requests.size(), 7);
    }

    void lostConnectionIsAnErrorNotASecondSend()
    {
        ScriptedServer server([](int, const QByteArray &) -> QByteArray { return "CLOSE"; });
        ClientPool pool(server.origin());
        const ClientResponse r = roundTrip(pool);
        QCOMPARE(r.status, 0);
        QVERIFY(!r.error.isEmpty());
        QVERIFY(!r.timedOut);
        QTest::qWait(100);
        QCOMPARE(server.requests.size(), 1);
    }

    void timesOut()
    {
        ScriptedServer server([](int, const QByteArray &) { return QByteArray(); });
        ClientPool pool(server.origin());
        pool.setTimeout(200);
        const ClientResponse r = roundTrip(pool);
        QCOMPARE(r.status, 0);
        QVERIFY(r.timedOut);
    }

    void refusedConnection()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 port = probe.serverPort();
        probe.close();
        ClientPool pool(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
        const ClientResponse r = roundTrip(pool);
        QCOMPARE(r.status, 0);
        QVERIFY(!r.error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
