// SPDX-License-Identifier: GPL-3.0-or-later
// Blueprints (model/blueprints.h) against a real feedscope-engine and the sample event service:
// for each feed pattern the blueprint deploys, an emitted event reaches the handler action, and
// teardown leaves nothing behind; a deploy that fails midway undoes what it created; every step
// has its wsk command.
#include "blueprintdeployer.h"
#include "blueprints.h"
#include "enginefixture.h"
#include "feedtesting.h"
#include "serviceprocess.h"
#include "whiskclient.h"

#include <QJsonDocument>
#include <QTest>
#include <QUuid>

#include <functional>
#include <optional>

using namespace Feedscope;
using namespace Feedscope::Testing;

namespace {

constexpr int slowMs = 90000; // deploys with real runtimes and alarms: a generous deadline

const QString resources = QStringLiteral(FEEDSCOPE_RESOURCES_DIR);

QString entityPath(const PlannedEntity &e)
{
    switch (e.kind) {
    case PlannedEntity::Kind::Package:
    case PlannedEntity::Kind::Binding: return api(QStringLiteral("packages/") + e.name);
    case PlannedEntity::Kind::Action: return api(QStringLiteral("actions/") + e.name);
    case PlannedEntity::Kind::Trigger: return api(QStringLiteral("triggers/") + e.name);
    case PlannedEntity::Kind::Rule: return api(QStringLiteral("rules/") + e.name);
    }
    return {};
}

} // namespace

