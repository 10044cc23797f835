// SPDX-License-Identifier: GPL-3.0-or-later
// The activity stream (our extension, engine/api/activitystream.h): a WebSocket on
// GET /api/v1/namespaces/{ns}/activations that pushes every committed activation summary of
// the caller's namespace, and drops (then reports a gap) rather than buffering without bound for
// a client that does not read.
#include "enginefixture.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QTest>
#include <QUrl>
#include <QWebSocket>

#include <functional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Feedscope::Testing;

namespace {

QString api(const QString &tail)
{
    return QStringLiteral("/api/v1/namespaces/_/") + tail;
}

bool waitFor(const std::function<bool()> &condition, int deadlineMs = 60000)
{
    QDeadlineTimer deadline(deadlineMs);
    while (!deadline.hasExpired()) {
        if (condition())
            return true;
        QTest::qWait(50);
    }
    return condition();
}

bool ok(const HttpResult &r, const char *what)
{
    if (r.status >= 200 && r.status < 300)
        return true;
    qWarning("%s: %d %s", what, r.status, r.body.constData());
    return false;
}

// VmRSS of a process in kB (-1 if unreadable).
qint64 residentKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// A QWebSocket client of the stream that records every message.
struct StreamClient
{
    QWebSocket socket;
    QList<QJsonObject> messages;
    bool connected = false;
    bool failed = false;

    void open(const QString &engineUrl, const QByteArray &auth, const QString &query = {})
    {
        QUrl url(engineUrl + api(QStringLiteral("activations")) + query);
        url.setScheme(QStringLiteral("ws"));
        QNetworkRequest request(url);
        if (!auth.isEmpty())
            request.setRawHeader("Authorization", "Basic " + auth.toBase64());
        QObject::connect(&socket, &QWebSocket::connected, [this] { connected = true; });
        QObject::connect(&socket,
                         QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error),
                         [this] { failed = true; });
        QObject::connect(&socket, &QWebSocket::disconnected, [this] { failed = true; });
        QObject::connect(&socket, &QWebSocket::textMessageReceived, [this](const QString &text) {
            messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
        });
        socket.open(request);
    }

    QStringList activationIds() const
    {
        QStringList ids;
        for (const QJsonObject &m : messages) {
            if (m.value(QLatin1String("type")).toString() == u"activation")
                ids.append(m.value(QLatin1String("activation"))
                               .toObject()
                               .value(QLatin1String("activationId"))
                               .toString());
        }
        return ids;
    }
    int countOfType(const QString &type) const
    {
        int n = 0;
        for (const QJsonObject &m : messages)
            n += m.value(QLatin1String("type")).toString() == type ? 1 : 0;
        return n;
    }
};

// A WebSocket client on a plain POSIX socket with a tiny receive buffer: it performs the
// upgrade, then reads nothing until told to, so the engine's side backs up.
class StubbornClient
{
public:
    ~StubbornClient()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

    bool connectAndUpgrade(const QUrl &engine, const QByteArray &auth, QString *error)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        int small = 4096;
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(quint16(engine.port()));
        ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
            *error = QStringLiteral("connect failed");
            return false;
        }
        const QByteArray request = "GET /api/v1/namespaces/_/activations HTTP/1.1\r\n"
                                   "Host: 127.0.0.1\r\n"
                                   "Upgrade: websocket\r\n"
                                   "Connection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                   "Sec-WebSocket-Version: 13\r\n"
                                   "Authorization: Basic "
                                   + auth.toBase64() + "\r\n\r\n";
        if (::send(m_fd, request.constData(), size_t(request.size()), 0) != request.size()) {
            *error = QStringLiteral("send failed");
            return false;
        }
        // Read the response head only.
        QDeadlineTimer deadline(10000);
        while (!m_buffer.contains("\r\n\r\n") && !deadline.hasExpired()) {
            if (!readSome(200))
                break;
        }
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            *error = QStringLiteral("no handshake reply: ") + QString::fromUtf8(m_buffer);
            return false;
        }
        const QByteArray head = m_buffer.left(end);
        m_buffer.remove(0, end + 4);
        if (!head.startsWith("HTTP/1.1 101")) {
            *error = QString::fromUtf8(head);
            return false;
        }
        return true;
    }

    // Reads and decodes frames until `accept` returns true for a text message or the deadline.
    bool readUntil(const std::function<bool(const QJsonObject &)> &accept, int deadlineMs)
    {
        QDeadlineTimer deadline(deadlineMs);
        while (!deadline.hasExpired()) {
            while (true) {
                QByteArray payload;
                int opcode = 0;
                if (!nextFrame(&opcode, &payload))
                    break;
                if (opcode == 1) {
                    ++m_messages;
                    const QJsonObject m = QJsonDocument::fromJson(payload).object();
                    if (accept(m))
                        return true;
                }
            }
            if (!readSome(100) && m_closed)
                return false;
        }
        return false;
    }

    qint64 messages() const { return m_messages; }

