// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in CouchDB `_changes` provider (/whisk.system/cloudant/changes, PROTOCOL.md 5.1)
// against a real CouchDB-compatible server (pouchdb-server, in memory), driven through the
// system feed action as `wsk trigger create --feed` does.
#include "feedtesting.h"
#include "serviceprocess.h"

#include <QFileInfo>
#include <QSet>
#include <QTest>

using namespace Feedscope::Testing;

namespace {

const QString pouchDbServer = QStringLiteral(FEEDSCOPE_POUCHDB_SERVER);

FeedCall
invokeFeed(EngineProcess &e, const QString &event, const QString &trigger, QJsonObject params = {})
{
    return invokeSystemFeed(
        e, QStringLiteral("cloudant/changes"), event, trigger, std::move(params));
}

bool setUpChangesTrigger(EngineProcess &e, const QString &trigger, const QString &action)
{
    return setUpFeedTrigger(e, trigger, QStringLiteral("/whisk.system/cloudant/changes"), action);
}

// The parameters the rule's action received, oldest first.
QList<QJsonObject> received(EngineProcess &e, const QString &action)
{
    const QJsonArray list = activationsOf(e, action);
    QList<QJsonObject> results;
    for (qsizetype i = list.size() - 1; i >= 0; --i)
        results.append(resultOf(list.at(i)));
    return results;
}

// The ids of the changes delivered, sorted (rule actions may start out of fire order): a
// duplicate or a lost change shows.
QStringList receivedIds(EngineProcess &e, const QString &action)
{
    QStringList ids;
    for (const QJsonObject &r : received(e, action))
        ids.append(r.value(QLatin1String("id")).toString());
    ids.sort();
    return ids;
}

} // namespace

class TestChangesFeed : public QObject
{
    Q_OBJECT

private:
    ServiceProcess m_couch;
    std::unique_ptr<EngineProcess> m_engine;

    EngineProcess &engine() { return *m_engine; }

