// SPDX-License-Identifier: GPL-3.0-or-later
// The webhook relay against a real feedscope-engine: deliveries captured byte for byte and
// forwarded to the trigger, the API's answer handed back, replays that fire the same payload,
// the relay's own refusals (400, 403, 404, 413 before buffering), bounded captures that survive
// a restart, and a key that never reaches a capture, the capture file or the log.
#include "webhookforward.h"
#include "webhookrelaytesting.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

// An HTTP answer read off a raw socket.
struct RawAnswer
{
    int status = 0;
    HttpHeaderList headers;
    QByteArray body;
    bool closed = false;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
    QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
};

// Writes `bytes` to the relay on a fresh connection and reads one answer while the event loop
// runs (the relay lives in this process), without ever sending more than `bytes`.
RawAnswer exchange(quint16 port, const QByteArray &bytes)
{
    QTcpSocket socket;
    RawAnswer answer;
    QByteArray received;
    QObject::connect(
        &socket, &QTcpSocket::readyRead, &socket, [&] { received += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { answer.closed = true; });
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!waitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 10000))
        return answer;
    socket.write(bytes);
    const auto complete = [&] {
        const qsizetype end = received.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        const QList<QByteArray> lines = received.left(end).split('\n');
        answer.status = lines.first().split(' ').value(1).toInt();
        answer.headers.clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            answer.headers.append({lines[i].left(colon), lines[i].mid(colon + 1).trimmed()});
        }
        const qsizetype length = answer.header("content-length").toLongLong();
        answer.body = received.mid(end + 4);
        return answer.body.size() >= length;
    };
    waitFor([&] { return complete() || answer.closed; }, 30000);
    complete();
    return answer;
}

QByteArray delivery(quint16 port,
                    const QByteArray &target,
                    const HttpHeaderList &headers,
                    const QByteArray &body)
{
    QByteArray out
        = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return out;
}

QByteArray binaryBody()
{
    static const char head[] = "\x00\x01\xff\xfe\r\n\r\nnot json {";
    QByteArray body(head, sizeof(head) - 1);
    for (int i = 0; i < 256; ++i)
        body.append(char(i));
    return body;
}

} // namespace

class TestWebhookRelay : public QObject, private WebhookRelayFixture
{
    Q_OBJECT

private:
    // The trigger activation `id` as the activations API returns it.
    QJsonObject activation(const QString &id) { return m_engine.get(activationPath(id)).object(); }

    // The activation of the rule's action that trigger activation `id` started.
    QJsonObject ruleActivation(const QString &id)
    {
        const QStringList logs = logsOf(activation(id));
        if (logs.isEmpty())
            return {};
        const QString actionId = QJsonDocument::fromJson(logs.first().toUtf8())
                                     .object()
                                     .value("activationId"_L1)
                                     .toString();
        QJsonObject record;
        waitFor([&] {
            record = activation(actionId);
            return record.contains("end"_L1) && record.value("end"_L1).toDouble() > 0;
        });
        return record;
    }

    const WebhookCapture &lastCapture() const { return m_relay->captures().back(); }

private Q_SLOTS:
    void initTestCase() { startEngine(); }
    void init() { openRelay(); }
    void cleanup() { closeRelayAndDirectory(); }

