// SPDX-License-Identifier: GPL-3.0-or-later
// Activation routes: list (summaries, docs, count, name/since/upto filters, paging), single
// records with /logs and /result, id validation, namespace isolation and retention
// (PROTOCOL.md 1.10, 2.1, 2.4; ow-facts 1c, 1d, 2).
#include "enginefixture.h"

#include <QDeadlineTimer>
#include <QSet>
#include <QTest>

using namespace Feedscope::Testing;

namespace {

QString path(const QString &tail)
{
    return QStringLiteral("/api/v1/namespaces/_/") + tail;
}

QSet<QString> keysOf(const QJsonObject &o)
{
    const QStringList keys = o.keys();
    return QSet<QString>(keys.begin(), keys.end());
}

QStringList idsOf(const QJsonArray &items)
{
    QStringList ids;
    for (const QJsonValue &v : items)
        ids.append(v.toObject().value(QLatin1String("activationId")).toString());
    return ids;
}

QSet<QString> idSet(const QStringList &ids)
{
    return QSet<QString>(ids.begin(), ids.end());
}

QJsonValue annotation(const QJsonObject &record, const QString &key)
{
    for (const QJsonValue &v : record.value(QLatin1String("annotations")).toArray()) {
        if (v.toObject().value(QLatin1String("key")).toString() == key)
            return v.toObject().value(QLatin1String("value"));
    }
    return QJsonValue::Undefined;
}

// Activations are stored when the run completes, after the reply that names them; poll. The
// deadline only bounds a hang, nothing is timed.
HttpResult
waitForActivation(EngineProcess &engine, const QString &id, const QByteArray &auth = guestKey)
{
    QDeadlineTimer deadline(60000);
    HttpResult r;
    do {
        r = engine.get(path(QStringLiteral("activations/") + id), auth);
        if (r.status != 404)
            return r;
        QTest::qWait(20);
    } while (!deadline.hasExpired());
    return r;
}

QString invoke(EngineProcess &engine, const QString &action, const QByteArray &auth = guestKey)
{
    const HttpResult r
        = engine.post(path(QStringLiteral("actions/") + action), {{QStringLiteral("n"), 1}}, auth);
    if (r.status != 202)
        return {};
    const QString id = r.object().value(QLatin1String("activationId")).toString();
    return waitForActivation(engine, id, auth).status == 200 ? id : QString();
}

QString actCode()
{
    return QStringLiteral("function main(p) { console.log('n=' + p.n); return p; }");
}

} // namespace

