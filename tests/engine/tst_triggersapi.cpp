// SPDX-License-Identifier: GPL-3.0-or-later
// Trigger routes: CRUD, feed annotation validation, list summaries and fire (PROTOCOL.md 1.8, 2.4).
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

QJsonObject kv(const QString &key, const QJsonValue &value)
{
    return QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}};
}

QJsonObject rule(const QString &trigger, const QString &action)
{
    return QJsonObject{{QStringLiteral("trigger"), trigger}, {QStringLiteral("action"), action}};
}

QSet<QString> keysOf(const QJsonObject &o)
{
    const QStringList keys = o.keys();
    return QSet<QString>(keys.begin(), keys.end());
}

// The trigger activation is written after the fire reply may have gone out (PROTOCOL.md 1.8), and
// an action activation only when its run completes, so a reader polls for them; the deadline only
// bounds a hang, nothing is timed.
HttpResult
waitForActivation(EngineProcess &engine, const QString &id, const QByteArray &auth = guestKey)
{
    QDeadlineTimer deadline(60000);
    HttpResult r;
    do {
        r = engine.get(QStringLiteral("/api/v1/namespaces/_/activations/") + id, auth);
        if (r.status != 404)
            return r;
        QTest::qWait(20);
    } while (!deadline.hasExpired());
    return r;
}

qint64 activationCount(EngineProcess &engine)
{
    const HttpResult r = engine.get(path(QStringLiteral("activations?count=true")));
    if (r.status != 200)
        return -1;
    return r.object().value(QLatin1String("activations")).toInteger(-1);
}

// The log lines of a trigger activation, parsed and keyed by their `rule` field.
QHash<QString, QJsonObject> ruleLines(const QJsonObject &activation)
{
    QHash<QString, QJsonObject> lines;
    for (const QJsonValue &v : activation.value(QLatin1String("logs")).toArray()) {
        const QJsonObject line = QJsonDocument::fromJson(v.toString().toUtf8()).object();
        lines.insert(line.value(QLatin1String("rule")).toString(), line);
    }
    return lines;
}

} // namespace