    void binaryDeliveryCapturedByteExactAndFired()
    {
        const quint16 port = m_relay->port();
        const QByteArray body = binaryBody();
        const HttpHeaderList odd{{"X-Odd-CASE", "Value  with  inner  spaces"},
                                 {"x-dup", "1"},
                                 {"X-Dup", "2"},
                                 {"X-Signature-256", "sha256=\xc3\xa9t\xc3\xa9"},
                                 {"Content-Type", "application/octet-stream"}};
        const RawAnswer answer
            = exchange(port, delivery(port, "/hooks/door?sig=a%20b&x=1", odd, body));
        QCOMPARE(answer.status, 202);
        const QString activationId = answer.object().value("activationId"_L1).toString();
        QVERIFY(!activationId.isEmpty());
        QCOMPARE(QString::fromLatin1(answer.header("x-openwhisk-activation-id")), activationId);

        const WebhookCapture &c = lastCapture();
        QCOMPARE(answer.header("X-Feedscope-Capture").toLongLong(), c.id);
        QCOMPARE(c.source, WebhookCapture::Source::Relay);
        QCOMPARE(c.request.trigger, u"door"_s);
        QCOMPARE(c.request.method, QByteArray("POST"));
        QCOMPARE(c.request.path, QByteArray("/hooks/door"));
        QCOMPARE(c.request.query, QByteArray("sig=a%20b&x=1"));
        QCOMPARE(c.request.body, body);
        HttpHeaderList expected{{"Host", "127.0.0.1:" + QByteArray::number(port)}};
        expected += odd;
        expected.append({"Content-Length", QByteArray::number(body.size())});
        QCOMPARE(c.request.headers, expected);
        QVERIFY(c.receivedAt.isValid());
        QCOMPARE(c.status, 202);
        QVERIFY(c.forwarded);
        QCOMPARE(c.outcome(), WebhookCapture::Outcome::Fired);
        QCOMPARE(c.activationId, activationId);

        // The trigger got the body, wrapped as web actions get raw bodies.
        const QJsonObject payload = resultOf(activation(activationId));
        QCOMPARE(payload.value("__ow_body_encoding"_L1).toString(), u"base64"_s);
        QCOMPARE(payload.value("__ow_content_type"_L1).toString(), u"application/octet-stream"_s);
        QCOMPARE(QByteArray::fromBase64(payload.value("__ow_body"_L1).toString().toLatin1()), body);
        // The rule's action saw the sender's headers, the repeated one joined.
        const QJsonObject headers
            = resultOf(ruleActivation(activationId)).value("__ow_headers"_L1).toObject();
        QCOMPARE(headers.value("x-odd-case"_L1).toString(), u"Value  with  inner  spaces"_s);
        QCOMPARE(headers.value("x-dup"_L1).toString(), u"1, 2"_s);
        QCOMPARE(headers.value("x-signature-256"_L1).toString(), u"sha256=été"_s);
    }

    void jsonDeliveryIsThePayload()
    {
        const quint16 port = m_relay->port();
        const QByteArray body = R"({"order": 42, "items": ["a", "b"], "nested": {"x": null}})";
        const RawAnswer answer = exchange(
            port,
            delivery(port, "/hooks/door", {{"Content-Type", "application/vnd.shop+json"}}, body));
        QCOMPARE(answer.status, 202);
        const QJsonObject payload
            = resultOf(activation(answer.object().value("activationId"_L1).toString()));
        QCOMPARE(payload, QJsonDocument::fromJson(body).object());
        QCOMPARE(lastCapture().request.body, body);
    }

    void textDeliveryStaysText()
    {
        const quint16 port = m_relay->port();
        const QByteArray body = "a=1&b=h%C3%A9&c=x+y";
        const RawAnswer answer
            = exchange(port,
                       delivery(port,
                                "/hooks/door",
                                {{"Content-Type", "application/x-www-form-urlencoded"}},
                                body));
        QCOMPARE(answer.status, 202);
        const QJsonObject payload
            = resultOf(activation(answer.object().value("activationId"_L1).toString()));
        QCOMPARE(payload.value("__ow_body"_L1).toString(), QString::fromLatin1(body));
        QCOMPARE(payload.value("__ow_body_encoding"_L1).toString(), u"utf-8"_s);
    }

    void replayFiresTheSamePayload()
    {
        const quint16 port = m_relay->port();
        const RawAnswer first
            = exchange(port,
                       delivery(port,
                                "/hooks/door",
                                {{"Content-Type", "image/png"}, {"X-Event", "push"}},
                                binaryBody()));
        QCOMPARE(first.status, 202);
        const WebhookCapture original = lastCapture();

        const WebhookCapture replayed = awaitSend([&](QObject *context, auto done) {
            return m_relay->replay(original.id, context, done);
        });
        QCOMPARE(replayed.source, WebhookCapture::Source::Replay);
        QCOMPARE(replayed.replayOf, original.id);
        QCOMPARE(replayed.request.headers, original.request.headers);
        QCOMPARE(replayed.request.body, original.request.body);
        QCOMPARE(replayed.status, 202);
        QVERIFY(!replayed.activationId.isEmpty());
        QVERIFY(replayed.activationId != original.activationId);
        QCOMPARE(resultOf(activation(replayed.activationId)),
                 resultOf(activation(original.activationId)));
        // The action saw the same event headers both times.
        const auto eventHeader = [&](const QString &id) {
            return resultOf(ruleActivation(id))
                .value("__ow_headers"_L1)
                .toObject()
                .value("x-event"_L1)
                .toString();
        };
        QCOMPARE(eventHeader(replayed.activationId), u"push"_s);
        QCOMPARE(eventHeader(original.activationId), u"push"_s);

        // Edited first: the edit is what fires.
        WebhookRequest edited = original.request;
        edited.body = R"({"edited": true})";
        const WebhookCapture changed = awaitSend([&](QObject *context, auto done) {
            return m_relay->replayEdited(original.id, edited, context, done);
        });
        QCOMPARE(changed.status, 202);
        QCOMPARE(resultOf(activation(changed.activationId)), QJsonObject({{"edited"_L1, true}}));
    }

