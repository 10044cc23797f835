// SPDX-License-Identifier: GPL-3.0-or-later
// WhiskClient against a real feedscope-engine (PROTOCOL.md 1): triggers, rules and activations
// and the parsers of their entities.
#include "whiskclienttesthelpers.h"

#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

class TestWhiskClientTriggers : public QObject, private WhiskClientFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    void init()
    {
        m_client = std::make_unique<WhiskClient>();
        m_client->setEndpoint(endpoint());
    }

    void cleanup() { m_client.reset(); }

    // ---------------------------------------------------------------- triggers and rules

    void triggersAndRules()
    {
        Trigger t;
        t.parameters.set(u"source"_s, u"test"_s);
        auto created = await<Trigger>([&](QObject *ctx, auto done) {
            m_client->putTrigger(qn(u"t1"_s), t, false, ctx, done);
        });
        VERIFY_OK(created);
        QCOMPARE(created->name, u"t1"_s);
        QVERIFY(created->rules.isEmpty());
        QVERIFY(created->feed().isEmpty());
        auto conflict = await<Trigger>([&](QObject *ctx, auto done) {
            m_client->putTrigger(qn(u"t1"_s), t, false, ctx, done);
        });
        VERIFY_FAILED(conflict);
        QCOMPARE(conflict.error().message,
                 u"Creating trigger 't1' failed: 409 Conflict — resource already exists"_s);

        auto got = await<Trigger>(
            [&](QObject *ctx, auto done) { m_client->getTrigger(qn(u"t1"_s), ctx, done); });
        VERIFY_OK(got);
        QCOMPARE(got->parameters.value(u"source"_s), QJsonValue(u"test"_s));

        auto list = await<QList<Trigger>>(
            [&](QObject *ctx, auto done) { m_client->listTriggers(0, 0, ctx, done); });
        VERIFY_OK(list);
        QVERIFY(std::any_of(
            list->begin(), list->end(), [](const Trigger &x) { return x.name == u"t1"; }));

        // Fire without a rule: 204, empty id.
        auto noRule = await<QString>([&](QObject *ctx, auto done) {
            m_client->fire(qn(u"t1"_s), QJsonObject{{u"p"_s, 1}}, ctx, done);
        });
        VERIFY_OK(noRule);
        QVERIFY(noRule->isEmpty());

        // A rule to an action.
        seedAction(u"ruled"_s, u"function main(p){return p}"_s);
        auto rule = await<Rule>([&](QObject *ctx, auto done) {
            m_client->putRule(qn(u"r1"_s), u"/_/t1"_s, u"/_/ruled"_s, false, ctx, done);
        });
        VERIFY_OK(rule);
        QCOMPARE(rule->name, u"r1"_s);
        QCOMPARE(rule->status, u"active"_s);
        QVERIFY(rule->isActive());
        QCOMPARE(rule->trigger, u"/guest/t1"_s);
        QCOMPARE(rule->action, u"/guest/ruled"_s);
        auto ruleConflict = await<Rule>([&](QObject *ctx, auto done) {
            m_client->putRule(qn(u"r1"_s), u"/_/t1"_s, u"/_/ruled"_s, false, ctx, done);
        });
        VERIFY_FAILED(ruleConflict);
        QCOMPARE(ruleConflict.error().message,
                 u"Creating rule 'r1' failed: 409 Conflict — resource already exists"_s);
        auto missingRef = await<Rule>([&](QObject *ctx, auto done) {
            m_client->putRule(qn(u"r2"_s), u"/_/nosuch"_s, u"/_/ruled"_s, false, ctx, done);
        });
        VERIFY_FAILED(missingRef);
        QCOMPARE(missingRef.error().httpStatus, 400);

        auto gotRule = await<Rule>(
            [&](QObject *ctx, auto done) { m_client->getRule(qn(u"r1"_s), ctx, done); });
        VERIFY_OK(gotRule);
        QCOMPARE(gotRule->status, u"active"_s);
        QCOMPARE(gotRule->trigger, u"/guest/t1"_s);
        QCOMPARE(gotRule->action, u"/guest/ruled"_s);

        // The trigger's rules map.
        auto withRule = await<Trigger>(
            [&](QObject *ctx, auto done) { m_client->getTrigger(qn(u"t1"_s), ctx, done); });
        VERIFY_OK(withRule);
        QCOMPARE(withRule->rules.size(), 1);
        QCOMPARE(withRule->rules.first().rule, u"guest/r1"_s);
        QCOMPARE(withRule->rules.first().action, u"guest/ruled"_s);
        QVERIFY(withRule->rules.first().active);

        // Fire with an active rule: an id.
        auto fired = await<QString>([&](QObject *ctx, auto done) {
            m_client->fire(qn(u"t1"_s), QJsonObject{{u"p"_s, 2}}, ctx, done);
        });
        VERIFY_OK(fired);
        QVERIFY2(isHex32(*fired), qPrintable(*fired));

        // Its trigger activation shows up (asynchronously).
        const QString triggerActivation = *fired;
        std::optional<ActivationRecord> record;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto g = await<ActivationRecord>([&](QObject *ctx, auto done) {
                    m_client->getActivation(triggerActivation, ctx, done);
                });
                if (g.ok())
                    record = *g;
                return g.ok();
            }(),
            20000);
        QVERIFY(record->isTrigger());
        QCOMPARE(record->name, u"t1"_s);

        // Disable: plain-text OK.
        auto disabled = await<Done>([&](QObject *ctx, auto done) {
            m_client->setRuleActive(qn(u"r1"_s), false, ctx, done);
        });
        VERIFY_OK(disabled);
        QCOMPARE(m_client->journal()->entries().last().responseBody.trimmed(), QByteArray("OK"));
        QCOMPARE(m_client->journal()->entries().last().status, 200);
        auto inactive = await<Rule>(
            [&](QObject *ctx, auto done) { m_client->getRule(qn(u"r1"_s), ctx, done); });
        VERIFY_OK(inactive);
        QCOMPARE(inactive->status, u"inactive"_s);
        QVERIFY(!inactive->isActive());
        auto triggerInactive = await<Trigger>(
            [&](QObject *ctx, auto done) { m_client->getTrigger(qn(u"t1"_s), ctx, done); });
        VERIFY_OK(triggerInactive);
        QCOMPARE(triggerInactive->rules.size(), 1);
        QVERIFY(!triggerInactive->rules.first().active);
        auto firedInactive = await<QString>(
            [&](QObject *ctx, auto done) { m_client->fire(qn(u"t1"_s), {}, ctx, done); });
        VERIFY_OK(firedInactive);
        QVERIFY(firedInactive->isEmpty());

        // Enable again.
        auto enabled = await<Done>([&](QObject *ctx, auto done) {
            m_client->setRuleActive(qn(u"r1"_s), true, ctx, done);
        });
        VERIFY_OK(enabled);
        auto active = await<Rule>(
            [&](QObject *ctx, auto done) { m_client->getRule(qn(u"r1"_s), ctx, done); });
        VERIFY_OK(active);
        QCOMPARE(active->status, u"active"_s);

        // List: no status in summaries.
        auto rules = await<QList<Rule>>(
            [&](QObject *ctx, auto done) { m_client->listRules(0, 0, ctx, done); });
        VERIFY_OK(rules);
        QCOMPARE(rules->size(), 1);
        QCOMPARE(rules->first().name, u"r1"_s);
        QVERIFY(rules->first().status.isEmpty());
        QCOMPARE(rules->first().trigger, u"/guest/t1"_s);

        // setRuleActive on a missing rule → 404.
        auto missingToggle = await<Done>([&](QObject *ctx, auto done) {
            m_client->setRuleActive(qn(u"nosuchrule"_s), false, ctx, done);
        });
        VERIFY_FAILED(missingToggle);
        QCOMPARE(missingToggle.error().httpStatus, 404);
        QVERIFY(missingToggle.error().message.startsWith(
            u"Disabling rule 'nosuchrule' failed: 404 Not Found"_s));

        // Delete rule and trigger.
        auto delRule = await<Rule>(
            [&](QObject *ctx, auto done) { m_client->deleteRule(qn(u"r1"_s), ctx, done); });
        VERIFY_OK(delRule);
        QCOMPARE(delRule->name, u"r1"_s);
        auto ruleGone = await<Rule>(
            [&](QObject *ctx, auto done) { m_client->getRule(qn(u"r1"_s), ctx, done); });
        VERIFY_FAILED(ruleGone);
        QCOMPARE(ruleGone.error().httpStatus, 404);
        auto delTrigger = await<Trigger>(
            [&](QObject *ctx, auto done) { m_client->deleteTrigger(qn(u"t1"_s), ctx, done); });
        VERIFY_OK(delTrigger);
        QCOMPARE(delTrigger->name, u"t1"_s);
        auto triggerGone = await<Trigger>(
            [&](QObject *ctx, auto done) { m_client->getTrigger(qn(u"t1"_s), ctx, done); });
        VERIFY_FAILED(triggerGone);
        QCOMPARE(triggerGone.error().httpStatus, 404);
        auto fireGone = await<QString>(
            [&](QObject *ctx, auto done) { m_client->fire(qn(u"t1"_s), {}, ctx, done); });
        VERIFY_FAILED(fireGone);
        QCOMPARE(fireGone.error().httpStatus, 404);
        QVERIFY(
            fireGone.error().message.startsWith(u"Firing trigger 't1' failed: 404 Not Found"_s));
    }

    void triggerWithFeedAnnotation()
    {
        Trigger t;
        t.annotations.set(u"feed"_s, u"/whisk.system/alarms/alarm"_s);
        auto created = await<Trigger>([&](QObject *ctx, auto done) {
            m_client->putTrigger(qn(u"tfeed"_s), t, false, ctx, done);
        });
        VERIFY_OK(created);
        QCOMPARE(created->feed(), u"/whisk.system/alarms/alarm"_s);
        Trigger bad;
        bad.annotations.set(u"feed"_s, 7);
        auto rejected = await<Trigger>([&](QObject *ctx, auto done) {
            m_client->putTrigger(qn(u"tbadfeed"_s), bad, false, ctx, done);
        });
        VERIFY_FAILED(rejected);
        QCOMPARE(rejected.error().httpStatus, 400);
        QCOMPARE(rejected.error().whiskError, u"Feed name is not valid"_s);
    }

    // ---------------------------------------------------------------- activations

    void activations()
    {
        seedAction(u"logger"_s, u"function main(p) { console.log('line1'); return {n: p.n}; }"_s);
        seedAction(u"logfail"_s, u"function main() { return {error: 'nope'}; }"_s);
        auto ok = invokeBlocking(u"logger"_s, QJsonObject{{u"n"_s, 5}});
        VERIFY_OK(ok);
        QVERIFY(ok->finished);
        const QString id = ok->activationId;
        auto failed = invokeBlocking(u"logfail"_s);
        VERIFY_OK(failed);
        const QString failedId = failed->activationId;

        // List with a name filter: summaries.
        ActivationFilter filter;
        filter.name = u"logger"_s;
        filter.limit = 5;
        auto summaries = await<QList<ActivationRecord>>(
            [&](QObject *ctx, auto done) { m_client->listActivations(filter, ctx, done); });
        VERIFY_OK(summaries);
        QVERIFY(!summaries->isEmpty());
        QVERIFY(summaries->size() <= 5);
        bool found = false;
        for (const ActivationRecord &a : *summaries) {
            QCOMPARE(a.name, u"logger"_s);
            if (a.activationId == id) {
                found = true;
                QVERIFY(a.raw.contains(u"statusCode"_s));
                QVERIFY(!a.raw.contains(u"response"_s));
                QCOMPARE(a.statusCode, 0);
                QVERIFY(a.success);
                QVERIFY(a.status.isEmpty());
                QVERIFY(a.start > 0);
                QVERIFY(a.end >= a.start);
            }
        }
        QVERIFY(found);

        // Failed summary: statusCode 1, not success.
        filter.name = u"logfail"_s;
        auto failedSummaries = await<QList<ActivationRecord>>(
            [&](QObject *ctx, auto done) { m_client->listActivations(filter, ctx, done); });
        VERIFY_OK(failedSummaries);
        QCOMPARE(failedSummaries->size(), 1);
        QCOMPARE(failedSummaries->first().activationId, failedId);
        QCOMPARE(failedSummaries->first().statusCode, 1);
        QVERIFY(!failedSummaries->first().success);

        // Limit 1 across everything; docs=true gives full records.
        ActivationFilter one;
        one.limit = 1;
        auto limited = await<QList<ActivationRecord>>(
            [&](QObject *ctx, auto done) { m_client->listActivations(one, ctx, done); });
        VERIFY_OK(limited);
        QCOMPARE(limited->size(), 1);
        ActivationFilter docs;
        docs.name = u"logger"_s;
        docs.docs = true;
        auto full = await<QList<ActivationRecord>>(
            [&](QObject *ctx, auto done) { m_client->listActivations(docs, ctx, done); });
        VERIFY_OK(full);
        QVERIFY(!full->isEmpty());
        QCOMPARE(full->first().status, u"success"_s);
        QVERIFY(full->first().success);
        QCOMPARE(full->first().statusCode, 0);
        QCOMPARE(full->first().result.toObject().value(u"n"_s).toInt(), 5);

        // since/upto in milliseconds: a window in the future is empty.
        ActivationFilter future;
        future.name = u"logger"_s;
        future.since = QDateTime::currentMSecsSinceEpoch() + 3600000;
        auto none = await<QList<ActivationRecord>>(
            [&](QObject *ctx, auto done) { m_client->listActivations(future, ctx, done); });
        VERIFY_OK(none);
        QVERIFY(none->isEmpty());
        ActivationFilter window;
        window.name = u"logger"_s;
        window.since = ok->record->start - 1;
        window.upto = ok->record->start + 1;
        auto inWindow = await<QList<ActivationRecord>>(
            [&](QObject *ctx, auto done) { m_client->listActivations(window, ctx, done); });
        VERIFY_OK(inWindow);
        QCOMPARE(inWindow->size(), 1);

        // get: the full record.
        auto record = await<ActivationRecord>(
            [&](QObject *ctx, auto done) { m_client->getActivation(id, ctx, done); });
        VERIFY_OK(record);
        QCOMPARE(record->activationId, id);
        QCOMPARE(record->status, u"success"_s);
        QVERIFY(record->success);
        QCOMPARE(record->statusCode, 0);
        QCOMPARE(record->ns, u"guest"_s);
        QCOMPARE(record->subject, u"guest"_s);
        QCOMPARE(record->result.toObject().value(u"n"_s).toInt(), 5);
        QCOMPARE(record->logs.size(), 1);
        QVERIFY2(record->logs.first().contains(u"line1"_s), qPrintable(record->logs.first()));
        QVERIFY(record->duration >= 0);
        QCOMPARE(record->path(), u"guest/logger"_s);

        auto failedRecord = await<ActivationRecord>(
            [&](QObject *ctx, auto done) { m_client->getActivation(failedId, ctx, done); });
        VERIFY_OK(failedRecord);
        QCOMPARE(failedRecord->status, u"application error"_s);
        QVERIFY(!failedRecord->success);
        QCOMPARE(failedRecord->statusCode, 1);

        // logs and result
        auto logs = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->activationLogs(id, ctx, done); });
        VERIFY_OK(logs);
        QCOMPARE(logs->size(), 1);
        QVERIFY(logs->first().contains(u"line1"_s));
        auto result = await<QJsonObject>(
            [&](QObject *ctx, auto done) { m_client->activationResult(id, ctx, done); });
        VERIFY_OK(result);
        QCOMPARE(result->value(u"result"_s), QJsonValue(QJsonObject{{u"n"_s, 5}}));
        QCOMPARE(result->value(u"success"_s), QJsonValue(true));
        QCOMPARE(result->value(u"status"_s), QJsonValue(u"success"_s));

        // Error paths.
        auto malformed = await<ActivationRecord>(
            [&](QObject *ctx, auto done) { m_client->getActivation(u"nope"_s, ctx, done); });
        VERIFY_FAILED(malformed);
        QCOMPARE(malformed.error().httpStatus, 400);
        const QString unknown(32, u'0');
        auto missing = await<ActivationRecord>(
            [&](QObject *ctx, auto done) { m_client->getActivation(unknown, ctx, done); });
        VERIFY_FAILED(missing);
        QCOMPARE(missing.error().httpStatus, 404);
        QCOMPARE(missing.error().message,
                 u"Reading activation %1 failed: 404 Not Found — The requested resource does "
                 "not exist."_s.arg(unknown));
        auto missingLogs = await<QStringList>(
            [&](QObject *ctx, auto done) { m_client->activationLogs(unknown, ctx, done); });
        VERIFY_FAILED(missingLogs);
        QCOMPARE(missingLogs.error().httpStatus, 404);
        auto missingResult = await<QJsonObject>(
            [&](QObject *ctx, auto done) { m_client->activationResult(unknown, ctx, done); });
        VERIFY_FAILED(missingResult);
        QCOMPARE(missingResult.error().httpStatus, 404);
        ActivationFilter badLimit;
        badLimit.limit = 500;
        auto tooMany = await<QList<ActivationRecord>>(
            [&](QObject *ctx, auto done) { m_client->listActivations(badLimit, ctx, done); });
        VERIFY_FAILED(tooMany);
        QCOMPARE(tooMany.error().httpStatus, 400);
        QVERIFY(
            tooMany.error().message.startsWith(u"Listing activations failed: 400 Bad Request"_s));
    }
};

QTEST_GUILESS_MAIN(TestWhiskClientTriggers)
#include "tst_whiskclienttriggers.moc"
