// SPDX-License-Identifier: GPL-3.0-or-later
// Rule routes: create, enable/disable, overwrite, list, delete and the trigger's rule map
// (PROTOCOL.md 1.9; ow-facts 1f).
#include "enginefixture.h"

#include <QDeadlineTimer>
#include <QTest>

using namespace Feedscope::Testing;

namespace {

QString path(const QString &tail)
{
    return QStringLiteral("/api/v1/namespaces/_/") + tail;
}

QJsonObject ref(const QString &path, const QString &name)
{
    return QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("name"), name}};
}

QJsonObject ruleBody(const QJsonValue &trigger, const QJsonValue &action)
{
    QJsonObject body;
    if (!trigger.isUndefined())
        body.insert(QStringLiteral("trigger"), trigger);
    if (!action.isUndefined())
        body.insert(QStringLiteral("action"), action);
    return body;
}

QJsonObject statusBody(const QString &status)
{
    return QJsonObject{{QStringLiteral("status"), status}};
}

// Trigger activations may be written just after the fire reply (PROTOCOL.md 1.8), action
// activations when their run completes: poll. The deadline only bounds a hang; nothing is timed.
HttpResult waitForActivation(EngineProcess &engine, const QString &id)
{
    QDeadlineTimer deadline(60000);
    HttpResult r;
    do {
        r = engine.get(path(QStringLiteral("activations/") + id));
        if (r.status != 404)
            return r;
        QTest::qWait(20);
    } while (!deadline.hasExpired());
    return r;
}

QJsonValue annotationOf(const QJsonObject &record, const QString &key)
{
    for (const QJsonValue &v : record.value(QLatin1String("annotations")).toArray()) {
        if (v.toObject().value(QLatin1String("key")).toString() == key)
            return v.toObject().value(QLatin1String("value"));
    }
    return QJsonValue::Undefined;
}

QJsonObject withoutStatus(QJsonObject o)
{
    o.remove(QStringLiteral("status"));
    return o;
}

} // namespace