    void consoleSendIsCaptured()
    {
        WebhookRequest request;
        request.trigger = u"door"_s;
        request.headers = {{"Content-Type", "application/json"}, {"X-Test", "console"}};
        request.body = R"({"from":"console"})";
        const WebhookCapture sent = awaitSend(
            [&](QObject *context, auto done) { return m_relay->send(request, context, done); });
        QCOMPARE(sent.source, WebhookCapture::Source::Console);
        QCOMPARE(sent.status, 202);
        QCOMPARE(resultOf(activation(sent.activationId)), QJsonObject({{"from"_L1, u"console"_s}}));
        QCOMPARE(m_relay->capture(sent.id)->activationId, sent.activationId);
    }

    void noActiveRuleIs204()
    {
        const quint16 port = m_relay->port();
        const RawAnswer answer = exchange(port, delivery(port, "/hooks/idle", {}, "{\"a\":1}"));
        QCOMPARE(answer.status, 204);
        QVERIFY(answer.body.isEmpty());
        QCOMPARE(lastCapture().status, 204);
        QCOMPARE(lastCapture().outcome(), WebhookCapture::Outcome::NoActiveRule);
        QVERIFY(lastCapture().activationId.isEmpty());
    }

    void unknownTriggerIs404()
    {
        const quint16 port = m_relay->port();
        const RawAnswer answer = exchange(port, delivery(port, "/hooks/nope", {}, "{}"));
        QCOMPARE(answer.status, 404);
        QVERIFY(!answer.object().value("error"_L1).toString().isEmpty());
        QVERIFY(answer.object().contains("code"_L1));
        QCOMPARE(lastCapture().request.trigger, u"nope"_s);
        QCOMPARE(lastCapture().outcome(), WebhookCapture::Outcome::Failed);
        QVERIFY(lastCapture().forwarded);
    }

    void oversizeBodyRefusedBeforeBuffering()
    {
        const quint16 port = m_relay->port();
        // Only the head is sent: a relay that waited for the 50 MB body would never answer.
        const QByteArray head = "POST /hooks/door HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\n"
                                "Content-Length: 52428800\r\n\r\n";
        const RawAnswer answer = exchange(port, head);
        QCOMPARE(answer.status, 413);
        QVERIFY(answer.object().value("error"_L1).toString().contains("52428800"_L1));
        QVERIFY(!answer.object().value("code"_L1).toString().isEmpty());
        QCOMPARE(lastCapture().status, 413);
        QCOMPARE(lastCapture().outcome(), WebhookCapture::Outcome::Refused);
        QVERIFY(lastCapture().request.body.isEmpty());
        QCOMPARE(lastCapture().request.header("content-length"), QByteArray("52428800"));

        // The console's sends have the same limit.
        WebhookRelaySettings small = m_relay->settings();
        small.maxBodyBytes = 10;
        m_relay->setSettings(small);
        WebhookRequest request;
        request.trigger = u"door"_s;
        request.body = R"({"too":"long for ten bytes"})";
        const WebhookCapture refused = awaitSend(
            [&](QObject *context, auto done) { return m_relay->send(request, context, done); });
        QCOMPARE(refused.status, 413);
        QVERIFY(!refused.forwarded);
    }

    void malformedRequestsAre400()
    {
        const quint16 port = m_relay->port();
        const qsizetype before = m_relay->captures().size();
        RawAnswer answer = exchange(port, "NONSENSE\r\n\r\n");
        QCOMPARE(answer.status, 400);
        QVERIFY(!answer.object().value("error"_L1).toString().isEmpty());

        answer = exchange(port, delivery(port, "/hooks/a%2Fb", {}, "{}"));
        QCOMPARE(answer.status, 400);
        QVERIFY(answer.object().value("error"_L1).toString().contains("trigger name"_L1));
        answer = exchange(port, delivery(port, "/hooks/", {}, "{}"));
        QCOMPARE(answer.status, 400);
        QCOMPARE(qsizetype(m_relay->captures().size()), before); // no trigger to file them under

        // A broken header line of a delivery to a trigger: refused and shown under it.
        answer = exchange(port, "POST /hooks/door HTTP/1.1\r\nNo colon here\r\n\r\n");
        QCOMPARE(answer.status, 400);
        QCOMPARE(lastCapture().request.trigger, u"door"_s);
        QCOMPARE(lastCapture().status, 400);

        answer = exchange(port, delivery(port, "/elsewhere", {}, "{}"));
        QCOMPARE(answer.status, 404);
        QVERIFY(answer.object().contains("error"_L1));
    }

