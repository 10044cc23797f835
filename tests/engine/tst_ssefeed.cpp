// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in server-sent-events provider (/whisk.system/streams/sse) against the sample event
// service's GET /stream (resources/samples/event-service.js), driven through the system feed
// action as `wsk trigger create --feed` does.
#include "feedtesting.h"
#include "serviceprocess.h"

#include <QFileInfo>
#include <QTest>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

const QString eventServiceScript = QStringLiteral(FEEDSCOPE_EVENT_SERVICE);

FeedCall
invokeFeed(EngineProcess &e, const QString &event, const QString &trigger, QJsonObject params = {})
{
    return invokeSystemFeed(e, QStringLiteral("streams/sse"), event, trigger, std::move(params));
}

bool setUpSseTrigger(EngineProcess &e, const QString &trigger, const QString &action)
{
    return setUpFeedTrigger(e, trigger, QStringLiteral("/whisk.system/streams/sse"), action);
}

// The parameters the rule's action received (unordered: actions may start out of fire order),
// without the fire request's __ow_headers that every rule action also gets (PROTOCOL.md 1.8).
QList<QJsonObject> received(EngineProcess &e, const QString &action)
{
    QList<QJsonObject> results;
    for (const QJsonValue &v : activationsOf(e, action)) {
        QJsonObject result = resultOf(v);
        result.remove(QStringLiteral("__ow_headers"));
        results.append(result);
    }
    return results;
}

// The event ids delivered, sorted numerically: a duplicate or a lost event shows.
QList<int> receivedIds(EngineProcess &e, const QString &action)
{
    QList<int> ids;
    for (const QJsonObject &r : received(e, action))
        ids.append(r.value(QLatin1String("id")).toString().toInt());
    std::sort(ids.begin(), ids.end());
    return ids;
}

// One sample event service per test, so event ids start at 1.
struct EventService
{
    ServiceProcess process;

    bool start() { return process.startEventService(eventServiceScript); }
    QString streamUrl() const { return process.baseUrl() + QStringLiteral("/stream"); }
    bool publish(const QString &type, const QJsonValue &data)
    {
        const int status
            = ServiceProcess::httpRequest("POST",
                                          process.baseUrl() + QStringLiteral("/emit"),
                                          QJsonDocument(QJsonObject{{QStringLiteral("type"), type},
                                                                    {QStringLiteral("data"), data}})
                                              .toJson(QJsonDocument::Compact));
        return status == 201;
    }
    int streams() const
    {
        QByteArray body;
        if (ServiceProcess::httpRequest(
                "GET", process.baseUrl() + QStringLiteral("/health"), {}, &body)
            != 200)
            return -1;
        return QJsonDocument::fromJson(body).object().value(QLatin1String("streams")).toInt(-1);
    }
};

// Instead of sleeping to see that nothing more comes: publishes a sentinel event of `type` (id
// `sentinelId`) and waits until `action` got it and every fire of `trigger` so far reached the
// action. The stream is ordered, so whatever the provider read before the sentinel (a duplicate
// included) was fired before it.
bool drained(EngineProcess &e,
             EventService &service,
             const QString &trigger,
             const QString &action,
             const QString &type,
             int sentinelId)
{
    if (!service.publish(type, QStringLiteral("sentinel")))
        return false;
    return waitFor([&] {
        const QList<int> ids = receivedIds(e, action);
        return ids.contains(sentinelId) && activationsOf(e, trigger).size() == ids.size();
    });
}

} // namespace