class TestTriggersApi : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;

    void createAction(const QString &name)
    {
        const HttpResult r = m_engine.put(path(QStringLiteral("actions/") + name), nodeAction());
        QVERIFY2(r.status == 200, r.body.constData());
    }
    void createTrigger(const QString &name, const QJsonObject &body = {})
    {
        const HttpResult r = m_engine.put(path(QStringLiteral("triggers/") + name), body);
        QVERIFY2(r.status == 200, r.body.constData());
    }
    void createRule(const QString &name, const QString &trigger, const QString &action)
    {
        const HttpResult r
            = m_engine.put(path(QStringLiteral("rules/") + name), rule(trigger, action));
        QVERIFY2(r.status == 200, r.body.constData());
    }
    void disableRule(const QString &name)
    {
        const HttpResult r
            = m_engine.post(path(QStringLiteral("rules/") + name),
                            {{QStringLiteral("status"), QStringLiteral("inactive")}});
        QVERIFY2(r.status == 200, r.body.constData());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    void createReturnsTheFullDocument()
    {
        const QJsonObject body{
            {QStringLiteral("parameters"), QJsonArray{kv(QStringLiteral("p"), 1)}},
            {QStringLiteral("annotations"),
             QJsonArray{kv(QStringLiteral("note"), QStringLiteral("x"))}},
        };
        const HttpResult r = m_engine.put(path(QStringLiteral("triggers/tcreate")), body);
        QCOMPARE(r.status, 200);
        const QJsonObject doc = r.object();
        QCOMPARE(keysOf(doc),
                 (QSet<QString>{QStringLiteral("namespace"),
                                QStringLiteral("name"),
                                QStringLiteral("version"),
                                QStringLiteral("publish"),
                                QStringLiteral("annotations"),
                                QStringLiteral("parameters"),
                                QStringLiteral("limits"),
                                QStringLiteral("updated")}));
        QCOMPARE(doc.value(QLatin1String("namespace")).toString(), QStringLiteral("guest"));
        QCOMPARE(doc.value(QLatin1String("name")).toString(), QStringLiteral("tcreate"));
        QCOMPARE(doc.value(QLatin1String("version")).toString(), QStringLiteral("0.0.1"));
        QCOMPARE(doc.value(QLatin1String("publish")), QJsonValue(false));
        QCOMPARE(doc.value(QLatin1String("parameters")).toArray(),
                 body.value(QLatin1String("parameters")).toArray());
        QCOMPARE(doc.value(QLatin1String("annotations")).toArray(),
                 body.value(QLatin1String("annotations")).toArray());
        QCOMPARE(doc.value(QLatin1String("limits")), QJsonValue(QJsonObject()));
        QVERIFY(doc.value(QLatin1String("updated")).isDouble());
        QVERIFY(doc.value(QLatin1String("updated")).toInteger() > 1600000000000);

        const HttpResult g = m_engine.get(path(QStringLiteral("triggers/tcreate")));
        QCOMPARE(g.status, 200);
        QCOMPARE(g.object(), doc);
    }

    void limitsAreAlwaysEmpty()
    {
        const HttpResult r = m_engine.put(
            path(QStringLiteral("triggers/tlimits")),
            {{QStringLiteral("limits"), QJsonObject{{QStringLiteral("timeout"), 100}}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QLatin1String("limits")), QJsonValue(QJsonObject()));
    }

    void feedAnnotationPathIsAcceptedWithoutLookup()
    {
        const QJsonArray annotations{
            kv(QStringLiteral("feed"), QStringLiteral("/whisk.system/alarms/alarm"))};
        const HttpResult r = m_engine.put(path(QStringLiteral("triggers/tfeed")),
                                          {{QStringLiteral("annotations"), annotations}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QLatin1String("annotations")).toArray(), annotations);
        QCOMPARE(m_engine.get(path(QStringLiteral("triggers/tfeed"))).status, 200);
    }

    void invalidFeedAnnotationIsRejected_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QJsonValue>("feed");
        QTest::newRow("number") << QStringLiteral("tfeedbad1") << QJsonValue(42);
        QTest::newRow("four segments")
            << QStringLiteral("tfeedbad2") << QJsonValue(QStringLiteral("a/b/c/d"));
        QTest::newRow("boolean") << QStringLiteral("tfeedbad3") << QJsonValue(true);
    }

    void invalidFeedAnnotationIsRejected()
    {
        QFETCH(QString, name);
        QFETCH(QJsonValue, feed);
        const HttpResult r = m_engine.put(
            path(QStringLiteral("triggers/") + name),
            {{QStringLiteral("annotations"), QJsonArray{kv(QStringLiteral("feed"), feed)}}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("Feed name is not valid"));
        QCOMPARE(m_engine.get(path(QStringLiteral("triggers/") + name)).status, 404);
    }

    void overwriteReplacesParametersAndAnnotationsWholesale()
    {
        createAction(QStringLiteral("upd_a"));
        createTrigger(QStringLiteral("upd_t"),
                      {{QStringLiteral("parameters"),
                        keyValues({{QStringLiteral("a"), 1}, {QStringLiteral("b"), 2}})},
                       {QStringLiteral("annotations"), keyValues({{QStringLiteral("x"), 1}})}});
        createRule(QStringLiteral("upd_r"), QStringLiteral("upd_t"), QStringLiteral("upd_a"));
        const QJsonObject before = m_engine.get(path(QStringLiteral("triggers/upd_t"))).object();
        QVERIFY(before.value(QLatin1String("rules")).isObject());

        const HttpResult r = m_engine.put(
            path(QStringLiteral("triggers/upd_t?overwrite=true")),
            {{QStringLiteral("parameters"), keyValues({{QStringLiteral("c"), 3}})},
             {QStringLiteral("annotations"), keyValues({{QStringLiteral("y"), 2}})}});
        QCOMPARE(r.status, 200);
        const QJsonObject doc = r.object();
        QCOMPARE(doc.value(QLatin1String("parameters")).toArray(),
                 keyValues({{QStringLiteral("c"), 3}}));
        QCOMPARE(doc.value(QLatin1String("annotations")).toArray(),
                 keyValues({{QStringLiteral("y"), 2}}));
        QCOMPARE(doc.value(QLatin1String("version")).toString(), QStringLiteral("0.0.2"));
        QCOMPARE(doc.value(QLatin1String("rules")), before.value(QLatin1String("rules")));
        QCOMPARE(m_engine.get(path(QStringLiteral("triggers/upd_t"))).object(), doc);
    }

    void overwriteWithoutFieldsKeepsThem()
    {
        const QJsonArray params = keyValues({{QStringLiteral("k"), QStringLiteral("v")}});
        createTrigger(QStringLiteral("keep_t"), {{QStringLiteral("parameters"), params}});
        const HttpResult r = m_engine.put(path(QStringLiteral("triggers/keep_t?overwrite=true")),
                                          {{QStringLiteral("publish"), true}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QLatin1String("parameters")).toArray(), params);
        QCOMPARE(r.object().value(QLatin1String("publish")), QJsonValue(true));
        QCOMPARE(r.object().value(QLatin1String("version")).toString(), QStringLiteral("0.0.2"));
        QVERIFY(!r.object().contains(QLatin1String("rules")));
    }

    void putExistingWithoutOverwriteConflicts()
    {
        createTrigger(QStringLiteral("dup_t"),
                      {{QStringLiteral("parameters"), keyValues({{QStringLiteral("a"), 1}})}});
        const HttpResult r
            = m_engine.put(path(QStringLiteral("triggers/dup_t")),
                           {{QStringLiteral("parameters"), keyValues({{QStringLiteral("a"), 2}})}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), QStringLiteral("resource already exists"));
        const QJsonObject doc = m_engine.get(path(QStringLiteral("triggers/dup_t"))).object();
        QCOMPARE(doc.value(QLatin1String("parameters")).toArray(),
                 keyValues({{QStringLiteral("a"), 1}}));
        QCOMPARE(doc.value(QLatin1String("version")).toString(), QStringLiteral("0.0.1"));
    }

    void listReturnsSummaries()
    {
        createAction(QStringLiteral("list_a"));
        createTrigger(QStringLiteral("list_t1"),
                      {{QStringLiteral("parameters"), keyValues({{QStringLiteral("a"), 1}})}});
        createTrigger(QStringLiteral("list_t2"));
        createRule(QStringLiteral("list_r"), QStringLiteral("list_t1"), QStringLiteral("list_a"));

        const HttpResult r = m_engine.get(path(QStringLiteral("triggers?limit=200")));
        QCOMPARE(r.status, 200);
        const QJsonArray items = r.array();
        QSet<QString> names;
        const QSet<QString> summaryKeys{QStringLiteral("namespace"),
                                        QStringLiteral("name"),
                                        QStringLiteral("version"),
                                        QStringLiteral("publish"),
                                        QStringLiteral("annotations"),
                                        QStringLiteral("updated")};
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            names.insert(o.value(QLatin1String("name")).toString());
            QCOMPARE(keysOf(o), summaryKeys);
            QCOMPARE(o.value(QLatin1String("namespace")).toString(), QStringLiteral("guest"));
        }
        QVERIFY(names.contains(QStringLiteral("list_t1")));
        QVERIFY(names.contains(QStringLiteral("list_t2")));
        QCOMPARE(names.size(), items.size());

        const HttpResult c = m_engine.get(path(QStringLiteral("triggers?count=true")));
        QCOMPARE(c.status, 200);
        const QJsonObject expected{{QStringLiteral("triggers"), int(items.size())}};
        QCOMPARE(c.object(), expected);
    }

    void listPagesWithLimitAndSkip()
    {
        for (const char *name : {"page_t1", "page_t2", "page_t3"})
            createTrigger(QString::fromLatin1(name));
        const QJsonArray all = m_engine.get(path(QStringLiteral("triggers?limit=200"))).array();
        QVERIFY(all.size() >= 3);

        const QJsonArray first = m_engine.get(path(QStringLiteral("triggers?limit=2"))).array();
        QCOMPARE(first.size(), 2);
        QCOMPARE(first.at(0), all.at(0));
        QCOMPARE(first.at(1), all.at(1));

        const QJsonArray second
            = m_engine.get(path(QStringLiteral("triggers?limit=1&skip=2"))).array();
        QCOMPARE(second.size(), 1);
        QCOMPARE(second.at(0), all.at(2));

        const QJsonArray beyond
            = m_engine.get(path(QStringLiteral("triggers?skip=%1").arg(all.size()))).array();
        QCOMPARE(beyond.size(), 0);
    }

    void deleteReturnsDocumentAndLeavesRules()
    {
        createAction(QStringLiteral("del_a"));
        createTrigger(QStringLiteral("del_t"));
        createRule(QStringLiteral("del_r"), QStringLiteral("del_t"), QStringLiteral("del_a"));
        QCOMPARE(m_engine.get(path(QStringLiteral("rules/del_r")))
                     .object()
                     .value(QLatin1String("status"))
                     .toString(),
                 QStringLiteral("active"));
        const QJsonObject before = m_engine.get(path(QStringLiteral("triggers/del_t"))).object();

        const HttpResult r = m_engine.del(path(QStringLiteral("triggers/del_t")));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object(), before);
        QCOMPARE(m_engine.get(path(QStringLiteral("triggers/del_t"))).status, 404);

        const HttpResult ruleAfter = m_engine.get(path(QStringLiteral("rules/del_r")));
        QCOMPARE(ruleAfter.status, 200);
        QCOMPARE(ruleAfter.object().value(QLatin1String("status")).toString(),
                 QStringLiteral("inactive"));
        QCOMPARE(m_engine.del(path(QStringLiteral("triggers/del_t"))).status, 404);
    }

    void fireWithoutRulesIsNoContent()
    {
        createTrigger(QStringLiteral("norules_t"));
        const qint64 before = activationCount(m_engine);
        QVERIFY(before >= 0);
        const HttpResult r
            = m_engine.post(path(QStringLiteral("triggers/norules_t")), {{QStringLiteral("x"), 1}});
        QCOMPARE(r.status, 204);
        QVERIFY(r.body.isEmpty());
        QVERIFY(r.header("x-openwhisk-activation-id").isEmpty());
        QCOMPARE(activationCount(m_engine), before);
    }

    void fireWithOnlyInactiveRulesIsNoContent()
    {
        createAction(QStringLiteral("inact_a"));
        createTrigger(QStringLiteral("inact_t"));
        createRule(QStringLiteral("inact_r"), QStringLiteral("inact_t"), QStringLiteral("inact_a"));
        disableRule(QStringLiteral("inact_r"));
        const qint64 before = activationCount(m_engine);
        const HttpResult r = m_engine.post(path(QStringLiteral("triggers/inact_t")));
        QCOMPARE(r.status, 204);
        QVERIFY(r.body.isEmpty());
        QCOMPARE(activationCount(m_engine), before);
    }

    void fireWithActiveRuleRecordsTriggerActivation()
    {
        createAction(QStringLiteral("fire_a"));
        createTrigger(QStringLiteral("fire_t"),
                      {{QStringLiteral("parameters"),
                        keyValues({{QStringLiteral("fromTrigger"), 1},
                                   {QStringLiteral("overridden"), QStringLiteral("trigger")}})}});
        createRule(QStringLiteral("fire_r"), QStringLiteral("fire_t"), QStringLiteral("fire_a"));

        const QJsonObject payload{
            {QStringLiteral("temperature"), 60},
            {QStringLiteral("overridden"), QStringLiteral("payload")},
            {QStringLiteral("nested"), QJsonObject{{QStringLiteral("k"), true}}}};
        const HttpResult r = m_engine.request("POST",
                                              path(QStringLiteral("triggers/fire_t")),
                                              QJsonDocument(payload).toJson(QJsonDocument::Compact),
                                              guestKey,
                                              {{"X-Fire-Test", "yes"}});
        QCOMPARE(r.status, 202);
        const QString id = r.object().value(QLatin1String("activationId")).toString();
        QCOMPARE(id.size(), 32);
        QCOMPARE(r.object().size(), 1);
        QCOMPARE(QString::fromLatin1(r.header("x-openwhisk-activation-id")), id);

        const HttpResult g = waitForActivation(m_engine, id);
        QCOMPARE(g.status, 200);
        const QJsonObject record = g.object();
        QCOMPARE(record.value(QLatin1String("namespace")).toString(), QStringLiteral("guest"));
        QCOMPARE(record.value(QLatin1String("name")).toString(), QStringLiteral("fire_t"));
        QCOMPARE(record.value(QLatin1String("subject")).toString(), QStringLiteral("guest"));
        QCOMPARE(record.value(QLatin1String("activationId")).toString(), id);
        QCOMPARE(record.value(QLatin1String("version")).toString(), QStringLiteral("0.0.1"));
        QVERIFY(record.value(QLatin1String("start")).toInteger() > 0);
        QVERIFY(!record.contains(QLatin1String("end")));
        QVERIFY(!record.contains(QLatin1String("duration")));
        QVERIFY(!record.contains(QLatin1String("cause")));
        QCOMPARE(record.value(QLatin1String("annotations")), QJsonValue(QJsonArray()));
        QCOMPARE(record.value(QLatin1String("publish")), QJsonValue(false));
        const QJsonObject response = record.value(QLatin1String("response")).toObject();
        // The payload exactly: not merged with the trigger's parameters, no __ow_headers.
        QCOMPARE(response.value(QLatin1String("result")), QJsonValue(payload));
        QCOMPARE(response.value(QLatin1String("status")).toString(), QStringLiteral("success"));
        QCOMPARE(response.value(QLatin1String("success")), QJsonValue(true));

        const QJsonArray logs = record.value(QLatin1String("logs")).toArray();
        QCOMPARE(logs.size(), 1);
        const QJsonObject line = QJsonDocument::fromJson(logs.at(0).toString().toUtf8()).object();
        QCOMPARE(line.value(QLatin1String("statusCode")), QJsonValue(0));
        QCOMPARE(line.value(QLatin1String("success")), QJsonValue(true));
        QCOMPARE(line.value(QLatin1String("rule")).toString(), QStringLiteral("guest/fire_r"));
        QCOMPARE(line.value(QLatin1String("action")).toString(), QStringLiteral("guest/fire_a"));
        QVERIFY(!line.contains(QLatin1String("error")));
        const QString actionId = line.value(QLatin1String("activationId")).toString();
        QCOMPARE(actionId.size(), 32);
        QVERIFY(actionId != id);

        // The rule-fired action activation: stored in the firer's namespace, readable.
        const HttpResult action = waitForActivation(m_engine, actionId);
        QCOMPARE(action.status, 200);
        const QJsonObject actionRecord = action.object();
        QCOMPARE(actionRecord.value(QLatin1String("name")).toString(), QStringLiteral("fire_a"));
        QCOMPARE(actionRecord.value(QLatin1String("namespace")).toString(),
                 QStringLiteral("guest"));
        QVERIFY(!actionRecord.contains(QLatin1String("cause")));
        const HttpResult logsOfAction
            = m_engine.get(path(QStringLiteral("activations/%1/logs").arg(actionId)));
        QCOMPARE(logsOfAction.status, 200);
        QCOMPARE(logsOfAction.object().value(QLatin1String("logs")),
                 actionRecord.value(QLatin1String("logs")));
        const HttpResult resultOfAction
            = m_engine.get(path(QStringLiteral("activations/%1/result").arg(actionId)));
        QCOMPARE(resultOfAction.status, 200);
        QCOMPARE(resultOfAction.object().value(QLatin1String("status")).toString(),
                 QStringLiteral("success"));
        QCOMPARE(resultOfAction.object().value(QLatin1String("success")), QJsonValue(true));

        // The echo action really ran with the trigger's parameters merged with the fire payload
        // (payload wins) plus __ow_headers = the fire request's headers, lowercased
        // (PROTOCOL.md 1.8).
        const QJsonObject actionResponse = actionRecord.value(QLatin1String("response")).toObject();
        QCOMPARE(actionResponse.value(QLatin1String("status")).toString(),
                 QStringLiteral("success"));
        QCOMPARE(actionResponse.value(QLatin1String("success")), QJsonValue(true));
        QCOMPARE(resultOfAction.object().value(QLatin1String("result")),
                 actionResponse.value(QLatin1String("result")));
        QJsonObject received = actionResponse.value(QLatin1String("result")).toObject();
        const QJsonObject headers = received.take(QLatin1String("__ow_headers")).toObject();
        QCOMPARE(
            received,
            (QJsonObject{{QStringLiteral("fromTrigger"), 1},
                         {QStringLiteral("overridden"), QStringLiteral("payload")},
                         {QStringLiteral("temperature"), 60},
                         {QStringLiteral("nested"), QJsonObject{{QStringLiteral("k"), true}}}}));
        QCOMPARE(headers.value(QLatin1String("authorization")).toString(),
                 QString::fromLatin1("Basic " + guestKey.toBase64()));
        QCOMPARE(headers.value(QLatin1String("x-fire-test")).toString(), QStringLiteral("yes"));
        for (const QString &name : headers.keys())
            QCOMPARE(name, name.toLower());
        QVERIFY(!actionRecord.contains(QLatin1String("cause")));
    }

    void fireWithoutBodyRecordsEmptyResult()
    {
        createAction(QStringLiteral("nobody_a"));
        createTrigger(QStringLiteral("nobody_t"),
                      {{QStringLiteral("parameters"), keyValues({{QStringLiteral("p"), 1}})}});
        createRule(
            QStringLiteral("nobody_r"), QStringLiteral("nobody_t"), QStringLiteral("nobody_a"));
        const HttpResult r = m_engine.request("POST", path(QStringLiteral("triggers/nobody_t")));
        QCOMPARE(r.status, 202);
        const HttpResult g = waitForActivation(
            m_engine, r.object().value(QLatin1String("activationId")).toString());
        QCOMPARE(g.status, 200);
        QCOMPARE(
            g.object().value(QLatin1String("response")).toObject().value(QLatin1String("result")),
            QJsonValue(QJsonObject()));

        // The action still gets the trigger's parameters (and the fire headers).
        const QString actionId = ruleLines(g.object())
                                     .value(QStringLiteral("guest/nobody_r"))
                                     .value(QLatin1String("activationId"))
                                     .toString();
        const HttpResult action = waitForActivation(m_engine, actionId);
        QCOMPARE(action.status, 200);
        const QJsonObject response = action.object().value(QLatin1String("response")).toObject();
        QCOMPARE(response.value(QLatin1String("status")).toString(), QStringLiteral("success"));
        QJsonObject received = response.value(QLatin1String("result")).toObject();
        QVERIFY(received.take(QLatin1String("__ow_headers")).isObject());
        QCOMPARE(received, (QJsonObject{{QStringLiteral("p"), 1}}));
    }

    void fireLogsInactiveRules()
    {
        createAction(QStringLiteral("mix_a"));
        createAction(QStringLiteral("mix_a2"));
        createTrigger(QStringLiteral("mix_t"));
        createRule(QStringLiteral("mix_on"), QStringLiteral("mix_t"), QStringLiteral("mix_a"));
        createRule(QStringLiteral("mix_off"), QStringLiteral("mix_t"), QStringLiteral("mix_a2"));
        disableRule(QStringLiteral("mix_off"));

        const HttpResult r = m_engine.post(path(QStringLiteral("triggers/mix_t")));
        QCOMPARE(r.status, 202);
        const HttpResult g = waitForActivation(
            m_engine, r.object().value(QLatin1String("activationId")).toString());
        QCOMPARE(g.status, 200);
        const QHash<QString, QJsonObject> lines = ruleLines(g.object());
        QCOMPARE(lines.size(), 2);

        const QJsonObject on = lines.value(QStringLiteral("guest/mix_on"));
        QCOMPARE(on.value(QLatin1String("statusCode")), QJsonValue(0));
        QCOMPARE(on.value(QLatin1String("success")), QJsonValue(true));
        QCOMPARE(on.value(QLatin1String("action")).toString(), QStringLiteral("guest/mix_a"));
        QCOMPARE(
            waitForActivation(m_engine, on.value(QLatin1String("activationId")).toString()).status,
            200);

        const QJsonObject off = lines.value(QStringLiteral("guest/mix_off"));
        QCOMPARE(off.value(QLatin1String("statusCode")), QJsonValue(1));
        QCOMPARE(off.value(QLatin1String("success")), QJsonValue(false));
        QCOMPARE(off.value(QLatin1String("action")).toString(), QStringLiteral("guest/mix_a2"));
        QCOMPARE(off.value(QLatin1String("error")).toString(),
                 QStringLiteral("Rule 'guest/mix_off' is inactive, action 'guest/mix_a2' was "
                                "not activated."));
        QVERIFY(!off.contains(QLatin1String("activationId")));
    }

    void fireLogsRuleWithDeletedAction()
    {
        createAction(QStringLiteral("gone_a"));
        createAction(QStringLiteral("gone_keep"));
        createTrigger(QStringLiteral("gone_t"));
        createRule(QStringLiteral("gone_r"), QStringLiteral("gone_t"), QStringLiteral("gone_a"));
        createRule(
            QStringLiteral("gone_ok"), QStringLiteral("gone_t"), QStringLiteral("gone_keep"));
        QCOMPARE(m_engine.del(path(QStringLiteral("actions/gone_a"))).status, 200);

        const HttpResult r = m_engine.post(path(QStringLiteral("triggers/gone_t")));
        QCOMPARE(r.status, 202);
        const HttpResult g = waitForActivation(
            m_engine, r.object().value(QLatin1String("activationId")).toString());
        QCOMPARE(g.status, 200);
        const QHash<QString, QJsonObject> lines = ruleLines(g.object());
        QCOMPARE(lines.size(), 2);
        const QJsonObject gone = lines.value(QStringLiteral("guest/gone_r"));
        QCOMPARE(gone.value(QLatin1String("statusCode")), QJsonValue(1));
        QCOMPARE(gone.value(QLatin1String("success")), QJsonValue(false));
        QCOMPARE(gone.value(QLatin1String("action")).toString(), QStringLiteral("guest/gone_a"));
        QCOMPARE(gone.value(QLatin1String("error")).toString(),
                 QStringLiteral("The requested resource does not exist."));
        const QJsonObject kept = lines.value(QStringLiteral("guest/gone_ok"));
        QCOMPARE(kept.value(QLatin1String("success")), QJsonValue(true));
        // The other rule's action really ran; wait for its record so that no write of this
        // test is still pending when the next one counts activations.
        const HttpResult keptRecord
            = waitForActivation(m_engine, kept.value(QLatin1String("activationId")).toString());
        QCOMPARE(keptRecord.status, 200);
        QCOMPARE(keptRecord.object()
                     .value(QLatin1String("response"))
                     .toObject()
                     .value(QLatin1String("status"))
                     .toString(),
                 QStringLiteral("success"));
    }

    void fireMissingTriggerIsNotFound()
    {
        const HttpResult r = m_engine.post(path(QStringLiteral("triggers/never_created_t")));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.error(), QStringLiteral("The requested resource does not exist."));
    }

    void fireOtherNamespacesTriggerIsForbidden()
    {
        const HttpResult created
            = m_engine.put(QStringLiteral("/api/v1/namespaces/_/triggers/sys_t"), {}, systemKey);
        QCOMPARE(created.status, 200);
        QCOMPARE(created.object().value(QLatin1String("namespace")).toString(),
                 QStringLiteral("whisk.system"));
        const qint64 before = activationCount(m_engine);
        const HttpResult r
            = m_engine.post(QStringLiteral("/api/v1/namespaces/whisk.system/triggers/sys_t"));
        QCOMPARE(r.status, 403);
        QVERIFY(
            r.error().startsWith(QLatin1String("The supplied authentication is not authorized")));
        QCOMPARE(activationCount(m_engine), before);
    }
};

QTEST_GUILESS_MAIN(TestTriggersApi)
#include "tst_triggersapi.moc"