    void webPagesRefused()
    {
        const quint16 port = m_relay->port();
        const RawAnswer answer = exchange(
            port, delivery(port, "/hooks/door", {{"Origin", "https://evil.example"}}, "{}"));
        QCOMPARE(answer.status, 403);
        QCOMPARE(lastCapture().outcome(), WebhookCapture::Outcome::Refused);
        QVERIFY(!lastCapture().forwarded);
        QVERIFY(activationsOf(m_engine, u"door"_s).size() > 0); // the engine works; nothing sent
    }

    void withoutProfileIs503()
    {
        m_relay->clearEndpoint();
        const quint16 port = m_relay->port();
        const RawAnswer answer = exchange(port, delivery(port, "/hooks/door", {}, "{}"));
        QCOMPARE(answer.status, 503);
        QCOMPARE(lastCapture().outcome(), WebhookCapture::Outcome::Refused);
        // Replayed once a profile is back, it fires.
        m_relay->setEndpoint(endpoint());
        const WebhookCapture replayed = awaitSend([&](QObject *context, auto done) {
            return m_relay->replay(lastCapture().id, context, done);
        });
        QCOMPARE(replayed.status, 202);
    }

    // Found in review: the masking knew only the connected profile's key. A delivery with
    // credentials before any profile connected, or with another profile's key, keeps neither.
    void otherCredentialsNeverKept()
    {
        m_relay->clearEndpoint();
        const quint16 port = m_relay->port();
        const QByteArray other = "0f0f0f0f-1111-2222-3333-444455556666:someoneelsessecretkeyvalue";
        RawAnswer answer = exchange(port,
                                    delivery(port,
                                             "/hooks/door",
                                             {{"Authorization", "Basic " + other.toBase64()},
                                              {"Proxy-Authorization", "Bearer " + other}},
                                             "{}"));
        QCOMPARE(answer.status, 503);
        for (const auto &h : lastCapture().request.headers) {
            QVERIFY2(!h.second.contains(other) && !h.second.contains(other.toBase64()),
                     h.second.constData());
        }
        QCOMPARE(lastCapture().request.header("authorization"), QByteArray("Basic ***"));
        QCOMPARE(lastCapture().request.header("proxy-authorization"), QByteArray("Bearer ***"));
        m_relay->setEndpoint(endpoint());
    }

    void capturesBounded()
    {
        WebhookRelaySettings bounds = m_relay->settings();
        bounds.maxCaptures = 5;
        m_relay->setSettings(bounds);
        QList<qint64> ids;
        for (int i = 0; i < 8; ++i) {
            WebhookRequest request;
            request.trigger = u"idle"_s;
            request.body = QJsonDocument(QJsonObject{{"i"_L1, i}}).toJson();
            ids.append(awaitSend([&](QObject *context, auto done) {
                           return m_relay->send(request, context, done);
                       }).id);
        }
        QCOMPARE(int(m_relay->captures().size()), 5);
        QCOMPARE(m_relay->captures().front().id, ids.at(3));
        QVERIFY(!m_relay->capture(ids.at(2)));

        // By bytes: 20 KB bodies in a 64 KB budget.
        bounds.maxCaptures = 1000;
        bounds.maxCaptureBytes = 64 * 1024;
        m_relay->setSettings(bounds);
        for (int i = 0; i < 6; ++i) {
            WebhookRequest request;
            request.trigger = u"idle"_s;
            request.body = QJsonDocument(QJsonObject{{"pad"_L1, QString(20000, u'x')}}).toJson();
            awaitSend(
                [&](QObject *context, auto done) { return m_relay->send(request, context, done); });
        }
        qint64 total = 0;
        for (const WebhookCapture &c : m_relay->captures())
            total += c.cost();
        QVERIFY2(total <= 64 * 1024, qPrintable(QString::number(total)));
        QVERIFY(m_relay->captures().size() >= 2);
        const qint64 newest = m_relay->captures().back().id;

        // The file holds the bounded history too.
        const int kept = int(m_relay->captures().size());
        m_relay.reset();
        openRelay();
        QCOMPARE(int(m_relay->captures().size()), kept);
        QCOMPARE(m_relay->captures().back().id, newest);
    }

