// SPDX-License-Identifier: GPL-3.0-or-later
// Bad HTTP of every kind: unknown routes, wrong methods, malformed framing, chunked bodies,
// 100-continue, pipelining and oversize requests refused by the connection (PROTOCOL.md 0,
// 1.11 and the Pekko rejection handler). Each gets the right status and an {error, code} body
// whose code is the X-Request-ID, the engine keeps answering, and nothing that was stored
// before is changed; cleanup() checks the last two after every test row. Bad request bodies,
// names and authentication: tst_badinput.cpp.
#include "badinputsupport.h"

#include <QFile>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

using namespace Feedscope::Testing;

namespace {

// The peak resident memory of a process (VmHWM), in kB; -1 when it cannot be read.
qint64 peakRssKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace

class TestBadHttp : public QObject, private BadInputFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        seedAndSnapshot();
    }

    void cleanup()
    {
        const QString problem = damage();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // ---- oversize requests refused by the connection (PROTOCOL.md 1.11) ------------------------

    void oversizeBodyBeyondTheConnectionLimit()
    {
        // 56 MB is more than any acceptable request (48 MB of code plus framing), so the
        // connection refuses it from its Content-Length; it must still be a JSON 413.
        const QString path = guestPath(QStringLiteral("actions/huger-a"));
        const HttpResult r = m_engine.put(path, nodeAction(QString(56 * 1024 * 1024, u'x')));
        VERIFY_ERROR(r, 413, QString(), Match::Prefix);
        QCOMPARE(m_engine.get(path).status, 404);
    }

    void hugeContentLengthIsRefusedBeforeTheBody()
    {
        // Only the head is sent: the engine must answer from Content-Length alone and close,
        // instead of waiting for (or buffering) a gigabyte.
        bool closed = false;
        const QList<HttpResult> responses = exchangeAndClose(
            rawRequest("PUT",
                       guestPath(QStringLiteral("actions/gig-a")),
                       {"Content-Type: application/json", "Content-Length: 1073741824"}),
            &closed);
        QVERIFY2(closed, "the engine kept the connection open waiting for the body");
        QCOMPARE(responses.size(), 1);
        VERIFY_ERROR(responses.first(), 413, QString(), Match::Prefix);
    }

    void refusedChunkedBodyIsNotBuffered_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("auth");
        QTest::addColumn<int>("status");

        // A fire takes at most a payload: refused after ~2 MB, not after the 50 MB an action's
        // code may take. Without a key nothing of the body is read at all.
        QTest::newRow("fire") << QByteArray("POST") << guestPath(QStringLiteral("triggers/keep-t"))
                              << guestKey << 413;
        QTest::newRow("action PUT without a key")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/chunky-a")) << QByteArray()
            << 401;
        QTest::newRow("action PUT with a wrong key")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/chunky-a"))
            << QByteArray("23bc46b1-71f6-4ed5-8c54-816aa4f8c502:wrong") << 401;
    }

    void refusedChunkedBodyIsNotBuffered()
    {
        // 300 MB of chunks, sent as fast as the engine takes them: the refusal must come after
        // a few megabytes (the route's limit plus what the sockets hold on the way), the
        // connection must close, and the engine's peak memory must not follow the body (before
        // the fix it rose from 16 MB to 93 MB).
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, auth);
        QFETCH(int, status);
        const qint64 peakBefore = peakRssKb(m_engine.process().processId());
        QVERIFY(peakBefore > 0);

        const QUrl url(m_engine.baseUrl());
        QTcpSocket socket;
        socket.connectToHost(url.host(), quint16(url.port()));
        QVERIFY(socket.waitForConnected(3000));
        QByteArray head = method + ' ' + path.toUtf8()
                          + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            "Transfer-Encoding: chunked\r\n";
        if (!auth.isEmpty())
            head += "Authorization: Basic " + auth.toBase64() + "\r\n";
        socket.write(head + "\r\n");
        const QByteArray chunk = "10000\r\n" + QByteArray(0x10000, '{') + "\r\n";
        constexpr qint64 total = 300LL * 1024 * 1024;
        qint64 sent = 0;
        qint64 sentAtReply = -1;
        QByteArray received;
        while (sent < total && socket.state() == QAbstractSocket::ConnectedState) {
            if (socket.bytesToWrite() < 1024 * 1024) {
                socket.write(chunk);
                sent += chunk.size();
            } else {
                socket.waitForBytesWritten(1000);
            }
            if (socket.bytesAvailable() > 0 || socket.waitForReadyRead(0)) {
                received += socket.readAll();
                if (sentAtReply < 0)
                    sentAtReply = sent - socket.bytesToWrite();
            }
        }
        QDeadlineTimer deadline(10000);
        while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
            if (socket.waitForReadyRead(100))
                received += socket.readAll();
        }
        received += socket.readAll();
        QVERIFY2(socket.state() != QAbstractSocket::ConnectedState,
                 "the engine kept the connection open");
        const QList<HttpResult> responses = parseResponses(received);
        QCOMPARE(responses.size(), 1);
        VERIFY_ERROR(responses.first(), status, QString(), Match::Prefix);
        QCOMPARE(responses.first().header("Connection"), QByteArray("close"));
        // Written to the kernel, not necessarily read by the engine: its limit (2 MB) plus the
        // loopback socket buffers (a few MB each way) at most.
        QVERIFY2(sentAtReply >= 0 && sentAtReply < 32LL * 1024 * 1024,
                 qPrintable(QStringLiteral("the refusal came after %1 bytes").arg(sentAtReply)));

