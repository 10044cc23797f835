// SPDX-License-Identifier: GPL-3.0-or-later
// The local engine's defences (engine/api/requestguard.h, engine/core/keysfile.h): no web page
// reaches it (Host and Origin checks, no CORS grant, the activity-stream WebSocket included),
// it does not listen beyond loopback unless asked and never with the public keys, and the
// provider statistics are the system's.
#include "enginefixture.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Feedscope::Testing;

namespace {

const QByteArray basicGuest = "Basic " + guestKey.toBase64();

// The status code of a raw HTTP/1.1 reply ("HTTP/1.1 403 Forbidden" → 403), 0 if none.
int statusOf(const QByteArray &reply)
{
    if (!reply.startsWith("HTTP/1.1 "))
        return 0;
    return reply.mid(9, 3).toInt();
}

QByteArray bodyOf(const QByteArray &reply)
{
    const qsizetype end = reply.indexOf("\r\n\r\n");
    return end < 0 ? QByteArray() : reply.mid(end + 4);
}

struct Exited
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Exited runEngine(const QStringList &arguments)
{
    QProcess p;
    p.start(QStringLiteral(FEEDSCOPE_ENGINE_PATH), arguments);
    Exited e;
    if (!p.waitForFinished(15000)) {
        p.kill();
        p.waitForFinished();
        return e;
    }
    e.code = p.exitCode();
    e.out = p.readAllStandardOutput();
    e.err = p.readAllStandardError();
    return e;
}

} // namespace