    void capturesSurviveRestart()
    {
        const quint16 port = m_relay->port();
        const QByteArray body = binaryBody();
        const RawAnswer answer
            = exchange(port, delivery(port, "/hooks/door", {{"X-Kept", "yes"}}, body));
        QCOMPARE(answer.status, 202);
        const WebhookCapture before = lastCapture();
        m_relay.reset();

        openRelay();
        QCOMPARE(m_relay->port(), port); // the free port it picked is kept
        const WebhookCapture *after = m_relay->capture(before.id);
        QVERIFY(after);
        QCOMPARE(after->request.headers, before.request.headers);
        QCOMPARE(after->request.body, before.request.body);
        QCOMPARE(after->request.query, before.request.query);
        QCOMPARE(after->receivedAt, before.receivedAt);
        QCOMPARE(after->status, 202);
        QCOMPARE(after->activationId, before.activationId);
        QCOMPARE(after->source, WebhookCapture::Source::Relay);

        // And can be replayed after the restart.
        const WebhookCapture replayed = awaitSend(
            [&](QObject *context, auto done) { return m_relay->replay(before.id, context, done); });
        QCOMPARE(replayed.status, 202);
        QCOMPARE(resultOf(activation(replayed.activationId)),
                 resultOf(activation(before.activationId)));
    }

    void keyNeverKept()
    {
        static QStringList logged;
        logged.clear();
        const QtMessageHandler previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &, const QString &text) {
                logged.append(text);
            });
        const QByteArray key = guestKey;
        const QByteArray basic = key.toBase64();
        const quint16 port = m_relay->port();
        // A sender that (wrongly) hands the key to the relay, in every place it can.
        RawAnswer answer
            = exchange(port,
                       delivery(port,
                                "/hooks/door?key=" + key,
                                {{"Authorization", "Basic " + basic}, {"X-Api-Key", key}},
                                R"({"authKey":")" + key + R"("})"));
        QCOMPARE(answer.status, 202);
        WebhookRequest request;
        request.trigger = u"door"_s;
        request.headers = {{"X-Key", key}};
        request.body = "{\"k\":\"" + key + "\"}";
        QCOMPARE(awaitSend([&](QObject *context, auto done) {
                     return m_relay->send(request, context, done);
                 }).status,
                 202);
        // An unreachable API: the error text names the URL, not the key.
        m_relay->setEndpoint(WhiskEndpoint{
            u"http://127.0.0.1:%1"_s.arg(freePort()), QString::fromLatin1(key), u"_"_s});
        QCOMPARE(awaitSend([&](QObject *context, auto done) {
                     return m_relay->send(request, context, done);
                 }).status,
                 502);

        for (const WebhookCapture &c : m_relay->captures()) {
            QByteArray all = c.request.query + c.request.body + c.response + c.error.toUtf8();
            for (const auto &h : c.request.headers)
                all += h.second;
            QVERIFY2(!all.contains(key) && !all.contains(basic), all.constData());
        }
        QVERIFY(lastCapture().request.body.contains("***"));
        m_relay.reset(); // writes the file
        qInstallMessageHandler(previous);
        for (const QString &file : QDir(m_dir->path()).entryList(QDir::Files)) {
            QFile f(QDir(m_dir->path()).filePath(file));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY2(!bytes.contains(key) && !bytes.contains(basic), qPrintable(file));
        }
        for (const QString &line : std::as_const(logged))
            QVERIFY2(!line.contains(QString::fromLatin1(key)), qPrintable(line));
        openRelay();
    }

    void curlLines()
    {
        const QByteArray payload = R"({"a":"it's"})";
        const QString shown = directFireCurl(endpoint(), u"door"_s, payload, false);
        QVERIFY(!shown.contains(QString::fromLatin1(guestKey)));
        QVERIFY(shown.contains("-u '***'"_L1));
        const QString full = directFireCurl(endpoint(), u"door"_s, payload, true);
        QVERIFY(full.contains(u"-u '%1'"_s.arg(QString::fromLatin1(guestKey))));
        QVERIFY(full.contains(m_relay->fireUrl(u"door"_s).toString()));
        const QString relayed = relayCurl(m_relay->hookUrl(u"door"_s), payload);
        QVERIFY(!relayed.contains("-u"_L1));
        QVERIFY(relayed.contains(u"http://127.0.0.1:%1/hooks/door"_s.arg(m_relay->port())));
    }
};

QTEST_GUILESS_MAIN(TestWebhookRelay)
#include "tst_webhookrelay.moc"