    int couch(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        return ServiceProcess::httpRequest(
            method,
            m_couch.baseUrl() + path,
            body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    bool putDoc(const QString &db, const QString &id, QJsonObject doc = {})
    {
        doc.insert(QStringLiteral("n"), id);
        const int status = couch("PUT", u'/' + db + u'/' + id, doc);
        if (status != 201)
            qWarning("PUT doc %s/%s: %d", qPrintable(db), qPrintable(id), status);
        return status == 201;
    }
    // Instead of sleeping to see that nothing more comes: writes the sentinel document `id`
    // and waits until `action` got it and every fire of `trigger` so far reached the action.
    // Changes come in sequence order, so whatever the provider read before the sentinel (a
    // duplicate included) was fired before it.
    bool drained(EngineProcess &e,
                 const QString &db,
                 const QString &trigger,
                 const QString &action,
                 const QString &id,
                 const QJsonObject &doc = {})
    {
        return putDoc(db, id, doc) && waitFor([&] {
                   const QStringList ids = receivedIds(e, action);
                   return ids.contains(id) && activationsOf(e, trigger).size() == ids.size();
               });
    }
    bool createDb(const QString &db)
    {
        const int status = couch("PUT", u'/' + db);
        if (status != 201)
            qWarning("PUT db %s: %d", qPrintable(db), status);
        return status == 201;
    }
    QJsonObject feedParams(const QString &db) const
    {
        return QJsonObject{{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                           {QStringLiteral("port"), int(m_couch.port())},
                           {QStringLiteral("dbname"), db}};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(pouchDbServer)) {
            QFAIL(qPrintable(QStringLiteral("pouchdb-server is not installed at %1: run ./test.sh "
                                            "(npm ci in tests/e2e) first")
                                 .arg(pouchDbServer)));
        }
        QVERIFY2(m_couch.startPouchDb(pouchDbServer), qPrintable(m_couch.errorString()));
        m_engine = std::make_unique<EngineProcess>();
        QVERIFY2(m_engine->start(), qPrintable(m_engine->errorString()));
    }

    void cleanupTestCase()
    {
        m_engine.reset();
        m_couch.stop();
    }

    void everyChangeFiresWithItsChangeObject()
    {
        QVERIFY(createDb(QStringLiteral("orders")));
        QVERIFY(putDoc(QStringLiteral("orders"), QStringLiteral("before"))); // not delivered
        QVERIFY(setUpChangesTrigger(engine(), QStringLiteral("tch"), QStringLiteral("echo_ch")));
        const FeedCall create = invokeFeed(engine(),
                                           QStringLiteral("CREATE"),
                                           QStringLiteral("tch"),
                                           feedParams(QStringLiteral("orders")));
        QVERIFY2(create.success(), qPrintable(create.describe()));
        QCOMPARE(create.result(),
                 (QJsonObject{{QStringLiteral("status"), QStringLiteral("success")}}));

        for (const char *id : {"d1", "d2", "d3"})
            QVERIFY(putDoc(QStringLiteral("orders"), QLatin1String(id)));
        QVERIFY2(waitFor([&] { return received(engine(), QStringLiteral("echo_ch")).size() >= 3; }),
                 qPrintable(receivedIds(engine(), QStringLiteral("echo_ch")).join(u',')));
        QVERIFY(drained(engine(),
                        QStringLiteral("orders"),
                        QStringLiteral("tch"),
                        QStringLiteral("echo_ch"),
                        QStringLiteral("zz")));
        const QList<QJsonObject> params = received(engine(), QStringLiteral("echo_ch"));
        QCOMPARE(params.size(), 4);
        QSet<QString> ids;
        for (const QJsonObject &p : params) {
            ids.insert(p.value(QLatin1String("id")).toString());
            QCOMPARE(p.value(QLatin1String("dbname")).toString(), QStringLiteral("orders"));
            QVERIFY2(!p.value(QLatin1String("seq")).isUndefined()
                         && !p.value(QLatin1String("seq")).isNull(),
                     QJsonDocument(p).toJson().constData());
            const QJsonArray changes = p.value(QLatin1String("changes")).toArray();
            QCOMPARE(changes.size(), 1);
            QVERIFY(changes.first()
                        .toObject()
                        .value(QLatin1String("rev"))
                        .toString()
                        .startsWith(u"1-"));
        }
        QCOMPARE(ids,
                 (QSet<QString>{QStringLiteral("d1"),
                                QStringLiteral("d2"),
                                QStringLiteral("d3"),
                                QStringLiteral("zz")}));
        QCOMPARE(receivedIds(engine(), QStringLiteral("echo_ch")),
                 (QStringList{QStringLiteral("d1"),
                              QStringLiteral("d2"),
                              QStringLiteral("d3"),
                              QStringLiteral("zz")}));

        const FeedCall read = invokeFeed(engine(), QStringLiteral("READ"), QStringLiteral("tch"));
        QVERIFY2(read.success(), qPrintable(read.describe()));
        const QJsonObject config = read.result().value(QLatin1String("config")).toObject();
        QCOMPARE(config.value(QLatin1String("dbname")).toString(), QStringLiteral("orders"));
        QCOMPARE(config.value(QLatin1String("name")).toString(), QStringLiteral("tch"));
        QCOMPARE(
            read.result().value(QLatin1String("status")).toObject().value(QLatin1String("active")),
            QJsonValue(true));
    }

    void unreachableDatabaseIsRefused()
    {
        QVERIFY(setUpChangesTrigger(
            engine(), QStringLiteral("tunreach"), QStringLiteral("echo_unreach")));
        QJsonObject params = feedParams(QStringLiteral("orders"));
        params.insert(QStringLiteral("port"), int(ServiceProcess::freePort())); // nobody listens
        const FeedCall down
            = invokeFeed(engine(), QStringLiteral("CREATE"), QStringLiteral("tunreach"), params);
        QVERIFY2(!down.success(), qPrintable(down.describe()));
        QVERIFY2(down.error().contains(QLatin1String("not reachable")),
                 qPrintable(down.describe()));

        const FeedCall missing = invokeFeed(engine(),
                                            QStringLiteral("CREATE"),
                                            QStringLiteral("tunreach"),
                                            feedParams(QStringLiteral("no_such_db")));
        QVERIFY2(!missing.success(), qPrintable(missing.describe()));
        QVERIFY2(missing.error().contains(QLatin1String("not reachable")),
                 qPrintable(missing.describe()));

        QVERIFY(
            !invokeFeed(engine(), QStringLiteral("READ"), QStringLiteral("tunreach")).success());
    }

    void changesMadeWhileTheEngineIsDownAreDeliveredAfterRestart()
    {
        EngineProcess e;
        QVERIFY2(e.start(), qPrintable(e.errorString()));
        QVERIFY(createDb(QStringLiteral("restartdb")));
        QVERIFY(setUpChangesTrigger(e, QStringLiteral("trst"), QStringLiteral("echo_rst")));
        QVERIFY(invokeFeed(e,
                           QStringLiteral("CREATE"),
                           QStringLiteral("trst"),
                           feedParams(QStringLiteral("restartdb")))
                    .success());
        QVERIFY(putDoc(QStringLiteral("restartdb"), QStringLiteral("a1")));
        QVERIFY(putDoc(QStringLiteral("restartdb"), QStringLiteral("a2")));
        QVERIFY(waitFor([&] { return received(e, QStringLiteral("echo_rst")).size() >= 2; }));

        e.stop();
        QVERIFY(putDoc(QStringLiteral("restartdb"), QStringLiteral("b1")));
        QVERIFY(putDoc(QStringLiteral("restartdb"), QStringLiteral("b2")));
        QVERIFY2(e.start(), qPrintable(e.errorString()));

        QVERIFY2(waitFor([&] { return received(e, QStringLiteral("echo_rst")).size() >= 4; }),
                 qPrintable(receivedIds(e, QStringLiteral("echo_rst")).join(u',')));
        QVERIFY(drained(e,
                        QStringLiteral("restartdb"),
                        QStringLiteral("trst"),
                        QStringLiteral("echo_rst"),
                        QStringLiteral("b9")));
        QCOMPARE(receivedIds(e, QStringLiteral("echo_rst")),
                 (QStringList{QStringLiteral("a1"),
                              QStringLiteral("a2"),
                              QStringLiteral("b1"),
                              QStringLiteral("b2"),
                              QStringLiteral("b9")}));
        // And it keeps following.
        QVERIFY(putDoc(QStringLiteral("restartdb"), QStringLiteral("c1")));
        QVERIFY(waitFor([&] { return received(e, QStringLiteral("echo_rst")).size() >= 6; }));
        QVERIFY(drained(e,
                        QStringLiteral("restartdb"),
                        QStringLiteral("trst"),
                        QStringLiteral("echo_rst"),
                        QStringLiteral("c9")));
        QCOMPARE(receivedIds(e, QStringLiteral("echo_rst")),
                 (QStringList{QStringLiteral("a1"),
                              QStringLiteral("a2"),
                              QStringLiteral("b1"),
                              QStringLiteral("b2"),
                              QStringLiteral("b9"),
                              QStringLiteral("c1"),
                              QStringLiteral("c9")}));
    }

    // Documented behaviour: a paused feed keeps its position (the last fired seq), so the
    // changes made during the pause are delivered after UNPAUSE, in order; nothing fires while
    // it is paused.
    void changesDuringAPauseAreDeliveredAfterUnpause()
    {
        QVERIFY(createDb(QStringLiteral("pausedb")));
        QVERIFY(
            setUpChangesTrigger(engine(), QStringLiteral("tpause"), QStringLiteral("echo_pause")));
        QVERIFY(invokeFeed(engine(),
                           QStringLiteral("CREATE"),
                           QStringLiteral("tpause"),
                           feedParams(QStringLiteral("pausedb")))
                    .success());
        QVERIFY(putDoc(QStringLiteral("pausedb"), QStringLiteral("p1")));
        QVERIFY(
            waitFor([&] { return received(engine(), QStringLiteral("echo_pause")).size() >= 1; }));

        const FeedCall pause
            = invokeFeed(engine(), QStringLiteral("PAUSE"), QStringLiteral("tpause"));
        QVERIFY2(pause.success(), qPrintable(pause.describe()));
        const QJsonObject status
            = invokeFeed(engine(), QStringLiteral("READ"), QStringLiteral("tpause"))
                  .result()
                  .value(QLatin1String("status"))
                  .toObject();
        QCOMPARE(status.value(QLatin1String("active")), QJsonValue(false));
        QCOMPARE(status.value(QLatin1String("reason"))
                     .toObject()
                     .value(QLatin1String("kind"))
                     .toString(),
                 QStringLiteral("USER"));
        QVERIFY(putDoc(QStringLiteral("pausedb"), QStringLiteral("p2")));
        QTest::qWait(2500);
        QCOMPARE(receivedIds(engine(), QStringLiteral("echo_pause")),
                 QStringList{QStringLiteral("p1")});

        const FeedCall unpause
            = invokeFeed(engine(), QStringLiteral("UNPAUSE"), QStringLiteral("tpause"));
        QVERIFY2(unpause.success(), qPrintable(unpause.describe()));
        QVERIFY(
            waitFor([&] { return received(engine(), QStringLiteral("echo_pause")).size() >= 2; }));
        QVERIFY(putDoc(QStringLiteral("pausedb"), QStringLiteral("p3")));
        QVERIFY(
            waitFor([&] { return received(engine(), QStringLiteral("echo_pause")).size() >= 3; }));
        QVERIFY(drained(engine(),
                        QStringLiteral("pausedb"),
                        QStringLiteral("tpause"),
                        QStringLiteral("echo_pause"),
                        QStringLiteral("p9")));
        QCOMPARE(receivedIds(engine(), QStringLiteral("echo_pause")),
                 (QStringList{QStringLiteral("p1"),
                              QStringLiteral("p2"),
                              QStringLiteral("p3"),
                              QStringLiteral("p9")}));
    }

    void deleteStopsTheFeed()
    {
        QVERIFY(createDb(QStringLiteral("deldb")));
        QVERIFY(setUpChangesTrigger(engine(), QStringLiteral("tdel"), QStringLiteral("echo_del")));
        QVERIFY(invokeFeed(engine(),
                           QStringLiteral("CREATE"),
                           QStringLiteral("tdel"),
                           feedParams(QStringLiteral("deldb")))
                    .success());
        QVERIFY(putDoc(QStringLiteral("deldb"), QStringLiteral("x1")));
        QVERIFY(
            waitFor([&] { return received(engine(), QStringLiteral("echo_del")).size() >= 1; }));
        const FeedCall del = invokeFeed(engine(), QStringLiteral("DELETE"), QStringLiteral("tdel"));
        QVERIFY2(del.success(), qPrintable(del.describe()));
        QVERIFY(!invokeFeed(engine(), QStringLiteral("READ"), QStringLiteral("tdel")).success());
        QVERIFY(putDoc(QStringLiteral("deldb"), QStringLiteral("x2")));
        QTest::qWait(2500);
        QCOMPARE(receivedIds(engine(), QStringLiteral("echo_del")),
                 QStringList{QStringLiteral("x1")});
    }

    void updateSetsAFilter()
    {
        QVERIFY(createDb(QStringLiteral("filterdb")));
        QCOMPARE(
            couch("PUT",
                  QStringLiteral("/filterdb/_design/app"),
                  {{QStringLiteral("filters"),
                    QJsonObject{{QStringLiteral("important"),
                                 QStringLiteral(
                                     "function (doc, req) { return doc.important === true; }")}}}}),
            201);
        QVERIFY(setUpChangesTrigger(
            engine(), QStringLiteral("tfilter"), QStringLiteral("echo_filter")));
        QVERIFY(invokeFeed(engine(),
                           QStringLiteral("CREATE"),
                           QStringLiteral("tfilter"),
                           feedParams(QStringLiteral("filterdb")))
                    .success());
        QVERIFY(putDoc(QStringLiteral("filterdb"), QStringLiteral("f1")));
        QVERIFY(
            waitFor([&] { return received(engine(), QStringLiteral("echo_filter")).size() >= 1; }));

        const FeedCall none = invokeFeed(engine(),
                                         QStringLiteral("UPDATE"),
                                         QStringLiteral("tfilter"),
                                         {{QStringLiteral("dbname"), QStringLiteral("other")}});
        QVERIFY2(!none.success(), qPrintable(none.describe()));
        QCOMPARE(none.error(), QStringLiteral("no updatable parameters were specified"));

        const FeedCall update
            = invokeFeed(engine(),
                         QStringLiteral("UPDATE"),
                         QStringLiteral("tfilter"),
                         {{QStringLiteral("filter"), QStringLiteral("app/important")}});
        QVERIFY2(update.success(), qPrintable(update.describe()));
        QCOMPARE(invokeFeed(engine(), QStringLiteral("READ"), QStringLiteral("tfilter"))
                     .result()
                     .value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("filter"))
                     .toString(),
                 QStringLiteral("app/important"));
        QVERIFY(putDoc(QStringLiteral("filterdb"),
                       QStringLiteral("plain"),
                       {{QStringLiteral("important"), false}}));
        QVERIFY(putDoc(QStringLiteral("filterdb"),
                       QStringLiteral("vip"),
                       {{QStringLiteral("important"), true}}));
        QVERIFY(
            waitFor([&] { return received(engine(), QStringLiteral("echo_filter")).size() >= 2; }));
        QVERIFY(drained(engine(),
                        QStringLiteral("filterdb"),
                        QStringLiteral("tfilter"),
                        QStringLiteral("echo_filter"),
                        QStringLiteral("vip9"),
                        {{QStringLiteral("important"), true}}));
        QCOMPARE(
            receivedIds(engine(), QStringLiteral("echo_filter")),
            (QStringList{QStringLiteral("f1"), QStringLiteral("vip"), QStringLiteral("vip9")}));
    }
};

QTEST_GUILESS_MAIN(TestChangesFeed)
#include "tst_changesfeed.moc"