class TestRulesApi : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;

    void createAction(const QString &name)
    {
        const HttpResult r = m_engine.put(
            path(QStringLiteral("actions/%1?overwrite=true").arg(name)), nodeAction());
        QVERIFY2(r.status == 200, r.body.constData());
    }
    void createTrigger(const QString &name)
    {
        const HttpResult r
            = m_engine.put(path(QStringLiteral("triggers/%1?overwrite=true").arg(name)), {});
        QVERIFY2(r.status == 200, r.body.constData());
    }
    HttpResult createRule(const QString &name, const QString &trigger, const QString &action)
    {
        return m_engine.put(path(QStringLiteral("rules/") + name), ruleBody(trigger, action));
    }
    QJsonObject triggerRules(const QString &trigger)
    {
        return m_engine.get(path(QStringLiteral("triggers/") + trigger))
            .object()
            .value(QLatin1String("rules"))
            .toObject();
    }
    QString ruleStatus(const QString &name)
    {
        return m_engine.get(path(QStringLiteral("rules/") + name))
            .object()
            .value(QLatin1String("status"))
            .toString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    void createIsActive_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("trigger");
        QTest::addColumn<QString>("action");
        QTest::newRow("simple names")
            << QStringLiteral("cr_r1") << QStringLiteral("cr_t1") << QStringLiteral("cr_a1");
        QTest::newRow("default namespace")
            << QStringLiteral("cr_r2") << QStringLiteral("/_/cr_t2") << QStringLiteral("/_/cr_a2");
        QTest::newRow("explicit namespace")
            << QStringLiteral("cr_r3") << QStringLiteral("/guest/cr_t3")
            << QStringLiteral("/guest/cr_a3");
    }

    void createIsActive()
    {
        QFETCH(QString, rule);
        QFETCH(QString, trigger);
        QFETCH(QString, action);
        const QString triggerName = trigger.section(u'/', -1);
        const QString actionName = action.section(u'/', -1);
        createTrigger(triggerName);
        createAction(actionName);

        const HttpResult r = createRule(rule, trigger, action);
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject doc = r.object();
        QCOMPARE(doc.value(QLatin1String("namespace")).toString(), QStringLiteral("guest"));
        QCOMPARE(doc.value(QLatin1String("name")).toString(), rule);
        QCOMPARE(doc.value(QLatin1String("version")).toString(), QStringLiteral("0.0.1"));
        QCOMPARE(doc.value(QLatin1String("publish")), QJsonValue(false));
        QCOMPARE(doc.value(QLatin1String("annotations")), QJsonValue(QJsonArray()));
        QCOMPARE(doc.value(QLatin1String("status")).toString(), QStringLiteral("active"));
        QCOMPARE(doc.value(QLatin1String("trigger")).toObject(),
                 ref(QStringLiteral("guest"), triggerName));
        QCOMPARE(doc.value(QLatin1String("action")).toObject(),
                 ref(QStringLiteral("guest"), actionName));
        QVERIFY(doc.value(QLatin1String("updated")).toInteger() > 0);

        const HttpResult g = m_engine.get(path(QStringLiteral("rules/") + rule));
        QCOMPARE(g.status, 200);
        QCOMPARE(g.object(), doc);

        const QJsonObject expectedEntry{
            {QStringLiteral("action"), ref(QStringLiteral("guest"), actionName)},
            {QStringLiteral("status"), QStringLiteral("active")}};
        const QJsonObject expectedRules{{QStringLiteral("guest/") + rule, expectedEntry}};
        QCOMPARE(triggerRules(triggerName), expectedRules);
    }

    void missingTriggerIsRejected()
    {
        createAction(QStringLiteral("mt_a"));
        const HttpResult r
            = createRule(QStringLiteral("mt_r"), QStringLiteral("nope"), QStringLiteral("mt_a"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("trigger /guest/nope does not exist"));
        QCOMPARE(m_engine.get(path(QStringLiteral("rules/mt_r"))).status, 404);
    }

    void missingActionIsRejected()
    {
        createTrigger(QStringLiteral("ma_t"));
        const HttpResult r
            = createRule(QStringLiteral("ma_r"), QStringLiteral("ma_t"), QStringLiteral("nope"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("action /guest/nope does not exist"));
        QCOMPARE(m_engine.get(path(QStringLiteral("rules/ma_r"))).status, 404);
        QVERIFY(triggerRules(QStringLiteral("ma_t")).isEmpty());
    }

    void missingTriggerIsReportedBeforeMissingAction()
    {
        const HttpResult r
            = createRule(QStringLiteral("mb_r"), QStringLiteral("nope"), QStringLiteral("nope2"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("trigger /guest/nope does not exist"));
    }

    void missingFieldsAreRejected_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::newRow("empty") << QJsonObject();
        QTest::newRow("no action") << ruleBody(QStringLiteral("mf_t"), QJsonValue::Undefined);
        QTest::newRow("no trigger") << ruleBody(QJsonValue::Undefined, QStringLiteral("mf_a"));
    }

    void missingFieldsAreRejected()
    {
        QFETCH(QJsonObject, body);
        createTrigger(QStringLiteral("mf_t"));
        createAction(QStringLiteral("mf_a"));
        const HttpResult r = m_engine.put(path(QStringLiteral("rules/mf_r")), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("rule requires a valid trigger and a valid action"));
        QCOMPARE(m_engine.get(path(QStringLiteral("rules/mf_r"))).status, 404);
    }

    void disableAndEnable()
    {
        createTrigger(QStringLiteral("de_t"));
        createAction(QStringLiteral("de_a"));
        QCOMPARE(createRule(QStringLiteral("de_r"), QStringLiteral("de_t"), QStringLiteral("de_a"))
                     .status,
                 200);

        HttpResult r = m_engine.post(path(QStringLiteral("rules/de_r")),
                                     statusBody(QStringLiteral("inactive")));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("OK"));
        QVERIFY(r.header("Content-Type").startsWith("text/plain"));
        QCOMPARE(ruleStatus(QStringLiteral("de_r")), QStringLiteral("inactive"));
        QCOMPARE(triggerRules(QStringLiteral("de_t"))
                     .value(QLatin1String("guest/de_r"))
                     .toObject()
                     .value(QLatin1String("status"))
                     .toString(),
                 QStringLiteral("inactive"));

        // Setting the state it already has is fine too.
        r = m_engine.post(path(QStringLiteral("rules/de_r")),
                          statusBody(QStringLiteral("inactive")));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("OK"));

        r = m_engine.post(path(QStringLiteral("rules/de_r")), statusBody(QStringLiteral("active")));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("OK"));
        QCOMPARE(ruleStatus(QStringLiteral("de_r")), QStringLiteral("active"));
        const QJsonObject entry
            = triggerRules(QStringLiteral("de_t")).value(QLatin1String("guest/de_r")).toObject();
        QCOMPARE(entry.value(QLatin1String("status")).toString(), QStringLiteral("active"));
        QCOMPARE(entry.value(QLatin1String("action")).toObject(),
                 ref(QStringLiteral("guest"), QStringLiteral("de_a")));
    }

    void unknownStatusIsRejected()
    {
        createTrigger(QStringLiteral("bs_t"));
        createAction(QStringLiteral("bs_a"));
        QCOMPARE(createRule(QStringLiteral("bs_r"), QStringLiteral("bs_t"), QStringLiteral("bs_a"))
                     .status,
                 200);
        const HttpResult r = m_engine.post(path(QStringLiteral("rules/bs_r")),
                                           statusBody(QStringLiteral("paused")));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().contains(QLatin1String("paused")), qPrintable(r.error()));
        QCOMPARE(ruleStatus(QStringLiteral("bs_r")), QStringLiteral("active"));
    }

    void statusOfMissingRuleIsNotFound()
    {
        const HttpResult r = m_engine.post(path(QStringLiteral("rules/never_created_r")),
                                           statusBody(QStringLiteral("active")));
        QCOMPARE(r.status, 404);
    }

    void enableWithDeletedTriggerIsNotFound()
    {
        createTrigger(QStringLiteral("dt_t"));
        createAction(QStringLiteral("dt_a"));
        QCOMPARE(createRule(QStringLiteral("dt_r"), QStringLiteral("dt_t"), QStringLiteral("dt_a"))
                     .status,
                 200);
        QCOMPARE(m_engine.del(path(QStringLiteral("triggers/dt_t"))).status, 200);
        QCOMPARE(ruleStatus(QStringLiteral("dt_r")), QStringLiteral("inactive"));

        const HttpResult r = m_engine.post(path(QStringLiteral("rules/dt_r")),
                                           statusBody(QStringLiteral("active")));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.error(), QStringLiteral("Only rules with existing triggers can be activated"));
        QCOMPARE(ruleStatus(QStringLiteral("dt_r")), QStringLiteral("inactive"));
    }

    void overwriteKeepsCurrentStatus()
    {
        createTrigger(QStringLiteral("ow_t"));
        createAction(QStringLiteral("ow_a"));
        createAction(QStringLiteral("ow_b"));
        QCOMPARE(createRule(QStringLiteral("ow_r"), QStringLiteral("ow_t"), QStringLiteral("ow_a"))
                     .status,
                 200);
        QCOMPARE(
            m_engine
                .post(path(QStringLiteral("rules/ow_r")), statusBody(QStringLiteral("inactive")))
                .status,
            200);

        const HttpResult r = m_engine.put(path(QStringLiteral("rules/ow_r?overwrite=true")),
                                          ruleBody(QStringLiteral("ow_t"), QStringLiteral("ow_b")));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QLatin1String("status")).toString(), QStringLiteral("inactive"));
        QCOMPARE(r.object().value(QLatin1String("version")).toString(), QStringLiteral("0.0.2"));
        QCOMPARE(r.object().value(QLatin1String("action")).toObject(),
                 ref(QStringLiteral("guest"), QStringLiteral("ow_b")));
        QCOMPARE(ruleStatus(QStringLiteral("ow_r")), QStringLiteral("inactive"));
        const QJsonObject entry{
            {QStringLiteral("action"), ref(QStringLiteral("guest"), QStringLiteral("ow_b"))},
            {QStringLiteral("status"), QStringLiteral("inactive")}};
        const QJsonObject expected{{QStringLiteral("guest/ow_r"), entry}};
        QCOMPARE(triggerRules(QStringLiteral("ow_t")), expected);
    }

    void putExistingWithoutOverwriteConflicts()
    {
        createTrigger(QStringLiteral("cf_t"));
        createAction(QStringLiteral("cf_a"));
        QCOMPARE(createRule(QStringLiteral("cf_r"), QStringLiteral("cf_t"), QStringLiteral("cf_a"))
                     .status,
                 200);
        const HttpResult r
            = createRule(QStringLiteral("cf_r"), QStringLiteral("cf_t"), QStringLiteral("cf_a"));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), QStringLiteral("resource already exists"));
    }

    void listReturnsFullDocumentsWithoutStatus()
    {
        createTrigger(QStringLiteral("ls_t"));
        createAction(QStringLiteral("ls_a"));
        QCOMPARE(createRule(QStringLiteral("ls_r"), QStringLiteral("ls_t"), QStringLiteral("ls_a"))
                     .status,
                 200);
        const HttpResult r = m_engine.get(path(QStringLiteral("rules?limit=200")));
        QCOMPARE(r.status, 200);
        const QJsonArray items = r.array();
        QVERIFY(!items.isEmpty());
        bool found = false;
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            QVERIFY(!o.contains(QLatin1String("status")));
            QVERIFY(o.value(QLatin1String("trigger")).isObject());
            QVERIFY(o.value(QLatin1String("action")).isObject());
            if (o.value(QLatin1String("name")).toString() == u"ls_r") {
                found = true;
                QCOMPARE(o,
                         withoutStatus(m_engine.get(path(QStringLiteral("rules/ls_r"))).object()));
            }
        }
        QVERIFY(found);

        const HttpResult c = m_engine.get(path(QStringLiteral("rules?count=true")));
        QCOMPARE(c.status, 200);
        QCOMPARE(c.object().value(QLatin1String("rules")).toInteger(), qint64(items.size()));
        QCOMPARE(m_engine.get(path(QStringLiteral("rules?limit=1"))).array().size(), 1);
    }

    void deleteRemovesTheTriggerEntry()
    {
        createTrigger(QStringLiteral("dl_t"));
        createAction(QStringLiteral("dl_a"));
        QCOMPARE(createRule(QStringLiteral("dl_r"), QStringLiteral("dl_t"), QStringLiteral("dl_a"))
                     .status,
                 200);
        QCOMPARE(
            createRule(QStringLiteral("dl_other"), QStringLiteral("dl_t"), QStringLiteral("dl_a"))
                .status,
            200);
        const QJsonObject before = m_engine.get(path(QStringLiteral("rules/dl_r"))).object();
        QCOMPARE(before.value(QLatin1String("status")).toString(), QStringLiteral("active"));

        const HttpResult r = m_engine.del(path(QStringLiteral("rules/dl_r")));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QLatin1String("status")).toString(), QStringLiteral("inactive"));
        QCOMPARE(withoutStatus(r.object()), withoutStatus(before));
        QCOMPARE(m_engine.get(path(QStringLiteral("rules/dl_r"))).status, 404);

        const QJsonObject rules = triggerRules(QStringLiteral("dl_t"));
        QVERIFY(!rules.contains(QLatin1String("guest/dl_r")));
        QVERIFY(rules.contains(QLatin1String("guest/dl_other")));
        QCOMPARE(m_engine.del(path(QStringLiteral("rules/dl_r"))).status, 404);
    }

    void ruleToActionThroughBinding()
    {
        QCOMPARE(m_engine
                     .put(path(QStringLiteral("packages/bd_pkg")),
                          {{QStringLiteral("parameters"),
                            keyValues({{QStringLiteral("fromPkg"), 1},
                                       {QStringLiteral("fromBinding"), 1}})}})
                     .status,
                 200);
        const HttpResult act
            = m_engine.put(path(QStringLiteral("actions/bd_pkg/bd_a")), nodeAction()); // echo
        QCOMPARE(act.status, 200);
        const QJsonObject binding{
            {QStringLiteral("binding"),
             QJsonObject{{QStringLiteral("namespace"), QStringLiteral("guest")},
                         {QStringLiteral("name"), QStringLiteral("bd_pkg")}}},
            {QStringLiteral("parameters"), keyValues({{QStringLiteral("fromBinding"), 2}})}};
        QCOMPARE(m_engine.put(path(QStringLiteral("packages/bd_bind")), binding).status, 200);
        QCOMPARE(m_engine
                     .put(path(QStringLiteral("triggers/bd_t")),
                          {{QStringLiteral("parameters"),
                            keyValues({{QStringLiteral("fromTrigger"), 3},
                                       {QStringLiteral("fromPayload"), 3}})}})
                     .status,
                 200);

        const HttpResult r = createRule(
            QStringLiteral("bd_r"), QStringLiteral("bd_t"), QStringLiteral("/_/bd_bind/bd_a"));
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.object().value(QLatin1String("action")).toObject(),
                 ref(QStringLiteral("guest/bd_bind"), QStringLiteral("bd_a")));
        QCOMPARE(r.object().value(QLatin1String("status")).toString(), QStringLiteral("active"));

        const HttpResult fire = m_engine.post(path(QStringLiteral("triggers/bd_t")),
                                              {{QStringLiteral("fromPayload"), 4}});
        QCOMPARE(fire.status, 202);
        const QString id = fire.object().value(QLatin1String("activationId")).toString();
        const HttpResult g = waitForActivation(m_engine, id);
        QCOMPARE(g.status, 200);
        const QJsonArray logs = g.object().value(QLatin1String("logs")).toArray();
        QCOMPARE(logs.size(), 1);
        const QJsonObject line = QJsonDocument::fromJson(logs.at(0).toString().toUtf8()).object();
        QCOMPARE(line.value(QLatin1String("success")), QJsonValue(true));
        QCOMPARE(line.value(QLatin1String("action")).toString(),
                 QStringLiteral("guest/bd_bind/bd_a"));
        QCOMPARE(line.value(QLatin1String("activationId")).toString().size(), 32);

        // The action ran through the binding: package < binding params, then the trigger's
        // parameters merged with the payload (payload wins), plus __ow_headers.
        const HttpResult action
            = waitForActivation(m_engine, line.value(QLatin1String("activationId")).toString());
        QCOMPARE(action.status, 200);
        const QJsonObject record = action.object();
        QCOMPARE(record.value(QLatin1String("name")).toString(), QStringLiteral("bd_a"));
        QCOMPARE(annotationOf(record, QStringLiteral("path")),
                 QJsonValue(QStringLiteral("guest/bd_pkg/bd_a")));
        QCOMPARE(annotationOf(record, QStringLiteral("binding")),
                 QJsonValue(QStringLiteral("guest/bd_bind")));
        const QJsonObject response = record.value(QLatin1String("response")).toObject();
        QCOMPARE(response.value(QLatin1String("status")).toString(), QStringLiteral("success"));
        QJsonObject received = response.value(QLatin1String("result")).toObject();
        QVERIFY(received.take(QLatin1String("__ow_headers")).isObject());
        QCOMPARE(received,
                 (QJsonObject{{QStringLiteral("fromPkg"), 1},
                              {QStringLiteral("fromBinding"), 2},
                              {QStringLiteral("fromTrigger"), 3},
                              {QStringLiteral("fromPayload"), 4}}));

        // A rule to a binding whose action does not exist is refused like any missing action.
        const HttpResult missing = createRule(
            QStringLiteral("bd_r2"), QStringLiteral("bd_t"), QStringLiteral("/_/bd_bind/nope"));
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.error(), QStringLiteral("action /guest/bd_bind/nope does not exist"));
    }
};

QTEST_GUILESS_MAIN(TestRulesApi)
#include "tst_rulesapi.moc"