class TestSecurity : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    QTemporaryDir m_dir;

    QByteArray requestWith(const QByteArray &method,
                           const QByteArray &path,
                           const QByteArray &host,
                           const QByteArray &extraHeaders = {},
                           const QByteArray &body = {})
    {
        QByteArray request = method + ' ' + path + " HTTP/1.1\r\n";
        if (!host.isNull())
            request += "Host: " + host + "\r\n";
        request += "Authorization: " + basicGuest + "\r\nConnection: close\r\n" + extraHeaders;
        if (!body.isEmpty()) {
            request += "Content-Type: application/json\r\nContent-Length: "
                       + QByteArray::number(body.size()) + "\r\n";
        }
        return m_engine.rawExchange(request + "\r\n" + body);
    }
    QByteArray port() const { return QByteArray::number(QUrl(m_engine.baseUrl()).port()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        QVERIFY(m_dir.isValid());
    }

    void loopbackHostsAreServed_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::newRow("127.0.0.1:port") << QByteArray("127.0.0.1:") + port();
        QTest::newRow("localhost:port") << QByteArray("localhost:") + port();
        QTest::newRow("LOCALHOST.") << QByteArray("LOCALHOST.");
        QTest::newRow("127.9.9.9") << QByteArray("127.9.9.9");
        QTest::newRow("[::1]:port") << QByteArray("[::1]:") + port();
        QTest::newRow("api.localhost") << QByteArray("api.localhost");
        QTest::newRow("no Host at all") << QByteArray();
    }
    void loopbackHostsAreServed()
    {
        QFETCH(QByteArray, host);
        const QByteArray reply = requestWith("GET", "/api/v1/namespaces", host);
        QCOMPARE(statusOf(reply), 200);
        QVERIFY(bodyOf(reply).contains("guest"));
    }

    // DNS rebinding: the page's own name now points at 127.0.0.1, the request is "same origin"
    // for the browser but still says which name it was sent to.
    void foreignHostsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::newRow("evil.example") << QByteArray("evil.example");
        QTest::newRow("evil.example:port") << QByteArray("evil.example:") + port();
        QTest::newRow("localhost.evil.example") << QByteArray("localhost.evil.example");
        QTest::newRow("127.0.0.1.evil.example") << QByteArray("127.0.0.1.evil.example:") + port();
        QTest::newRow("10.1.2.3") << QByteArray("10.1.2.3");
        QTest::newRow("malformed") << QByteArray("a:b:c");
    }
    void foreignHostsAreRefused()
    {
        QFETCH(QByteArray, host);
        const QByteArray body
            = "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"function main(){}\"}}";
        const QByteArray reply
            = requestWith("PUT", "/api/v1/namespaces/_/actions/pwn", host, {}, body);
        QCOMPARE(statusOf(reply), 403);
        const QJsonObject error = QJsonDocument::fromJson(bodyOf(reply)).object();
        QVERIFY2(error.value(QLatin1String("error")).toString().contains(u"is not allowed"),
                 bodyOf(reply).constData());
        QVERIFY(!error.value(QLatin1String("code")).toString().isEmpty());
        // Nothing was created.
        QCOMPARE(m_engine.get(QStringLiteral("/api/v1/namespaces/_/actions/pwn")).status, 404);
    }

    void crossOriginRequestsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("origin");
        QTest::newRow("other site") << QByteArray("https://evil.example");
        QTest::newRow("sandboxed frame") << QByteArray("null");
        QTest::newRow("loopback, other port") << QByteArray("http://127.0.0.1:1");
        QTest::newRow("https on our port") << QByteArray("https://127.0.0.1:") + port();
    }
    void crossOriginRequestsAreRefused()
    {
        QFETCH(QByteArray, origin);
        const QByteArray reply = requestWith("POST",
                                             "/api/v1/namespaces/_/triggers/x",
                                             "127.0.0.1:" + port(),
                                             "Origin: " + origin + "\r\n",
                                             "{}");
        QCOMPARE(statusOf(reply), 403);
        QVERIFY(bodyOf(reply).contains("Origin"));
        QVERIFY(!reply.toLower().contains("access-control-allow"));
    }

    void theEnginesOwnOriginIsServed()
    {
        // What websocket clients send by default: the target's own origin.
        const QByteArray reply = requestWith("GET",
                                             "/api/v1/namespaces",
                                             "127.0.0.1:" + port(),
                                             "Origin: http://127.0.0.1:" + port() + "\r\n");
        QCOMPARE(statusOf(reply), 200);
    }

    void preflightGetsNoCorsGrant()
    {
        const QByteArray reply
            = requestWith("OPTIONS",
                          "/api/v1/namespaces/_/actions/x",
                          "127.0.0.1:" + port(),
                          "Origin: https://evil.example\r\nAccess-Control-Request-Method: PUT\r\n"
                          "Access-Control-Request-Headers: authorization\r\n");
        QVERIFY(statusOf(reply) >= 400);
        QVERIFY(!reply.toLower().contains("access-control-allow"));
        // Without an Origin (not a browser) OPTIONS is still just a method the route refuses.
        const QByteArray plain
            = requestWith("OPTIONS", "/api/v1/namespaces/_/actions/x", "127.0.0.1:" + port());
        QVERIFY(statusOf(plain) >= 400);
        QVERIFY(!plain.toLower().contains("access-control-allow"));
    }

    // Browsers open WebSockets to any host and send credentials from a ws://user:key@ URL, so
    // the activity stream must look at Origin itself.
    void activityStreamChecksOrigin()
    {
        const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                   "Sec-WebSocket-Version: 13\r\n";
        QByteArray request = "GET /api/v1/namespaces/_/activations HTTP/1.1\r\nHost: 127.0.0.1:"
                             + port() + "\r\nAuthorization: " + basicGuest + "\r\n" + upgrade;
        const QByteArray refused
            = m_engine.rawExchange(request + "Origin: https://evil.example\r\n\r\n", 1000);
        QCOMPARE(statusOf(refused), 403);
        const QByteArray accepted = m_engine.rawExchange(request + "\r\n", 1000);
        QCOMPARE(statusOf(accepted), 101);
        const QByteArray rebound = m_engine.rawExchange(
            "GET /api/v1/namespaces/_/activations HTTP/1.1\r\nHost: evil.example\r\n"
            "Authorization: "
                + basicGuest + "\r\n" + upgrade + "\r\n",
            1000);
        QCOMPARE(statusOf(rebound), 403);
    }

    void providerStatsAreForTheSystemOnly()
    {
        for (const QByteArray method : {"GET", "DELETE"}) {
            const HttpResult asGuest
                = m_engine.request(method, QStringLiteral("/feedscope/v1/providers/alarms/stats"));
            QCOMPARE(asGuest.status, 403);
            QVERIFY(!asGuest.error().isEmpty());
            const HttpResult asSystem = m_engine.request(
                method, QStringLiteral("/feedscope/v1/providers/alarms/stats"), {}, systemKey);
            QCOMPARE(asSystem.status, 200);
        }
        QCOMPARE(m_engine.get(QStringLiteral("/feedscope/v1/providers/alarms/stats"), {}).status,
                 401);
    }

    void nonLoopbackNeedsAllowRemote()
    {
        const Exited e = runEngine({QStringLiteral("--host"),
                                    QStringLiteral("0.0.0.0"),
                                    QStringLiteral("--port"),
                                    QStringLiteral("0"),
                                    QStringLiteral("--data"),
                                    m_dir.filePath(QStringLiteral("a"))});
        QVERIFY(e.code > 0);
        QVERIFY2(e.err.contains("--allow-remote"), e.err.constData());
        QVERIFY(!e.out.contains("listening"));
    }

    void allowRemoteRefusesTheWellKnownKeys()
    {
        const Exited e = runEngine({QStringLiteral("--host"),
                                    QStringLiteral("0.0.0.0"),
                                    QStringLiteral("--allow-remote"),
                                    QStringLiteral("--port"),
                                    QStringLiteral("0"),
                                    QStringLiteral("--data"),
                                    m_dir.filePath(QStringLiteral("b"))});
        QVERIFY(e.code > 0);
        QVERIFY2(e.err.contains("well-known") && e.err.contains("--keys"), e.err.constData());
        QVERIFY(!e.out.contains("listening"));
    }

    void keysFileReplacesTheWellKnownKeys()
    {
        const QString keys = m_dir.filePath(QStringLiteral("keys.json"));
        Exited e = runEngine({QStringLiteral("--write-keys"), keys});
        QCOMPARE(e.code, 0);
        QFile file(keys);
        QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject written = QJsonDocument::fromJson(file.readAll()).object();
        const QByteArray ownGuest = written.value(QLatin1String("guest")).toString().toUtf8();
        QVERIFY(ownGuest.size() > 40);
        QVERIFY(ownGuest != guestKey);
        // Never overwritten.
        QVERIFY(runEngine({QStringLiteral("--write-keys"), keys}).code > 0);

        EngineProcess engine;
        QVERIFY2(engine.start({QStringLiteral("--keys"), keys}), qPrintable(engine.errorString()));
        QCOMPARE(engine.get(QStringLiteral("/api/v1/namespaces"), guestKey).status, 401);
        QCOMPARE(engine.get(QStringLiteral("/api/v1/namespaces"), systemKey).status, 401);
        QCOMPARE(engine.get(QStringLiteral("/api/v1/namespaces"), ownGuest).array(),
                 QJsonArray{QStringLiteral("guest")});
        // The banner names the file, not the key.
        engine.stop();
        const QByteArray banner = engine.standardOutput();
        QVERIFY2(banner.contains("keys: from "), banner.constData());
        QVERIFY(!banner.contains(ownGuest.split(':').last()));
    }

    void badKeysFilesAreRefusedInWords_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("not json") << QByteArray("guest=x") << QByteArray("not a JSON object");
        QTest::newRow("missing system")
            << QByteArray("{\"guest\":\"a:0123456789abcdef\"}") << QByteArray("whisk.system");
        QTest::newRow("well-known") << QByteArray("{\"guest\":\"") + guestKey
                                           + "\",\"whisk.system\":\"b:0123456789abcdef\"}"
                                    << QByteArray("well-known");
        QTest::newRow("short") << QByteArray("{\"guest\":\"a:x\",\"whisk.system\":\"b:y\"}")
                               << QByteArray("shorter");
    }
    void badKeysFilesAreRefusedInWords()
    {
        QFETCH(QByteArray, content);
        QFETCH(QByteArray, expected);
        const QString keys = m_dir.filePath(QStringLiteral("bad-keys.json"));
        QFile file(keys);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(content);
        file.close();
        const Exited e = runEngine({QStringLiteral("--keys"),
                                    keys,
                                    QStringLiteral("--port"),
                                    QStringLiteral("0"),
                                    QStringLiteral("--data"),
                                    m_dir.filePath(QStringLiteral("c"))});
        QVERIFY(e.code > 0);
        QVERIFY2(e.err.contains(expected), e.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