class TestSseFeed : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EngineProcess> m_engine;

    EngineProcess &engine() { return *m_engine; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(eventServiceScript), qPrintable(eventServiceScript));
        m_engine = std::make_unique<EngineProcess>();
        QVERIFY2(m_engine->start(), qPrintable(m_engine->errorString()));
    }

    void cleanupTestCase() { m_engine.reset(); }

    void everyEventFiresTheTrigger()
    {
        EventService service;
        QVERIFY2(service.start(), qPrintable(service.process.errorString()));
        QVERIFY(setUpSseTrigger(engine(), QStringLiteral("tsse"), QStringLiteral("echo_sse")));
        const FeedCall create = invokeFeed(engine(),
                                           QStringLiteral("CREATE"),
                                           QStringLiteral("tsse"),
                                           {{QStringLiteral("url"), service.streamUrl()}});
        QVERIFY2(create.success(), qPrintable(create.describe()));
        QCOMPARE(create.result(),
                 (QJsonObject{{QStringLiteral("status"), QStringLiteral("success")}}));
        QVERIFY2(waitFor([&] { return service.streams() == 1; }), "the provider never connected");

        QVERIFY(service.publish(QStringLiteral("order"), QJsonObject{{QStringLiteral("n"), 1}}));
        QVERIFY(
            waitFor([&] { return received(engine(), QStringLiteral("echo_sse")).size() >= 1; }));
        QCOMPARE(received(engine(), QStringLiteral("echo_sse")).first(),
                 (QJsonObject{{QStringLiteral("event"), QStringLiteral("order")},
                              {QStringLiteral("data"), QJsonObject{{QStringLiteral("n"), 1}}},
                              {QStringLiteral("id"), QStringLiteral("1")}}));

        // Scalars and strings as data.
        QVERIFY(service.publish(QStringLiteral("note"), QStringLiteral("hi")));
        QVERIFY(service.publish(QStringLiteral("count"), 42));
        QVERIFY(
            waitFor([&] { return received(engine(), QStringLiteral("echo_sse")).size() >= 3; }));
        QVERIFY(drained(engine(), service, u"tsse"_s, u"echo_sse"_s, u"order"_s, 4));
        QCOMPARE(receivedIds(engine(), QStringLiteral("echo_sse")), (QList<int>{1, 2, 3, 4}));
        for (const QJsonObject &p : received(engine(), QStringLiteral("echo_sse"))) {
            if (p.value(QLatin1String("id")).toString() == u"2") {
                QCOMPARE(p.value(QLatin1String("event")).toString(), QStringLiteral("note"));
                QCOMPARE(p.value(QLatin1String("data")), QJsonValue(QStringLiteral("hi")));
            } else if (p.value(QLatin1String("id")).toString() == u"3") {
                QCOMPARE(p.value(QLatin1String("data")), QJsonValue(42));
            }
        }

        const FeedCall read = invokeFeed(engine(), QStringLiteral("READ"), QStringLiteral("tsse"));
        QVERIFY2(read.success(), qPrintable(read.describe()));
        QCOMPARE(read.result()
                     .value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("url"))
                     .toString(),
                 service.streamUrl());
        QCOMPARE(
            read.result().value(QLatin1String("status")).toObject().value(QLatin1String("active")),
            QJsonValue(true));

        // DELETE closes the stream and stops the fires. Proof that a later event went through
        // the provider: a second trigger on the same stream gets it, the deleted one does not.
        QVERIFY(invokeFeed(engine(), QStringLiteral("DELETE"), QStringLiteral("tsse")).success());
        QVERIFY2(waitFor([&] { return service.streams() == 0; }), "the stream stayed open");
        QVERIFY(setUpSseTrigger(engine(), u"tsse_after"_s, u"echo_sse_after"_s));
        QVERIFY(
            invokeFeed(engine(), u"CREATE"_s, u"tsse_after"_s, {{u"url"_s, service.streamUrl()}})
                .success());
        QVERIFY(waitFor([&] { return service.streams() == 1; }));
        QVERIFY(drained(engine(), service, u"tsse_after"_s, u"echo_sse_after"_s, u"order"_s, 5));
        QCOMPARE(receivedIds(engine(), QStringLiteral("echo_sse")), (QList<int>{1, 2, 3, 4}));
        QVERIFY(invokeFeed(engine(), u"DELETE"_s, u"tsse_after"_s).success());
    }

    void eventsFilterSelectsTypes()
    {
        EventService service;
        QVERIFY2(service.start(), qPrintable(service.process.errorString()));
        QVERIFY(setUpSseTrigger(engine(), QStringLiteral("tkeep"), QStringLiteral("echo_keep")));
        const FeedCall create
            = invokeFeed(engine(),
                         QStringLiteral("CREATE"),
                         QStringLiteral("tkeep"),
                         {{QStringLiteral("url"), service.streamUrl()},
                          {QStringLiteral("events"), QJsonArray{QStringLiteral("keep")}}});
        QVERIFY2(create.success(), qPrintable(create.describe()));
        QVERIFY(waitFor([&] { return service.streams() == 1; }));
        QVERIFY(service.publish(QStringLiteral("drop"), 1));
        QVERIFY(service.publish(QStringLiteral("keep"), 2));
        QVERIFY(service.publish(QStringLiteral("drop"), 3));
        QVERIFY(service.publish(QStringLiteral("keep"), 4));
        QVERIFY(
            waitFor([&] { return received(engine(), QStringLiteral("echo_keep")).size() >= 2; }));
        QVERIFY(drained(engine(), service, u"tkeep"_s, u"echo_keep"_s, u"keep"_s, 5));
        QCOMPARE(receivedIds(engine(), QStringLiteral("echo_keep")), (QList<int>{2, 4, 5}));
        for (const QJsonObject &p : received(engine(), QStringLiteral("echo_keep")))
            QCOMPARE(p.value(QLatin1String("event")).toString(), QStringLiteral("keep"));
        QVERIFY(invokeFeed(engine(), QStringLiteral("DELETE"), QStringLiteral("tkeep")).success());
    }

    void restartResumesWithLastEventId()
    {
        EventService service;
        QVERIFY2(service.start(), qPrintable(service.process.errorString()));
        EngineProcess e;
        QVERIFY2(e.start(), qPrintable(e.errorString()));
        QVERIFY(setUpSseTrigger(e, QStringLiteral("trst"), QStringLiteral("echo_rst")));
        QVERIFY(invokeFeed(e,
                           QStringLiteral("CREATE"),
                           QStringLiteral("trst"),
                           {{QStringLiteral("url"), service.streamUrl()}})
                    .success());
        QVERIFY(waitFor([&] { return service.streams() == 1; }));
        QVERIFY(service.publish(QStringLiteral("a"), 1));
        QVERIFY(service.publish(QStringLiteral("a"), 2));
        QVERIFY(waitFor([&] { return received(e, QStringLiteral("echo_rst")).size() >= 2; }));

        e.stop();
        QVERIFY(waitFor([&] { return service.streams() == 0; }));
        QVERIFY(service.publish(QStringLiteral("b"), 3));
        QVERIFY(service.publish(QStringLiteral("b"), 4));
        QVERIFY2(e.start(), qPrintable(e.errorString()));

        QVERIFY2(waitFor([&] { return received(e, QStringLiteral("echo_rst")).size() >= 4; }),
                 "the events emitted while the engine was down were not delivered");
        QVERIFY(drained(e, service, u"trst"_s, u"echo_rst"_s, u"b"_s, 5));
        QCOMPARE(receivedIds(e, QStringLiteral("echo_rst")), (QList<int>{1, 2, 3, 4, 5}));
        QVERIFY(service.publish(QStringLiteral("c"), 6));
        QVERIFY(waitFor([&] { return received(e, QStringLiteral("echo_rst")).size() >= 6; }));
        QVERIFY(drained(e, service, u"trst"_s, u"echo_rst"_s, u"c"_s, 7));
        QCOMPARE(receivedIds(e, QStringLiteral("echo_rst")), (QList<int>{1, 2, 3, 4, 5, 6, 7}));
    }

    void badUrlIsRefused_data()
    {
        QTest::addColumn<QJsonValue>("url");
        QTest::newRow("missing") << QJsonValue();
        QTest::newRow("not a url") << QJsonValue(QStringLiteral("not a url"));
        QTest::newRow("ftp") << QJsonValue(QStringLiteral("ftp://127.0.0.1/stream"));
        QTest::newRow("number") << QJsonValue(5);
    }

    void badUrlIsRefused()
    {
        QFETCH(QJsonValue, url);
        if (engine().get(api(QStringLiteral("triggers/tbad"))).status == 404)
            QVERIFY(setUpSseTrigger(engine(), QStringLiteral("tbad"), QStringLiteral("echo_bad")));
        QJsonObject params;
        if (!url.isNull())
            params.insert(QStringLiteral("url"), url);
        const FeedCall create
            = invokeFeed(engine(), QStringLiteral("CREATE"), QStringLiteral("tbad"), params);
        QVERIFY2(!create.success(), qPrintable(create.describe()));
        QVERIFY2(create.error().contains(QLatin1String("url")), qPrintable(create.describe()));
        QVERIFY(!invokeFeed(engine(), QStringLiteral("READ"), QStringLiteral("tbad")).success());
    }
};

QTEST_GUILESS_MAIN(TestSseFeed)
#include "tst_ssefeed.moc"