#if !defined(__SANITIZE_ADDRESS__)
        // Freed memory is kept in quarantine under AddressSanitizer, so peak memory says
        // nothing there. Elsewhere a buffered body would show as tens of megabytes at least.
        const qint64 peakAfter = peakRssKb(m_engine.process().processId());
        QVERIFY2(peakAfter - peakBefore < 24 * 1024,
                 qPrintable(QStringLiteral("peak RSS rose from %1 kB to %2 kB")
                                .arg(peakBefore)
                                .arg(peakAfter)));
#endif
    }

    // ---- unknown routes and methods -------------------------------------------------------------

    void unknownRoutes_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("auth");

        QTest::newRow("/nope") << QStringLiteral("/nope") << QByteArray();
        QTest::newRow("/api/v2/x") << QStringLiteral("/api/v2/x") << QByteArray();
        QTest::newRow("/api/v1/nope") << QStringLiteral("/api/v1/nope") << guestKey;
        QTest::newRow("unknown collection")
            << QStringLiteral("/api/v1/namespaces/_/widgets") << guestKey;
        QTest::newRow("too deep under actions")
            << QStringLiteral("/api/v1/namespaces/_/actions/keep-p/inner/more") << guestKey;
        QTest::newRow("too deep under triggers")
            << QStringLiteral("/api/v1/namespaces/_/triggers/keep-t/x") << guestKey;
    }

    void unknownRoutes()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, auth);
        VERIFY_ERROR(m_engine.get(path, auth), 404, notFoundRoute, Match::Exact);
    }

    void wrongMethods_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("allowed");

        QTest::newRow("PATCH action")
            << QByteArray("PATCH") << guestPath(QStringLiteral("actions/keep-a"))
            << QStringList{QStringLiteral("PUT"),
                           QStringLiteral("GET"),
                           QStringLiteral("DELETE"),
                           QStringLiteral("POST")};
        QTest::newRow("POST package")
            << QByteArray("POST") << guestPath(QStringLiteral("packages/keep-p"))
            << QStringList{QStringLiteral("PUT"), QStringLiteral("GET"), QStringLiteral("DELETE")};
        QTest::newRow("DELETE activations")
            << QByteArray("DELETE") << guestPath(QStringLiteral("activations"))
            << QStringList{QStringLiteral("GET")};
        QTest::newRow("PUT actions collection")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions"))
            << QStringList{QStringLiteral("GET")};
        QTest::newRow("POST limits") << QByteArray("POST") << guestPath(QStringLiteral("limits"))
                                     << QStringList{QStringLiteral("GET")};
    }

    void wrongMethods()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QStringList, allowed);
        const HttpResult r = m_engine.request(method, path);
        const QString prefix = QStringLiteral("HTTP method not allowed, supported methods: ");
        VERIFY_ERROR(r, 405, prefix, Match::Prefix);
        // The controller also lists OPTIONS; the methods of the route must all be named.
        const QStringList named = r.error().mid(prefix.size()).split(QStringLiteral(", "));
        for (const QString &m : std::as_const(allowed))
            QVERIFY2(named.contains(m), qPrintable(r.error()));
    }

    void methodNotAllowedSendsAllow()
    {
        // Pekko's MethodRejection response carries an Allow header (ow-facts 0; RFC 9110 15.5.6
        // makes it a MUST for 405).
        const HttpResult r = m_engine.request("PATCH", guestPath(QStringLiteral("actions/keep-a")));
        QCOMPARE(r.status, 405);
        const QByteArray allow = r.header("Allow");
        QVERIFY2(!allow.isEmpty(), "no Allow header on 405");
        for (const char *m : {"PUT", "GET", "DELETE", "POST"})
            QVERIFY2(allow.contains(m), allow.constData());
    }

    // ---- HTTP framing -------------------------------------------------------------------------

    void malformedHttp_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");

        QTest::newRow("garbage request line") << QByteArray("GARBAGE\r\n\r\n") << 400;
        QTest::newRow("no version") << QByteArray("GET /ping\r\n\r\n") << 400;
        QTest::newRow("not HTTP") << QByteArray("GET /ping SPDY/3\r\n\r\n") << 400;
        QTest::newRow("header without colon")
            << QByteArray("GET /ping HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n") << 400;
        QTest::newRow("bad Content-Length")
            << QByteArray("POST /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ten\r\n\r\n")
            << 400;
        QTest::newRow("negative Content-Length")
            << QByteArray("POST /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n")
            << 400;
        QTest::newRow("bad chunk size") << rawRequest("PUT",
                                                      guestPath(QStringLiteral("triggers/chunky")),
                                                      {"Transfer-Encoding: chunked"})
                                               + "zz\r\n{}\r\n0\r\n\r\n"
                                        << 400;
        // Framing that other parsers read differently (request smuggling) is refused.
        QTest::newRow("two different Content-Lengths")
            << rawRequest("POST",
                          guestPath(QStringLiteral("triggers/keep-t")),
                          {"Content-Length: 3", "Content-Length: 5"})
                   + "[1]"
            << 400;
        QTest::newRow("Content-Length and chunked")
            << rawRequest("POST",
                          guestPath(QStringLiteral("triggers/keep-t")),
                          {"Content-Length: 5", "Transfer-Encoding: chunked"})
                   + "2\r\n{}\r\n0\r\n\r\n"
            << 400;
        QTest::newRow("Transfer-Encoding other than chunked")
            << rawRequest("POST",
                          guestPath(QStringLiteral("triggers/keep-t")),
                          {"Transfer-Encoding: gzip, chunked"})
            << 501;
        QTest::newRow("Transfer-Encoding that merely contains chunked")
            << rawRequest("POST",
                          guestPath(QStringLiteral("triggers/keep-t")),
                          {"Transfer-Encoding: notchunked"})
            << 501;
        QTest::newRow("space before the colon")
            << QByteArray("GET /ping HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n") << 400;
        QTest::newRow("control bytes in a header")
            << QByteArray("GET /ping HTTP/1.1\r\nX-A: b\x01c\r\n\r\n") << 400;
        QTest::newRow("NUL bytes in the head")
            << QByteArray("GET /ping HTTP/1.1\r\n\0\0\0\r\n\r\n", 27) << 400;
        QTest::newRow("binary method")
            << QByteArray("G\xc3\x9cT /ping HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("header block over 64 KB")
            << QByteArray("GET /ping HTTP/1.1\r\nX-Filler: " + QByteArray(70000, 'f') + "\r\n\r\n")
            << 431;
    }

    void malformedHttp()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        bool closed = false;
        const QList<HttpResult> responses = exchangeAndClose(bytes, &closed);
        QVERIFY2(closed, "the connection stayed open after a malformed request");
        QCOMPARE(responses.size(), 1);
        VERIFY_ERROR(responses.first(), status, QString(), Match::Prefix);
        QCOMPARE(responses.first().header("Connection"), QByteArray("close"));
    }

    void chunkedBodyIsAccepted()
    {
        const QString path = guestPath(QStringLiteral("triggers/chunked-t"));
        const QByteArray body = R"({"parameters":[{"key":"via","value":"chunks"}]})";
        QByteArray chunked;
        for (qsizetype at = 0; at < body.size(); at += 10) {
            const QByteArray piece = body.mid(at, 10);
            // The first chunk carries an extension, which a server must ignore.
            chunked += QByteArray::number(piece.size(), 16) + (at == 0 ? ";ext=1" : "") + "\r\n"
                       + piece + "\r\n";
        }
        chunked += "0\r\n\r\n";
        bool closed = false;
        const QList<HttpResult> responses
            = exchangeAndClose(rawRequest("PUT",
                                          path,
                                          {"Content-Type: application/json",
                                           "Transfer-Encoding: chunked",
                                           "Connection: close"})
                                   + chunked,
                               &closed);
        QVERIFY(closed);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses.first().status, 200);
        const HttpResult stored = m_engine.get(path);
        QCOMPARE(stored.status, 200);
        QCOMPARE(stored.object().value(QLatin1String("parameters")).toArray(),
                 keyValues({{QStringLiteral("via"), QStringLiteral("chunks")}}));
        QCOMPARE(m_engine.del(path).status, 200);
    }

    void expectContinue()
    {
        // A client that sends Expect: 100-continue waits for the interim response before the
        // body; so does this one.
        const QString path = guestPath(QStringLiteral("triggers/expect-t"));
        const QByteArray body = R"({"parameters":[{"key":"k","value":1}]})";
        const QUrl url(m_engine.baseUrl());
        QTcpSocket socket;
        socket.connectToHost(url.host(), quint16(url.port()));
        QVERIFY(socket.waitForConnected(3000));
        socket.write(rawRequest("PUT",
                                path,
                                {"Content-Type: application/json",
                                 "Expect: 100-continue",
                                 "Connection: close",
                                 "Content-Length: " + QByteArray::number(body.size())}));
        QByteArray received;
        QDeadlineTimer deadline(3000);
        while (!received.contains("\r\n\r\n") && !deadline.hasExpired()) {
            if (socket.waitForReadyRead(100))
                received += socket.readAll();
        }
        QCOMPARE(received, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
        socket.write(body);
        deadline.setRemainingTime(3000);
        while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
            if (socket.waitForReadyRead(100))
                received += socket.readAll();
        }
        received += socket.readAll();
        const QList<HttpResult> responses = parseResponses(received);
        QCOMPARE(responses.size(), 2);
        QCOMPARE(responses[0].status, 100);
        QCOMPARE(responses[1].status, 200);
        QCOMPARE(m_engine.get(path).object().value(QLatin1String("parameters")).toArray(),
                 keyValues({{QStringLiteral("k"), 1}}));
        QCOMPARE(m_engine.del(path).status, 200);
    }

    void pipelinedRequests()
    {
        // Two requests in one write on one keep-alive connection: two responses, in order.
        const QByteArray two
            = "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
              "GET /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        bool closed = false;
        QList<HttpResult> responses = exchangeAndClose(two, &closed);
        QVERIFY(closed);
        QCOMPARE(responses.size(), 2);
        QCOMPARE(responses[0].status, 200);
        QCOMPARE(responses[0].body, QByteArray("pong"));
        QCOMPARE(responses[0].header("Connection"), QByteArray("keep-alive"));
        QCOMPARE(responses[1].status, 200);
        QCOMPARE(responses[1].object().value(QLatin1String("api_version_path")).toString(),
                 QStringLiteral("v1"));
        QVERIFY(responses[0].header("X-Request-ID") != responses[1].header("X-Request-ID"));

        // A write then a read of the same entity, an error between them: the read sees the write
        // (the second request is not handled before the first is answered).
        const QString path = guestPath(QStringLiteral("triggers/pipe-t"));
        const QByteArray three
            = rawRequest("PUT", path, {}, R"({"parameters":[{"key":"n","value":1}]})")
              + rawRequest("GET", guestPath(QStringLiteral("widgets")))
              + rawRequest("GET", path, {"Connection: close"});
        responses = exchangeAndClose(three, &closed);
        QVERIFY(closed);
        QCOMPARE(responses.size(), 3);
        QCOMPARE(responses[0].status, 200);
        VERIFY_ERROR(responses[1], 404, notFoundRoute, Match::Exact);
        QCOMPARE(responses[2].status, 200);
        QCOMPARE(responses[2].object().value(QLatin1String("parameters")).toArray(),
                 keyValues({{QStringLiteral("n"), 1}}));
        QCOMPARE(m_engine.del(path).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestBadHttp)
#include "tst_badhttp.moc"