class TestBlueprints : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    ServiceProcess m_service;
    WhiskClientPtr m_client;

    Blueprint build(FeedPattern pattern, const QString &name, const QString &target = {})
    {
        BlueprintInputs in;
        in.pattern = pattern;
        in.name = name;
        in.sourceUrl = pattern == FeedPattern::Connection
                           ? m_service.baseUrl() + QStringLiteral("/stream")
                           : m_service.baseUrl();
        in.targetAction = target;
        auto bp = Blueprint::build(in);
        if (!bp)
            qFatal("blueprint: %s", qPrintable(bp.error().message));
        return bp.value();
    }

    std::optional<DeployReport> run(const DeployPlan &plan, bool teardown)
    {
        BlueprintDeployer deployer(m_client);
        std::optional<DeployReport> report;
        if (teardown)
            deployer.teardown(plan, this, [&](DeployReport r) { report = r; });
        else
            deployer.deploy(plan, this, [&](DeployReport r) { report = r; });
        waitFor([&] { return report.has_value(); }, 150000);
        return report;
    }

    QJsonArray webhooksFor(const QString &trigger)
    {
        QByteArray body;
        const int status = ServiceProcess::httpRequest(
            "GET", m_service.baseUrl() + QStringLiteral("/webhooks"), {}, &body);
        QJsonArray mine;
        if (status != 200)
            return mine;
        const QJsonArray all
            = QJsonDocument::fromJson(body).object().value(QLatin1String("webhooks")).toArray();
        for (const QJsonValue &hook : all) {
            if (hook.toObject()
                    .value(QLatin1String("url"))
                    .toString()
                    .endsWith(QStringLiteral("/triggers/") + trigger))
                mine.append(hook);
        }
        return mine;
    }

    void emitEvent(const QString &marker) { QVERIFY(emitMarkedEvent(m_service.baseUrl(), marker)); }

    bool handlerSaw(const QString &action, const QString &marker)
    {
        return activationsOfCarry(m_engine, action, marker);
    }

    void verifyAllExist(const Blueprint &bp)
    {
        for (const PlannedEntity &e : bp.entities) {
            const HttpResult r = m_engine.get(entityPath(e));
            QVERIFY2(r.status == 200,
                     qPrintable(QStringLiteral("%1 '%2': HTTP %3")
                                    .arg(entityKindName(e.kind), e.name)
                                    .arg(r.status)));
        }
    }

    void verifyAllGone(const Blueprint &bp)
    {
        for (const PlannedEntity &e : bp.entities) {
            const HttpResult r = m_engine.get(entityPath(e));
            QVERIFY2(r.status == 404,
                     qPrintable(QStringLiteral("%1 '%2' still there: HTTP %3")
                                    .arg(entityKindName(e.kind), e.name)
                                    .arg(r.status)));
        }
    }

    void deployAndVerify(const Blueprint &bp, const DeployPlan &plan)
    {
        const auto report = run(plan, false);
        QVERIFY2(report.has_value(), "the deploy never finished");
        QVERIFY2(report->ok, qPrintable(report->summary()));
        QCOMPARE(report->steps.size(), plan.steps.size());
        for (const StepOutcome &o : report->steps)
            QCOMPARE(o.state, StepOutcome::State::Done);
        verifyAllExist(bp);
    }

    void teardownAndVerify(const Blueprint &bp, const DeployPlan &plan)
    {
        const auto report = run(plan, true);
        QVERIFY2(report.has_value(), "the teardown never finished");
        QVERIFY2(report->ok, qPrintable(report->summary()));
        for (const StepOutcome &o : report->steps)
            QCOMPARE(o.state, StepOutcome::State::Undone);
        verifyAllGone(bp);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        QVERIFY2(
            m_service.startEventService(resources + QStringLiteral("/samples/event-service.js")),
            qPrintable(m_service.errorString()));
        m_client = WhiskClient::create({});
        m_client->setEndpoint(
            WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")});
    }

    void cleanupTestCase()
    {
        m_service.stop();
        m_engine.stop();
    }

    void blueprintShapes_data()
    {
        QTest::addColumn<int>("pattern");
        QTest::addColumn<QStringList>("expected"); // kind:name in deploy order
        QTest::newRow("hook") << int(FeedPattern::Hook)
                              << QStringList{QStringLiteral("package:orders-feed"),
                                             QStringLiteral("action:orders-feed/feed"),
                                             QStringLiteral("action:orders-handler"),
                                             QStringLiteral("trigger:orders"),
                                             QStringLiteral("rule:orders-rule")};
        QTest::newRow("polling") << int(FeedPattern::Polling)
                                 << QStringList{QStringLiteral("binding:orders-alarms"),
                                                QStringLiteral("package:orders-feed"),
                                                QStringLiteral("action:orders-feed/feed"),
                                                QStringLiteral("action:orders-handler"),
                                                QStringLiteral("trigger:orders"),
                                                QStringLiteral("rule:orders-rule")};
        QTest::newRow("connection") << int(FeedPattern::Connection)
                                    << QStringList{QStringLiteral("package:orders-feed"),
                                                   QStringLiteral("action:orders-feed/feed"),
                                                   QStringLiteral("action:orders-handler"),
                                                   QStringLiteral("trigger:orders"),
                                                   QStringLiteral("rule:orders-rule")};
    }
    void blueprintShapes()
    {
        QFETCH(int, pattern);
        QFETCH(QStringList, expected);
        const Blueprint bp = build(FeedPattern(pattern), QStringLiteral("orders"));
        QStringList actual;
        for (const PlannedEntity &e : bp.entities)
            actual.append(entityKindName(e.kind) + u':' + e.name);
        QCOMPARE(actual, expected);

        const PlannedEntity *feed
            = bp.find(QStringLiteral("orders-feed/feed"), PlannedEntity::Kind::Action);
        QVERIFY(feed);
        QCOMPARE(feed->action().annotations.value(QStringLiteral("feed")), QJsonValue(true));
        QVERIFY(feed->action().code.contains(QStringLiteral("lifecycleEvent")));
        const PlannedEntity *trigger
            = bp.find(QStringLiteral("orders"), PlannedEntity::Kind::Trigger);
        QVERIFY(trigger);
        QCOMPARE(trigger->feed, QStringLiteral("orders-feed/feed"));
        QCOMPARE(trigger->trigger().feed(), QStringLiteral("/_/orders-feed/feed"));
        const Rule rule = bp.find(QStringLiteral("orders-rule"), PlannedEntity::Kind::Rule)->rule();
        QCOMPARE(rule.trigger, QStringLiteral("/_/orders"));
        QCOMPARE(rule.action, QStringLiteral("/_/orders-handler"));

        // Every step has a non-empty wsk command naming its entity, and an undo command.
        const DeployPlan plan = DeployPlan::fromBlueprint(bp);
        QCOMPARE(plan.steps.size(), bp.entities.size());
        for (const DeployStep &s : plan.steps) {
            QVERIFY(s.wskCommand.startsWith(QStringLiteral("wsk ")));
            QVERIFY2(s.wskCommand.contains(s.entity.name), qPrintable(s.wskCommand));
            QVERIFY2(s.undoWskCommand.contains(s.entity.name), qPrintable(s.undoWskCommand));
            QVERIFY(!s.description.isEmpty());
        }
        QCOMPARE(plan.steps.last().wskCommand,
                 QStringLiteral("wsk rule create orders-rule orders orders-handler"));
        const QString triggerCommand = plan.steps.at(plan.steps.size() - 2).wskCommand;
        QVERIFY2(triggerCommand.startsWith(
                     QStringLiteral("wsk trigger create orders --feed orders-feed/feed")),
                 qPrintable(triggerCommand));
        QVERIFY(plan.wskScript().contains(plan.steps.first().wskCommand));
        QVERIFY(plan.teardownScript().indexOf(QStringLiteral("wsk rule delete orders-rule"))
                < plan.teardownScript().indexOf(QStringLiteral("wsk trigger delete orders")));
    }

    void wskCommands()
    {
        const Blueprint polling = build(FeedPattern::Polling, QStringLiteral("orders"));
        const DeployPlan plan = DeployPlan::fromBlueprint(polling);
        QCOMPARE(
            plan.steps.at(0).wskCommand,
            QStringLiteral("wsk package bind /whisk.system/alarms orders-alarms -a description "
                           "'Alarms for the polling feed of '\\''orders'\\'''"));
        QVERIFY2(
            plan.steps.at(1).wskCommand.startsWith(
                QStringLiteral("wsk package create orders-feed -p alarmFeed /_/orders-alarms/alarm "
                               "-p serviceUrl ")
                + m_service.baseUrl()),
            qPrintable(plan.steps.at(1).wskCommand));
        QVERIFY(plan.steps.at(2).wskCommand.startsWith(
            QStringLiteral("wsk action create orders-feed/feed feed.js --kind nodejs:20 -a ")));
        QVERIFY(plan.steps.at(2).wskCommand.contains(QStringLiteral(" -a feed true")));
        QCOMPARE(plan.steps.at(4).wskCommand,
                 QStringLiteral(
                     "wsk trigger create orders --feed orders-feed/feed -p cron '*/2 * * * * *'"));
        QCOMPARE(plan.steps.at(4).undoWskCommand, QStringLiteral("wsk trigger delete orders"));

        BlueprintInputs in;
        in.pattern = FeedPattern::Connection;
        in.name = QStringLiteral("s");
        in.sourceUrl = QStringLiteral("http://h:1/stream");
        in.targetAction = QStringLiteral("lib/act");
        in.credentials = QJsonObject{{QStringLiteral("Authorization"), QStringLiteral("Bearer x")}};
        const auto conn = Blueprint::build(in);
        QVERIFY(conn.ok());
        const DeployPlan cp = DeployPlan::fromBlueprint(conn.value());
        QCOMPARE(cp.steps.size(), 4); // no handler: the target exists
        QCOMPARE(cp.steps.at(2).wskCommand,
                 QStringLiteral("wsk trigger create s --feed s-feed/feed -p headers "
                                "'{\"Authorization\":\"Bearer x\"}' -p url http://h:1/stream"));
        QCOMPARE(cp.steps.at(3).wskCommand, QStringLiteral("wsk rule create s-rule s lib/act"));
    }

    void relativeToWritesReferencesAsAUserOfTheNamespace()
    {
        const PlannedEntity rule = PlannedEntity::makeRule(
            QStringLiteral("r"), QStringLiteral("/guest/t"), QStringLiteral("/other/a"), {});
        const PlannedEntity relative = rule.relativeTo(QStringLiteral("guest"));
        QCOMPARE(relative.body.value(QLatin1String("trigger")).toString(), QStringLiteral("t"));
        QCOMPARE(relative.body.value(QLatin1String("action")).toString(),
                 QStringLiteral("/other/a")); // another namespace stays absolute
        QCOMPARE(wskCreateCommand(relative), QStringLiteral("wsk rule create r t /other/a"));

        const PlannedEntity sequence = PlannedEntity::makeSequence(
            QStringLiteral("s"), {QStringLiteral("/guest/p/a"), QStringLiteral("/_/b")}, {});
        QCOMPARE(sequence.relativeTo(QStringLiteral("guest"))
                     .body.value(QLatin1String("exec"))
                     .toObject()
                     .value(QLatin1String("components"))
                     .toArray(),
                 (QJsonArray{QStringLiteral("p/a"), QStringLiteral("b")}));

        const PlannedEntity trigger = PlannedEntity::makeTrigger(
            QStringLiteral("t"), QStringLiteral("/guest/f/feed"), {}, {});
        QCOMPARE(trigger.relativeTo(QStringLiteral("guest")).feed, QStringLiteral("f/feed"));
        QCOMPARE(trigger.relativeTo(QStringLiteral("other")).feed, QStringLiteral("/guest/f/feed"));
    }

    void rejectsBadInputs()
    {
        BlueprintInputs in;
        in.name = QStringLiteral("bad name!");
        in.sourceUrl = QStringLiteral("http://x");
        QVERIFY(!Blueprint::build(in).ok());
        in.name = QStringLiteral("good");
        in.sourceUrl = QStringLiteral("not a url");
        QVERIFY(!Blueprint::build(in).ok());
        in.sourceUrl = QStringLiteral("http://x");
        QVERIFY(!Blueprint::build(in, QStringLiteral("/nonexistent/templates")).ok());
        QVERIFY(Blueprint::build(in).ok());
    }

    void hookDeployAndTeardown()
    {
        const Blueprint bp = build(FeedPattern::Hook, QStringLiteral("hookdemo"));
        const DeployPlan plan = DeployPlan::fromBlueprint(bp);
        deployAndVerify(bp, plan);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(webhooksFor(QStringLiteral("hookdemo")).size(), 1);

        const QString marker = QUuid::createUuid().toString(QUuid::WithoutBraces);
        emitEvent(marker);
        QVERIFY2(
            waitFor([&] { return handlerSaw(QStringLiteral("hookdemo-handler"), marker); }, slowMs),
            "the handler never saw the event");

        teardownAndVerify(bp, plan);
        QCOMPARE(webhooksFor(QStringLiteral("hookdemo")).size(), 0);
    }

    void pollingDeployAndTeardown()
    {
        const Blueprint bp = build(FeedPattern::Polling, QStringLiteral("polldemo"));
        const DeployPlan plan = DeployPlan::fromBlueprint(bp);
        deployAndVerify(bp, plan);
        if (QTest::currentTestFailed())
            return;
        // The feed's CREATE built the polling machine next to the trigger.
        QCOMPARE(m_engine.get(api(QStringLiteral("triggers/polldemo-tick"))).status, 200);
        QCOMPARE(m_engine.get(api(QStringLiteral("actions/polldemo-poll"))).status, 200);
        QCOMPARE(m_engine.get(api(QStringLiteral("rules/polldemo-poll-rule"))).status, 200);
        QCOMPARE(m_engine.get(api(QStringLiteral("triggers/polldemo-tick")))
                     .object()
                     .value(QLatin1String("annotations"))
                     .toArray()
                     .contains(QJsonObject{
                         {QStringLiteral("key"), QStringLiteral("feed")},
                         {QStringLiteral("value"), QStringLiteral("/_/polldemo-alarms/alarm")}}),
                 true);

        const QString marker = QUuid::createUuid().toString(QUuid::WithoutBraces);
        emitEvent(marker);
        QVERIFY2(
            waitFor([&] { return handlerSaw(QStringLiteral("polldemo-handler"), marker); }, slowMs),
            "the handler never saw the event");

        teardownAndVerify(bp, plan);
        QCOMPARE(m_engine.get(api(QStringLiteral("triggers/polldemo-tick"))).status, 404);
        QCOMPARE(m_engine.get(api(QStringLiteral("actions/polldemo-poll"))).status, 404);
        QCOMPARE(m_engine.get(api(QStringLiteral("rules/polldemo-poll-rule"))).status, 404);
    }

    void connectionDeployAndTeardown()
    {
        const Blueprint bp = build(FeedPattern::Connection, QStringLiteral("conndemo"));
        const DeployPlan plan = DeployPlan::fromBlueprint(bp);
        deployAndVerify(bp, plan);
        if (QTest::currentTestFailed())
            return;
        const QString provider = QStringLiteral("/feedscope/v1/providers/sse/feeds/guest/conndemo");
        QCOMPARE(m_engine.get(provider).status, 200);

        // The provider connects asynchronously; emit until one event comes through.
        const QString marker = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QVERIFY2(waitFor(
                     [&] {
                         emitEvent(marker);
                         return waitFor(
                             [&] { return handlerSaw(QStringLiteral("conndemo-handler"), marker); },
                             3000);
                     },
                     slowMs),
                 "the handler never saw the event");

        teardownAndVerify(bp, plan);
        QCOMPARE(m_engine.get(provider).status, 404);
    }

    void failedDeployIsUndone()
    {
        // The rule's target does not exist: the last step fails, everything before it is undone,
        // including the feed's registration at the service.
        const Blueprint bp = build(
            FeedPattern::Hook, QStringLiteral("faildemo"), QStringLiteral("no-such-action"));
        const DeployPlan plan = DeployPlan::fromBlueprint(bp);
        const auto report = run(plan, false);
        QVERIFY(report.has_value());
        QVERIFY(!report->ok);
        QCOMPARE(report->failedStep, int(plan.steps.size()) - 1);
        QCOMPARE(report->steps.last().state, StepOutcome::State::Failed);
        QVERIFY2(report->error.contains(QStringLiteral("faildemo-rule")),
                 qPrintable(report->error));
        QCOMPARE(report->rolledBack.size(), plan.steps.size() - 1);
        QVERIFY2(report->problems.isEmpty(), qPrintable(report->summary()));
        for (int i = 0; i < plan.steps.size() - 1; ++i)
            QCOMPARE(report->steps.at(i).state, StepOutcome::State::Undone);
        verifyAllGone(bp);
        QCOMPARE(webhooksFor(QStringLiteral("faildemo")).size(), 0);
    }

    void existingEntityIsNotTouched()
    {
        // A name clash stops the deploy at once and must not remove what was there before.
        const Blueprint bp = build(FeedPattern::Connection, QStringLiteral("clash"));
        QCOMPARE(m_engine.put(api(QStringLiteral("packages/clash-feed")), QJsonObject{}).status,
                 200);
        const auto report = run(DeployPlan::fromBlueprint(bp), false);
        QVERIFY(report.has_value());
        QVERIFY(!report->ok);
        QCOMPARE(report->failedStep, 0);
        QVERIFY(report->rolledBack.isEmpty());
        QCOMPARE(m_engine.get(api(QStringLiteral("packages/clash-feed"))).status, 200);
        QCOMPARE(m_engine.del(api(QStringLiteral("packages/clash-feed"))).status, 200);
    }

    void failingFeedRollsBackTheTrigger()
    {
        // The SSE provider refuses a non-http URL: the trigger PUT succeeded, the feed's CREATE
        // fails, and the trigger is removed again before the earlier steps are undone.
        Blueprint bp = build(FeedPattern::Connection, QStringLiteral("badfeed"));
        for (PlannedEntity &e : bp.entities) {
            if (e.kind == PlannedEntity::Kind::Trigger)
                e.feedParameters.insert(QStringLiteral("url"), QStringLiteral("ftp://nowhere/x"));
        }
        const DeployPlan plan = DeployPlan::fromBlueprint(bp);
        const auto report = run(plan, false);
        QVERIFY(report.has_value());
        QVERIFY(!report->ok);
        QCOMPARE(plan.steps.at(report->failedStep).entity.kind, PlannedEntity::Kind::Trigger);
        QVERIFY2(report->error.contains(QStringLiteral("trigger removed")),
                 qPrintable(report->error));
        verifyAllGone(bp);
    }

    void teardownToleratesMissingEntities()
    {
        const Blueprint bp = build(FeedPattern::Hook, QStringLiteral("nothing"));
        const auto report = run(DeployPlan::fromBlueprint(bp), true);
        QVERIFY(report.has_value());
        QVERIFY2(report->ok, qPrintable(report->summary()));
        for (const StepOutcome &o : report->steps)
            QCOMPARE(o.state, StepOutcome::State::Absent);
    }
};

QTEST_GUILESS_MAIN(TestBlueprints)
#include "tst_blueprints.moc"