class TestActivationsApi : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    QStringList m_plainIds;   // default-package action "act", oldest first (one fired by a rule)
    QStringList m_packageIds; // "apkg/act"
    QString m_bindingId;      // "act" invoked through the binding "abind" of apkg
    QString m_triggerId;      // trigger activation of "atrig"
    QString m_lastId;         // the newest activation of the namespace

    QJsonArray list(const QString &query)
    {
        const HttpResult r = m_engine.get(path(QStringLiteral("activations") + query));
        if (r.status != 200)
            qWarning("list %s: %d %s", qPrintable(query), r.status, r.body.constData());
        return r.array();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        // "act" echoes its parameters and logs one line.
        QCOMPARE(m_engine.put(path(QStringLiteral("actions/act")), nodeAction(actCode())).status,
                 200);
        QCOMPARE(m_engine.put(path(QStringLiteral("packages/apkg")), {}).status, 200);
        QCOMPARE(m_engine.put(path(QStringLiteral("actions/apkg/act")), nodeAction()).status, 200);
        const QJsonObject binding{
            {QStringLiteral("binding"),
             QJsonObject{{QStringLiteral("namespace"), QStringLiteral("guest")},
                         {QStringLiteral("name"), QStringLiteral("apkg")}}}};
        QCOMPARE(m_engine.put(path(QStringLiteral("packages/abind")), binding).status, 200);
        QCOMPARE(m_engine.put(path(QStringLiteral("triggers/atrig")), {}).status, 200);
        QCOMPARE(m_engine
                     .put(path(QStringLiteral("rules/arule")),
                          {{QStringLiteral("trigger"), QStringLiteral("atrig")},
                           {QStringLiteral("action"), QStringLiteral("act")}})
                     .status,
                 200);

        // Fire first, so the newest activation is a plain invoke with an unambiguous position.
        const HttpResult fire = m_engine.post(path(QStringLiteral("triggers/atrig")),
                                              {{QStringLiteral("fired"), true}});
        QCOMPARE(fire.status, 202);
        m_triggerId = fire.object().value(QLatin1String("activationId")).toString();
        const HttpResult trigger = waitForActivation(m_engine, m_triggerId);
        QCOMPARE(trigger.status, 200);
        const QJsonArray logs = trigger.object().value(QLatin1String("logs")).toArray();
        QCOMPARE(logs.size(), 1);
        const QString fired = QJsonDocument::fromJson(logs.at(0).toString().toUtf8())
                                  .object()
                                  .value(QLatin1String("activationId"))
                                  .toString();
        const HttpResult firedRecord = waitForActivation(m_engine, fired);
        QCOMPARE(firedRecord.status, 200);
        // The rule's action really ran with the fire payload (+ __ow_headers).
        QJsonObject received = firedRecord.object()
                                   .value(QLatin1String("response"))
                                   .toObject()
                                   .value(QLatin1String("result"))
                                   .toObject();
        QVERIFY(received.take(QLatin1String("__ow_headers")).isObject());
        QCOMPARE(received, (QJsonObject{{QStringLiteral("fired"), true}}));
        m_plainIds.append(fired);

        for (int i = 0; i < 2; ++i) {
            const QString id = invoke(m_engine, QStringLiteral("apkg/act"));
            QVERIFY(!id.isEmpty());
            m_packageIds.append(id);
        }
        m_bindingId = invoke(m_engine, QStringLiteral("abind/act"));
        QVERIFY(!m_bindingId.isEmpty());
        for (int i = 0; i < 3; ++i) {
            const QString id = invoke(m_engine, QStringLiteral("act"));
            QVERIFY(!id.isEmpty());
            m_plainIds.append(id);
        }
        m_lastId = m_plainIds.last();
    }

    void listIsNewestFirstWithSummaries()
    {
        const QJsonArray items = list(QStringLiteral("?limit=200"));
        QCOMPARE(items.size(), 8);
        QCOMPARE(items.at(0).toObject().value(QLatin1String("activationId")).toString(), m_lastId);
        QCOMPARE(idSet(idsOf(items)),
                 idSet(m_plainIds + m_packageIds + QStringList{m_triggerId, m_bindingId}));
        // The invokes were made one after the other: their order is known.
        const QStringList ids = idsOf(items);
        QVERIFY(ids.indexOf(m_plainIds.at(3)) < ids.indexOf(m_plainIds.at(2)));
        QVERIFY(ids.indexOf(m_plainIds.at(2)) < ids.indexOf(m_plainIds.at(1)));
        QVERIFY(ids.indexOf(m_plainIds.at(1)) < ids.indexOf(m_bindingId));
        QVERIFY(ids.indexOf(m_bindingId) < ids.indexOf(m_packageIds.at(1)));
        QVERIFY(ids.indexOf(m_packageIds.at(1)) < ids.indexOf(m_packageIds.at(0)));
        QVERIFY(ids.indexOf(m_packageIds.at(0)) < ids.indexOf(m_triggerId));

        qint64 previousStart = std::numeric_limits<qint64>::max();
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            const qint64 start = o.value(QLatin1String("start")).toInteger();
            QVERIFY(start > 0);
            QVERIFY(start <= previousStart);
            previousStart = start;
            QVERIFY(!o.contains(QLatin1String("response")));
            QVERIFY(!o.contains(QLatin1String("logs")));
            QVERIFY(!o.contains(QLatin1String("subject")));
            QCOMPARE(o.value(QLatin1String("namespace")).toString(), QStringLiteral("guest"));
            QCOMPARE(o.value(QLatin1String("publish")), QJsonValue(false));
            const QString id = o.value(QLatin1String("activationId")).toString();
            if (id == m_triggerId) {
                QCOMPARE(keysOf(o),
                         (QSet<QString>{QStringLiteral("namespace"),
                                        QStringLiteral("name"),
                                        QStringLiteral("version"),
                                        QStringLiteral("publish"),
                                        QStringLiteral("annotations"),
                                        QStringLiteral("activationId"),
                                        QStringLiteral("start")}));
                QCOMPARE(o.value(QLatin1String("name")).toString(), QStringLiteral("atrig"));
            } else {
                QCOMPARE(o.value(QLatin1String("name")).toString(), QStringLiteral("act"));
                QVERIFY(o.value(QLatin1String("statusCode")).isDouble());
                QCOMPARE(o.value(QLatin1String("statusCode")).toInt(), 0); // success
                QVERIFY(o.value(QLatin1String("end")).toInteger() >= start);
                QCOMPARE(o.value(QLatin1String("duration")).toInteger(),
                         o.value(QLatin1String("end")).toInteger() - start);
            }
        }
    }

    void docsGivesFullRecords()
    {
        const QJsonArray items = list(QStringLiteral("?docs=true&limit=200"));
        QCOMPARE(items.size(), 8);
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            QVERIFY(o.value(QLatin1String("response")).isObject());
            QVERIFY(o.value(QLatin1String("logs")).isArray());
            QCOMPARE(o.value(QLatin1String("subject")).toString(), QStringLiteral("guest"));
            QVERIFY(!o.value(QLatin1String("response"))
                         .toObject()
                         .contains(QLatin1String("statusCode")));
            const HttpResult single
                = m_engine.get(path(QStringLiteral("activations/")
                                    + o.value(QLatin1String("activationId")).toString()));
            QCOMPARE(single.status, 200);
            QCOMPARE(single.object(), o);
        }
    }

    void countGivesTheNumber()
    {
        const HttpResult r = m_engine.get(path(QStringLiteral("activations?count=true")));
        QCOMPARE(r.status, 200);
        const QJsonObject expected{{QStringLiteral("activations"), 8}};
        QCOMPARE(r.object(), expected);
        const QJsonObject named
            = m_engine.get(path(QStringLiteral("activations?count=true&name=act"))).object();
        QCOMPARE(named.value(QLatin1String("activations")).toInt(), int(m_plainIds.size()));
    }

    void docsWithCountIsRejected()
    {
        const HttpResult r = m_engine.get(path(QStringLiteral("activations?docs=true&count=true")));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("The parameter 'docs' is not permitted with 'count'."));
    }

    void nameFilter_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("which");
        QTest::newRow("simple name") << QStringLiteral("act") << QStringLiteral("plain");
        QTest::newRow("package/name") << QStringLiteral("apkg/act") << QStringLiteral("package");
        QTest::newRow("binding/name") << QStringLiteral("abind/act") << QStringLiteral("binding");
        QTest::newRow("trigger") << QStringLiteral("atrig") << QStringLiteral("trigger");
        QTest::newRow("unknown") << QStringLiteral("nothing") << QStringLiteral("none");
        QTest::newRow("other package") << QStringLiteral("nopkg/act") << QStringLiteral("none");
    }

    void nameFilter()
    {
        QFETCH(QString, name);
        QFETCH(QString, which);
        QStringList expected;
        if (which == u"plain")
            expected = m_plainIds;
        else if (which == u"package")
            expected = m_packageIds;
        else if (which == u"binding")
            expected = {m_bindingId};
        else if (which == u"trigger")
            expected = {m_triggerId};
        const QJsonArray items = list(QStringLiteral("?limit=200&name=") + name);
        QCOMPARE(idSet(idsOf(items)), idSet(expected));
        QCOMPARE(items.size(), expected.size());
        const QJsonArray docs = list(QStringLiteral("?limit=200&docs=true&name=") + name);
        QCOMPARE(idSet(idsOf(docs)), idSet(expected));
    }

    void nameFilterRejectsThreeSegments()
    {
        const HttpResult r = m_engine.get(path(QStringLiteral("activations?name=a/b/c")));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().contains(QLatin1String("Parameter may be a 'simple' name or "
                                                  "'package-name/simple' name: a/b/c")),
                 qPrintable(r.error()));
    }

    void sinceAndUptoAreInclusiveOnStart()
    {
        const QJsonObject pivot
            = m_engine.get(path(QStringLiteral("activations/") + m_packageIds.at(1))).object();
        const qint64 start = pivot.value(QLatin1String("start")).toInteger();
        QVERIFY(start > 0);
        const QJsonArray all = list(QStringLiteral("?limit=200"));

        const QJsonArray since = list(QStringLiteral("?limit=200&since=%1").arg(start));
        QVERIFY(idsOf(since).contains(m_packageIds.at(1)));
        int expectedSince = 0;
        for (const QJsonValue &v : all)
            expectedSince += v.toObject().value(QLatin1String("start")).toInteger() >= start;
        QCOMPARE(since.size(), expectedSince);
        for (const QJsonValue &v : since)
            QVERIFY(v.toObject().value(QLatin1String("start")).toInteger() >= start);

        const QJsonArray upto = list(QStringLiteral("?limit=200&upto=%1").arg(start));
        QVERIFY(idsOf(upto).contains(m_packageIds.at(1)));
        QVERIFY(idsOf(upto).contains(m_triggerId));
        int expectedUpto = 0;
        for (const QJsonValue &v : all)
            expectedUpto += v.toObject().value(QLatin1String("start")).toInteger() <= start;
        QCOMPARE(upto.size(), expectedUpto);

        const QJsonArray exact = list(QStringLiteral("?limit=200&since=%1&upto=%1").arg(start));
        QVERIFY(idsOf(exact).contains(m_packageIds.at(1)));
        for (const QJsonValue &v : exact)
            QCOMPARE(v.toObject().value(QLatin1String("start")).toInteger(), start);

        const QJsonArray after = list(QStringLiteral("?limit=200&since=%1").arg(start + 1));
        QVERIFY(!idsOf(after).contains(m_packageIds.at(1)));
        const QJsonArray before = list(QStringLiteral("?limit=200&upto=%1").arg(start - 1));
        QVERIFY(!idsOf(before).contains(m_packageIds.at(1)));

        const QJsonObject counted
            = m_engine.get(path(QStringLiteral("activations?count=true&since=%1").arg(start)))
                  .object();
        QCOMPARE(counted.value(QLatin1String("activations")).toInt(), expectedSince);
    }

    void limitAndSkipPage()
    {
        const QStringList all = idsOf(list(QStringLiteral("?limit=200")));
        QCOMPARE(all.size(), 8);
        QCOMPARE(idsOf(list(QStringLiteral("?limit=2"))), all.mid(0, 2));
        QCOMPARE(idsOf(list(QStringLiteral("?limit=2&skip=2"))), all.mid(2, 2));
        QCOMPARE(idsOf(list(QStringLiteral("?limit=5&skip=5"))), all.mid(5));
        QCOMPARE(idsOf(list(QStringLiteral("?skip=8"))), QStringList());
        QCOMPARE(idsOf(list(QStringLiteral("?limit=0"))), all); // 0 means the maximum
    }

    void recordLogsAndResult()
    {
        const HttpResult r = m_engine.get(path(QStringLiteral("activations/") + m_lastId));
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.object();
        QCOMPARE(o.value(QLatin1String("namespace")).toString(), QStringLiteral("guest"));
        QCOMPARE(o.value(QLatin1String("name")).toString(), QStringLiteral("act"));
        QCOMPARE(o.value(QLatin1String("subject")).toString(), QStringLiteral("guest"));
        QCOMPARE(o.value(QLatin1String("activationId")).toString(), m_lastId);
        QCOMPARE(o.value(QLatin1String("version")).toString(), QStringLiteral("0.0.1"));
        QCOMPARE(o.value(QLatin1String("publish")), QJsonValue(false));
        const qint64 start = o.value(QLatin1String("start")).toInteger();
        const qint64 end = o.value(QLatin1String("end")).toInteger();
        QVERIFY(start > 0);
        QVERIFY(end >= start);
        QCOMPARE(o.value(QLatin1String("duration")).toInteger(), end - start);
        QVERIFY(!o.contains(QLatin1String("cause")));
        QCOMPARE(annotation(o, QStringLiteral("path")), QJsonValue(QStringLiteral("guest/act")));
        QCOMPARE(annotation(o, QStringLiteral("kind")), QJsonValue(QStringLiteral("nodejs:20")));
        QVERIFY(annotation(o, QStringLiteral("timeout")).isBool());
        QVERIFY(annotation(o, QStringLiteral("limits")).isObject());
        QVERIFY(annotation(o, QStringLiteral("waitTime")).isDouble());
        QCOMPARE(annotation(o, QStringLiteral("timeout")), QJsonValue(false));
        // "act" ran warm by now (it was invoked before): no initTime.
        QVERIFY(annotation(o, QStringLiteral("initTime")).isUndefined());
        const QJsonObject response = o.value(QLatin1String("response")).toObject();
        QCOMPARE(response.value(QLatin1String("status")).toString(), QStringLiteral("success"));
        QCOMPARE(response.value(QLatin1String("success")), QJsonValue(true));
        QVERIFY(!response.contains(QLatin1String("statusCode")));
        QCOMPARE(response.value(QLatin1String("result")),
                 QJsonValue(QJsonObject{{QStringLiteral("n"), 1}}));
        const QJsonArray lines = o.value(QLatin1String("logs")).toArray();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.at(0).toString().endsWith(QLatin1String(" stdout: n=1")),
                 qPrintable(lines.at(0).toString()));

        const HttpResult logs
            = m_engine.get(path(QStringLiteral("activations/%1/logs").arg(m_lastId)));
        QCOMPARE(logs.status, 200);
        const QJsonObject expectedLogs{{QStringLiteral("logs"), o.value(QLatin1String("logs"))}};
        QCOMPARE(logs.object(), expectedLogs);

        const HttpResult result
            = m_engine.get(path(QStringLiteral("activations/%1/result").arg(m_lastId)));
        QCOMPARE(result.status, 200);
        QCOMPARE(result.object(), response);
        QVERIFY(result.object().contains(QLatin1String("result")));
        QVERIFY(result.object().contains(QLatin1String("success")));
        QVERIFY(result.object().contains(QLatin1String("status")));
    }

    void packagedRecordNamesItsPath()
    {
        const QJsonObject o
            = m_engine.get(path(QStringLiteral("activations/") + m_packageIds.at(0))).object();
        QCOMPARE(o.value(QLatin1String("name")).toString(), QStringLiteral("act"));
        QCOMPARE(annotation(o, QStringLiteral("path")),
                 QJsonValue(QStringLiteral("guest/apkg/act")));
        QVERIFY(annotation(o, QStringLiteral("binding")).isUndefined());

        const QJsonObject viaBinding
            = m_engine.get(path(QStringLiteral("activations/") + m_bindingId)).object();
        QCOMPARE(viaBinding.value(QLatin1String("name")).toString(), QStringLiteral("act"));
        QCOMPARE(annotation(viaBinding, QStringLiteral("path")),
                 QJsonValue(QStringLiteral("guest/apkg/act")));
        QCOMPARE(annotation(viaBinding, QStringLiteral("binding")),
                 QJsonValue(QStringLiteral("guest/abind")));
    }

    void badIdsAreRejected_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        const QString shortId = QStringLiteral("abcde");
        const QString nonHex = QString(32, u'z');
        const QString unknown = QStringLiteral("0123456789abcdef0123456789abcdef");
        const QString lengthError = QStringLiteral("Activation id length is 5 but must be 32.");
        const QString invalid = QStringLiteral("The activation id is not valid.");
        const QString notFound = QStringLiteral("The requested resource does not exist.");
        for (const QString &suffix :
             {QString(), QStringLiteral("/logs"), QStringLiteral("/result")}) {
            const QByteArray tag = suffix.isEmpty() ? QByteArray("record") : suffix.toLatin1();
            QTest::newRow(QByteArray("short " + tag).constData())
                << shortId << suffix << 400 << lengthError;
            QTest::newRow(QByteArray("non-hex " + tag).constData())
                << nonHex << suffix << 400 << invalid;
            QTest::newRow(QByteArray("unknown " + tag).constData())
                << unknown << suffix << 404 << notFound;
        }
    }

    void badIdsAreRejected()
    {
        QFETCH(QString, id);
        QFETCH(QString, suffix);
        QFETCH(int, status);
        QFETCH(QString, error);
        const HttpResult r = m_engine.get(path(QStringLiteral("activations/") + id + suffix));
        QCOMPARE(r.status, status);
        QCOMPARE(r.error(), error);
    }

    void otherNamespacesActivationIsHidden()
    {
        QCOMPARE(
            m_engine.put(path(QStringLiteral("actions/sysact")), nodeAction(), systemKey).status,
            200);
        const QString id = invoke(m_engine, QStringLiteral("sysact"), systemKey);
        QVERIFY(!id.isEmpty());
        const HttpResult own = m_engine.get(path(QStringLiteral("activations/") + id), systemKey);
        QCOMPARE(own.status, 200);
        QCOMPARE(own.object().value(QLatin1String("namespace")).toString(),
                 QStringLiteral("whisk.system"));

        for (const QString &suffix :
             {QString(), QStringLiteral("/logs"), QStringLiteral("/result")}) {
            const HttpResult r = m_engine.get(path(QStringLiteral("activations/") + id + suffix));
            QVERIFY2(r.status == 404 || r.status == 403,
                     qPrintable(QStringLiteral("%1%2: %3").arg(id, suffix).arg(r.status)));
            const HttpResult direct = m_engine.get(
                QStringLiteral("/api/v1/namespaces/whisk.system/activations/") + id + suffix);
            QCOMPARE(direct.status, 403);
        }
        QVERIFY(!idsOf(list(QStringLiteral("?limit=200"))).contains(id));
    }

    void otherNamespacesListIsForbidden()
    {
        const HttpResult r
            = m_engine.get(QStringLiteral("/api/v1/namespaces/whisk.system/activations"));
        QCOMPARE(r.status, 403);
        QVERIFY(
            r.error().startsWith(QLatin1String("The supplied authentication is not authorized")));
        QCOMPARE(
            m_engine.get(QStringLiteral("/api/v1/namespaces/whisk.system/activations"), systemKey)
                .status,
            200);
    }

    void retentionKeepsTheNewest()
    {
        EngineProcess engine;
        QVERIFY2(engine.start({QStringLiteral("--max-activations"), QStringLiteral("10")}),
                 qPrintable(engine.errorString()));
        QCOMPARE(engine.put(path(QStringLiteral("actions/many")), nodeAction()).status, 200);
        QStringList ids;
        for (int i = 0; i < 50; ++i) {
            const QString id = invoke(engine, QStringLiteral("many"));
            QVERIFY(!id.isEmpty());
            ids.append(id);
        }
        const HttpResult c = engine.get(path(QStringLiteral("activations?count=true")));
        QCOMPARE(c.status, 200);
        const int count = c.object().value(QLatin1String("activations")).toInt();
        // The retention cap plus the small slack of stepwise pruning, far below 50.
        QVERIFY2(count >= 1 && count <= 12, qPrintable(QString::number(count)));
        const QStringList listed
            = idsOf(engine.get(path(QStringLiteral("activations?limit=200"))).array());
        QCOMPARE(listed.size(), count);
        QCOMPARE(listed.first(), ids.last());
        // What is kept is the newest run of ids, in order.
        QStringList newest = ids.mid(ids.size() - count);
        std::reverse(newest.begin(), newest.end());
        QCOMPARE(listed, newest);
        QCOMPARE(engine.get(path(QStringLiteral("activations/") + ids.last())).status, 200);
        QCOMPARE(engine.get(path(QStringLiteral("activations/") + ids.first())).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestActivationsApi)
#include "tst_activationsapi.moc"