private:
    bool readSome(int timeoutMs)
    {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) <= 0)
            return false;
        char chunk[65536];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            m_closed = true;
            return false;
        }
        m_buffer.append(chunk, n);
        return true;
    }

    bool nextFrame(int *opcode, QByteArray *payload)
    {
        if (m_buffer.size() < 2)
            return false;
        const quint8 b0 = quint8(m_buffer[0]);
        const quint8 b1 = quint8(m_buffer[1]);
        qsizetype offset = 2;
        quint64 length = b1 & 0x7f;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return false;
            length = (quint64(quint8(m_buffer[2])) << 8) | quint8(m_buffer[3]);
            offset = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                return false;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | quint8(m_buffer[2 + i]);
            offset = 10;
        }
        if (m_buffer.size() < offset + qsizetype(length))
            return false;
        *opcode = b0 & 0x0f;
        *payload = m_buffer.mid(offset, qsizetype(length));
        m_buffer.remove(0, offset + qsizetype(length));
        return true;
    }

    int m_fd = -1;
    QByteArray m_buffer;
    qint64 m_messages = 0;
    bool m_closed = false;
};

} // namespace

class TestActivityStream : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EngineProcess> m_engine;

    EngineProcess &engine() { return *m_engine; }

private Q_SLOTS:
    void initTestCase()
    {
        m_engine = std::make_unique<EngineProcess>();
        QVERIFY2(m_engine->start(), qPrintable(m_engine->errorString()));
        QVERIFY(ok(engine().put(api(QStringLiteral("actions/echo")), nodeAction()), "echo"));
        QVERIFY(ok(engine().put(api(QStringLiteral("actions/sysecho")), nodeAction(), systemKey),
                   "sysecho"));
    }

    void cleanupTestCase() { m_engine.reset(); }

    void helloThenOneMessagePerActivationOfTheOwnNamespace()
    {
        StreamClient guest;
        StreamClient system;
        guest.open(engine().baseUrl(), guestKey);
        system.open(engine().baseUrl(), systemKey);
        QVERIFY(waitFor([&] { return guest.messages.size() >= 1 && system.messages.size() >= 1; },
                        20000));
        QCOMPARE(guest.messages.first(),
                 (QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                              {QStringLiteral("namespace"), QStringLiteral("guest")}}));
        QCOMPARE(system.messages.first().value(QLatin1String("namespace")).toString(),
                 QStringLiteral("whisk.system"));

        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            const HttpResult r = engine().post(api(QStringLiteral("actions/echo?blocking=true")),
                                               {{QStringLiteral("i"), i}});
            QCOMPARE(r.status, 200);
            ids.append(r.object().value(QLatin1String("activationId")).toString());
        }
        QVERIFY2(waitFor([&] { return guest.activationIds().size() >= 3; }),
                 qPrintable(guest.activationIds().join(u',')));
        const QStringList seen = guest.activationIds();
        QCOMPARE(QSet<QString>(seen.begin(), seen.end()), QSet<QString>(ids.begin(), ids.end()));
        QCOMPARE(seen.size(), 3);
        for (const QJsonObject &m : guest.messages) {
            if (m.value(QLatin1String("type")).toString() != u"activation")
                continue;
            const QJsonObject a = m.value(QLatin1String("activation")).toObject();
            QCOMPARE(a.value(QLatin1String("name")).toString(), QStringLiteral("echo"));
            QCOMPARE(a.value(QLatin1String("namespace")).toString(), QStringLiteral("guest"));
            QCOMPARE(a.value(QLatin1String("statusCode")).toInt(-1), 0);
            QVERIFY(!a.contains(QLatin1String("response"))); // a summary
        }

        // whisk.system's own invoke reaches only its client.
        const HttpResult sys
            = engine().post(api(QStringLiteral("actions/sysecho?blocking=true")), {}, systemKey);
        QCOMPARE(sys.status, 200);
        const QString sysId = sys.object().value(QLatin1String("activationId")).toString();
        QVERIFY(waitFor([&] { return system.activationIds().contains(sysId); }));
        // One more guest activation, as a barrier: once it is seen, the system one would have been
        // too.
        const HttpResult barrier
            = engine().post(api(QStringLiteral("actions/echo?blocking=true")), {});
        const QString barrierId = barrier.object().value(QLatin1String("activationId")).toString();
        QVERIFY(waitFor([&] { return guest.activationIds().contains(barrierId); }));
        QVERIFY(!guest.activationIds().contains(sysId));
        for (const QString &id : std::as_const(ids))
            QVERIFY2(!system.activationIds().contains(id), "whisk.system saw guest's activation");
        QCOMPARE(guest.activationIds().size(), 4);
        QCOMPARE(guest.countOfType(QStringLiteral("hello")), 1);
    }

    void docsGivesWholeRecordsBesideSummaries()
    {
        // ?docs=true: whole records (response and logs), while a plain client of the same
        // namespace still gets summaries of the same activations.
        StreamClient whole;
        StreamClient plain;
        whole.open(engine().baseUrl(), guestKey, QStringLiteral("?docs=true"));
        plain.open(engine().baseUrl(), guestKey);
        QVERIFY(waitFor([&] { return whole.messages.size() >= 1 && plain.messages.size() >= 1; }, 20000));
        const HttpResult r = engine().post(api(QStringLiteral("actions/echo?blocking=true")),
                                           {{QStringLiteral("marker"), QStringLiteral("whole-1")}});
        QCOMPARE(r.status, 200);
        const QString id = r.object().value(QLatin1String("activationId")).toString();
        QVERIFY(waitFor([&] { return whole.activationIds().contains(id) && plain.activationIds().contains(id); }));
        for (const QJsonObject &m : std::as_const(whole.messages)) {
            const QJsonObject a = m.value(QLatin1String("activation")).toObject();
            if (a.value(QLatin1String("activationId")).toString() != id)
                continue;
            QCOMPARE(a.value(QLatin1String("response")).toObject().value(QLatin1String("result")).toObject().value(QLatin1String("marker")).toString(),
                     QStringLiteral("whole-1"));
            QVERIFY(a.value(QLatin1String("logs")).isArray());
        }
        for (const QJsonObject &m : std::as_const(plain.messages))
            QVERIFY(!m.value(QLatin1String("activation")).toObject().contains(QLatin1String("response")));
    }

    void missingAuthIsRefused()
    {
        StreamClient anonymous;
        anonymous.open(engine().baseUrl(), {});
        QVERIFY(waitFor([&] { return anonymous.failed || anonymous.connected; }, 20000));
        QVERIFY(!anonymous.connected);

        StreamClient wrong;
        wrong.open(engine().baseUrl(), "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:wrong");
        QVERIFY(waitFor([&] { return wrong.failed || wrong.connected; }, 20000));
        QVERIFY(!wrong.connected);

        const QByteArray reply = engine().rawExchange(
            "GET /api/v1/namespaces/_/activations HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: "
            "websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n",
            2000);
        QVERIFY2(reply.startsWith("HTTP/1.1 401"), reply.constData());
    }

    void slowClientGetsAGapAndTheEngineStaysBounded()
    {
        // Fires of a trigger whose only rule points at a deleted action: each one is a cheap
        // trigger activation (one stream message) with no action run. Long names make the
        // messages big.
        const QString trigger = QStringLiteral("t") + QString(200, u'x');
        const QString action = QStringLiteral("a") + QString(200, u'y');
        QVERIFY(ok(engine().put(api(QStringLiteral("actions/") + action), nodeAction()), "action"));
        QVERIFY(ok(engine().put(api(QStringLiteral("triggers/") + trigger), {}), "trigger"));
        QVERIFY(
            ok(engine().put(api(QStringLiteral("rules/rslow")),
                            {{QStringLiteral("trigger"), QString(QStringLiteral("/_/") + trigger)},
                             {QStringLiteral("action"), QString(QStringLiteral("/_/") + action)}}),
               "rule"));
        QVERIFY(ok(engine().del(api(QStringLiteral("actions/") + action)), "delete action"));

        StubbornClient slow;
        QString error;
        QVERIFY2(slow.connectAndUpgrade(QUrl(engine().baseUrl()), guestKey, &error),
                 qPrintable(error));
        StreamClient reader; // a well-behaved client meanwhile
        reader.open(engine().baseUrl(), guestKey);
        QVERIFY(waitFor([&] { return reader.messages.size() >= 1; }, 20000));

        const qint64 pid = engine().process().processId();
        const qint64 rssBefore = residentKb(pid);
        QVERIFY(rssBefore > 0);
        qint64 rssPeak = rssBefore;
        // ~650-byte messages; the kernel alone may buffer ~4 MiB towards a stalled reader
        // (tcp_wmem max) before the engine's own 1 MiB queue fills, so produce well beyond that,
        // many fires in flight at once.
        const int fires = 16000;
        QString lastId;
        {
            const QUrl url(engine().baseUrl() + api(QStringLiteral("triggers/") + trigger));
            std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
            for (int i = 0; i < 6; ++i)
                managers.push_back(std::make_unique<QNetworkAccessManager>());
            int sent = 0;
            int done = 0;
            int failures = 0;
            std::function<void(QNetworkAccessManager *)> sendOne = [&](QNetworkAccessManager *m) {
                if (sent >= fires)
                    return;
                const int i = sent++;
                QNetworkRequest request(url);
                request.setRawHeader("Authorization", "Basic " + guestKey.toBase64());
                request.setHeader(QNetworkRequest::ContentTypeHeader,
                                  QByteArrayLiteral("application/json"));
                QNetworkReply *reply = m->post(request, "{\"i\":" + QByteArray::number(i) + '}');
                QObject::connect(reply, &QNetworkReply::finished, [&, reply, m, i] {
                    reply->deleteLater();
                    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 202)
                        ++failures;
                    if (i == fires - 1)
                        lastId = QString::fromLatin1(reply->rawHeader("x-openwhisk-activation-id"));
                    ++done;
                    if (done % 1000 == 0)
                        rssPeak = qMax(rssPeak, residentKb(pid));
                    sendOne(m);
                });
            };
            for (auto &m : managers) {
                for (int k = 0; k < 6; ++k)
                    sendOne(m.get());
            }
            QVERIFY2(waitFor([&] { return done == fires; }, 300000),
                     qPrintable(QStringLiteral("%1 of %2 fires answered").arg(done).arg(fires)));
            QCOMPARE(failures, 0);
        }
        // The last request sent is not necessarily the last one answered; any answered id will do.
        QVERIFY(!lastId.isEmpty());
        // The engine kept serving others: a reading client still gets new activations (it may
        // itself have missed some under this load, which a gap would tell it) and plain
        // requests work.
        const HttpResult barrier = engine().post(api(QStringLiteral("triggers/") + trigger), {});
        QCOMPARE(barrier.status, 202);
        const QString barrierId = barrier.object().value(QLatin1String("activationId")).toString();
        QVERIFY2(
            waitFor([&] { return reader.activationIds().contains(barrierId); }),
            qPrintable(
                QStringLiteral("reader got %1 activations").arg(reader.activationIds().size())));
        QCOMPARE(engine().get(api(QStringLiteral("triggers/") + trigger)).status, 200);
        rssPeak = qMax(rssPeak, residentKb(pid));
        QVERIFY2(rssPeak < 500 * 1024, qPrintable(QStringLiteral("VmRSS %1 kB").arg(rssPeak)));

        // Now it reads: a gap marker with the number of dropped messages arrives.
        qint64 missed = 0;
        QVERIFY2(
            slow.readUntil(
                [&](const QJsonObject &m) {
                    if (m.value(QLatin1String("type")).toString() != u"gap")
                        return false;
                    missed = m.value(QLatin1String("missed")).toInteger();
                    return true;
                },
                60000),
            qPrintable(QStringLiteral("no gap message after %1 messages").arg(slow.messages())));
        QVERIFY(missed > 0);
        QVERIFY(missed < fires);
        // The activations it received before the gap (not counting hello and the gap message) plus
        // those it missed never exceed what was produced (the fires and the barrier fire).
        QVERIFY2(
            slow.messages() - 2 + missed <= fires + 1,
            qPrintable(QStringLiteral("%1 received, %2 missed").arg(slow.messages()).arg(missed)));
        // And the stream continues after the gap.
        const HttpResult after = engine().post(api(QStringLiteral("triggers/") + trigger), {});
        const QString afterId = after.object().value(QLatin1String("activationId")).toString();
        QVERIFY(slow.readUntil(
            [&](const QJsonObject &m) {
                return m.value(QLatin1String("activation"))
                           .toObject()
                           .value(QLatin1String("activationId"))
                           .toString()
                       == afterId;
            },
            30000));
    }
};

QTEST_GUILESS_MAIN(TestActivityStream)
#include "tst_activitystream.moc"
