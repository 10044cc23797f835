// SPDX-License-Identifier: GPL-3.0-or-later
// The Feed Designer (widgets/designer/) driven as a user drives it, offscreen, against a real
// engine and the sample event service: each pattern's wizard deploys, an event from the service
// reaches the rule's action, a test event is followed to the action's activation, and undo
// removes everything; cancel mid-deploy and a failing step leave nothing behind; fields are
// checked as they are typed and the schedule preview shows the alarms provider's fire times.
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "designer/designerdeploypage.h"
#include "designer/designerinputspage.h"
#include "designer/designerreviewpage.h"
#include "designer/feeddesigner.h"
#include "designer/schedulepreview.h"
#include "editors/feedform.h"
#include "serviceprocess.h"
#include "webhookrelay.h"
#include "widgettesting.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUuid>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

namespace {

const QString resources = QStringLiteral(FEEDSCOPE_RESOURCES_DIR);

} // namespace

class TestFeedDesigner : public QObject
{
    Q_OBJECT

    EngineProcess m_engine;
    ServiceProcess m_service;
    HttpJournal m_journal;
    std::unique_ptr<Session> m_session;

    std::unique_ptr<FeedDesigner> open(DesignKind kind)
    {
        auto designer = std::make_unique<FeedDesigner>(kind, m_session.get(), m_service.baseUrl());
        designer->show();
        return designer;
    }

    // Intro → inputs, with the trigger name typed.
    static void toInputs(FeedDesigner &designer, const QString &name)
    {
        QCOMPARE(designer.currentId(), int(FeedDesigner::IntroPageId));
        designer.next();
        QCOMPARE(designer.currentId(), int(FeedDesigner::InputsPageId));
        QLineEdit *edit = designer.inputsPage()->nameEdit();
        edit->clear();
        QTest::keyClicks(edit, name);
    }

    static bool nextEnabled(FeedDesigner &designer)
    {
        QAbstractButton *next = designer.button(
            designer.currentPage()->isCommitPage() ? QWizard::CommitButton : QWizard::NextButton);
        return designer.currentPage()->isComplete() && next && next->isEnabled();
    }

    static void deploy(FeedDesigner &designer)
    {
        QVERIFY2(nextEnabled(designer),
                 qPrintable(designer.inputsPage()->problem(QStringLiteral("name"))));
        designer.next();
        QCOMPARE(designer.currentId(), int(FeedDesigner::ReviewPageId));
        designer.next();
        QCOMPARE(designer.currentId(), int(FeedDesigner::DeployPageId));
        DesignerDeployPage *page = designer.deployPage();
        QVERIFY(waitUntil([page] { return !page->isBusy(); }));
        QVERIFY2(page->state() == DesignerDeployPage::State::Deployed,
                 qPrintable(page->lastReport().summary()));
    }

    void emitEvent(const QString &marker) { QVERIFY(emitMarkedEvent(m_service.baseUrl(), marker)); }

    bool handlerSaw(const QString &action, const QString &marker)
    {
        return activationsOfCarry(m_engine, action, marker);
    }

    // Every entity of the reviewed plan answers `status` to a GET.
    void expectEntities(const DeployPlan &plan, int status)
    {
        for (const DeployStep &step : plan.steps) {
            const PlannedEntity &e = step.entity;
            const QString collection
                = e.kind == PlannedEntity::Kind::Package || e.kind == PlannedEntity::Kind::Binding
                      ? QStringLiteral("packages/")
                  : e.kind == PlannedEntity::Kind::Action  ? QStringLiteral("actions/")
                  : e.kind == PlannedEntity::Kind::Trigger ? QStringLiteral("triggers/")
                                                           : QStringLiteral("rules/");
            const int got = m_engine.get(api(collection + e.name)).status;
            QVERIFY2(got == status,
                     qPrintable(QStringLiteral("%1 %2: %3").arg(collection, e.name).arg(got)));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        QVERIFY2(
            m_service.startEventService(resources + QStringLiteral("/samples/event-service.js")),
            qPrintable(m_service.errorString()));
        m_session = openSession(m_engine, &m_journal, std::make_shared<LifecycleJournal>());
    }

    void cleanupTestCase()
    {
        m_session.reset();
        m_service.stop();
        m_engine.stop();
    }

    void eachPatternDeploysAndAnEventReachesItsAction_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("name");
        QTest::newRow("hook") << int(DesignKind::Hook) << QStringLiteral("dhook");
        QTest::newRow("polling") << int(DesignKind::Polling) << QStringLiteral("dpoll");
        QTest::newRow("connection") << int(DesignKind::Connection) << QStringLiteral("dconn");
    }

    void eachPatternDeploysAndAnEventReachesItsAction()
    {
        QFETCH(int, kind);
        QFETCH(QString, name);
        auto designer = open(DesignKind(kind));
        QVERIFY(designer->diagram()->describe().contains(QStringLiteral("Trigger")));
        toInputs(*designer, name);
        if (DesignKind(kind) == DesignKind::Polling)
            designer->inputsPage()->scheduleEdit()->setText(QStringLiteral("*/2 * * * * *"));
        // The diagram follows the names typed.
        QVERIFY2(designer->diagram()->describe().contains(name + QStringLiteral("-handler")),
                 qPrintable(designer->diagram()->describe()));
        QVERIFY2(unnamedControls(designer.get()).isEmpty(),
                 qPrintable(unnamedControls(designer.get()).join(u' ')));

        QVERIFY(nextEnabled(*designer));
        designer->next();
        DesignerReviewPage *review = designer->reviewPage();
        const DeployPlan plan = review->plan();
        QCOMPARE(review->entityList()->topLevelItemCount(), int(plan.steps.size()));
        // The review shows every request, with the feed's CREATE after the trigger's PUT.
        const QString requests = review->requestsView()->toPlainText();
        QVERIFY(requests.indexOf(QStringLiteral("PUT /api/v1/namespaces/_/triggers/") + name)
                < requests.indexOf(QStringLiteral("\"lifecycleEvent\": \"CREATE\"")));
        QVERIFY(!requests.contains(QString::fromLatin1(guestKey)));
        QVERIFY(review->wskView()->toPlainText().contains(QStringLiteral("wsk trigger create ")
                                                          + name));
        QVERIFY(review->manifestView()->toPlainText().contains(QStringLiteral("project:")));
        QVERIFY2(unnamedControls(designer.get()).isEmpty(),
                 qPrintable(unnamedControls(designer.get()).join(u' ')));
        designer->back();
        deploy(*designer);
        expectEntities(plan, 200);

        // An event from the service reaches the handler (the provider connects asynchronously,
        // so emit until one comes through).
        const QString marker = QUuid::createUuid().toString(QUuid::WithoutBraces);
        int emitted = 0;
        QVERIFY2(waitUntil(
                     [&] {
                         if (emitted++ % 20 == 0)
                             emitEvent(marker);
                         return handlerSaw(name + QStringLiteral("-handler"), marker);
                     },
                     90000),
                 "no event from the service reached the handler");

        // A test event is followed to the action's activation.
        DesignerDeployPage *page = designer->deployPage();
        QVERIFY(page->fireButton()->isVisible());
        bool followed = false;
        connect(page, &DesignerDeployPage::fireFollowed, this, [&followed] { followed = true; });
        QTest::mouseClick(page->fireButton(), Qt::LeftButton);
        QVERIFY(waitUntil([&] { return followed; }));
        QVERIFY2(page->lastFire().actions.size() == 1, qPrintable(page->lastFire().summary()));
        QVERIFY(page->lastFire().actions.first().success);
        QVERIFY(page->fireResult()->text().contains(name + QStringLiteral("-handler")));

        // Undo removes everything, feeds through their DELETE.
        QTest::mouseClick(page->undoButton(), Qt::LeftButton);
        QVERIFY(waitUntil([page] { return !page->isBusy(); }));
        QVERIFY2(page->state() == DesignerDeployPage::State::Undone,
                 qPrintable(page->lastReport().summary()));
        expectEntities(plan, 404);
        QVERIFY(alarmEntry(m_engine, name + QStringLiteral("-tick")).isEmpty());
    }

    void hookThroughTheRelay()
    {
        QTemporaryDir state;
        WebhookRelay relay(state.path());
        relay.setEndpoint(m_session->endpoint());
        QVERIFY2(relay.start(), qPrintable(relay.errorString()));
        auto designer = open(DesignKind::Hook);
        designer->setWebhookRelay(&relay);
        toInputs(*designer, QStringLiteral("drelay"));
        DesignerInputsPage *inputs = designer->inputsPage();
        QVERIFY(inputs->relayButton()->isVisible() && inputs->relayButton()->isEnabled());
        inputs->relayButton()->setChecked(true);
        designer->next();
        // The review shows where the service will deliver.
        const QString hookUrl = relay.hookUrl(QStringLiteral("drelay")).toString();
        QVERIFY2(designer->reviewPage()->requestsView()->toPlainText().contains(hookUrl),
                 qPrintable(hookUrl));
        designer->back();
        deploy(*designer);

        // The service delivers to the relay, which captures the event and fires the trigger.
        const QString marker = QUuid::createUuid().toString(QUuid::WithoutBraces);
        emitEvent(marker);
        QVERIFY2(waitUntil([&] { return handlerSaw(QStringLiteral("drelay-handler"), marker); }),
                 "the relayed event never reached the handler");
        bool captured = false;
        for (const WebhookCapture &c : relay.captures()) {
            captured
                = captured
                  || (c.request.trigger == u"drelay" && c.request.body.contains(marker.toUtf8())
                      && c.outcome() == WebhookCapture::Outcome::Fired);
        }
        QVERIFY(captured);

        // Undo removes the registration the feed made at the service (its DELETE found it).
        DesignerDeployPage *page = designer->deployPage();
        QTest::mouseClick(page->undoButton(), Qt::LeftButton);
        QVERIFY(waitUntil([page] { return !page->isBusy(); }));
        QCOMPARE(page->state(), DesignerDeployPage::State::Undone);
        QByteArray hooks;
        QCOMPARE(ServiceProcess::httpRequest(
                     "GET", m_service.baseUrl() + QStringLiteral("/webhooks"), {}, &hooks),
                 200);
        QVERIFY2(!hooks.contains(hookUrl.toUtf8()), hooks.constData());
    }

    void fieldsAreCheckedAsTyped()
    {
        auto designer = open(DesignKind::Polling);
        toInputs(*designer, QStringLiteral("checked"));
        DesignerInputsPage *inputs = designer->inputsPage();
        QVERIFY(nextEnabled(*designer));
        // The preview shows the provider's next ten fire times, two seconds apart.
        inputs->scheduleEdit()->setText(QStringLiteral("*/2 * * * * *"));
        const QList<QDateTime> fires = inputs->schedulePreview()->fires();
        QCOMPARE(fires.size(), SchedulePreview::shownFires);
        QCOMPARE(inputs->schedulePreview()->list()->count(), SchedulePreview::shownFires);
        for (int i = 1; i < fires.size(); ++i)
            QCOMPARE(fires.at(i - 1).msecsTo(fires.at(i)), 2000);
        // A bad cron shows the provider's words and blocks Next.
        inputs->scheduleEdit()->setText(QStringLiteral("*/2 * * 13 *"));
        QVERIFY(!nextEnabled(*designer));
        QVERIFY2(inputs->problem(QStringLiteral("schedule")).contains(QStringLiteral("13")),
                 qPrintable(inputs->problem(QStringLiteral("schedule"))));
        inputs->scheduleEdit()->setText(QStringLiteral("0 9 * * 1-5"));
        QVERIFY(nextEnabled(*designer));
        inputs->sourceEdit()->setText(QStringLiteral("ftp://nowhere"));
        QVERIFY(!nextEnabled(*designer));
        QVERIFY(!inputs->problem(QStringLiteral("source")).isEmpty());
        inputs->sourceEdit()->setText(m_service.baseUrl());
        inputs->nameEdit()->setText(QStringLiteral("bad/name"));
        QVERIFY(!nextEnabled(*designer));
        QVERIFY(!inputs->problem(QStringLiteral("name")).isEmpty());
        // A name whose entities exist already is refused: a deploy never overwrites.
        QCOMPARE(m_engine.put(api(QStringLiteral("triggers/taken")), QJsonObject{}).status, 200);
        m_session->refresh();
        inputs->nameEdit()->setText(QStringLiteral("taken"));
        // The page checks again when the namespace reloads.
        const bool refused = waitUntil([&] {
            return inputs->problem(QStringLiteral("name")).contains(QStringLiteral("exists"));
        });
        QVERIFY2(refused, qPrintable(inputs->problem(QStringLiteral("name"))));
        QVERIFY(!nextEnabled(*designer));
        QCOMPARE(m_engine.request("DELETE", api(QStringLiteral("triggers/taken"))).status, 200);
    }

    void aFailingStepRollsBackEverything()
    {
        auto designer = open(DesignKind::Hook);
        toInputs(*designer, QStringLiteral("dfail"));
        designer->next();
        const DeployPlan plan = designer->reviewPage()->plan();
        // The rule's name is taken after the review: its step fails and the deploy rolls back.
        QCOMPARE(m_engine.put(api(QStringLiteral("triggers/other")), QJsonObject{}).status, 200);
        QCOMPARE(m_engine.put(actionPath(QStringLiteral("nothing")), nodeAction()).status, 200);
        QCOMPARE(m_engine
                     .put(api(QStringLiteral("rules/dfail-rule")),
                          QJsonObject{{QStringLiteral("trigger"), QStringLiteral("/_/other")},
                                      {QStringLiteral("action"), QStringLiteral("/_/nothing")}})
                     .status,
                 200);
        designer->next();
        DesignerDeployPage *page = designer->deployPage();
        QVERIFY(waitUntil([page] { return !page->isBusy(); }));
        QCOMPARE(page->state(), DesignerDeployPage::State::Failed);
        QCOMPARE(page->lastReport().failedStep, int(plan.steps.size()) - 1);
        QCOMPARE(page->lastReport().rolledBack.size(), int(plan.steps.size()) - 1);
        QVERIFY(page->redesignButton()->isVisible());
        QCOMPARE(m_engine.get(api(QStringLiteral("triggers/dfail"))).status, 404);
        QCOMPARE(m_engine.get(api(QStringLiteral("packages/dfail-feed"))).status, 404);
        QCOMPARE(m_engine.get(api(QStringLiteral("actions/dfail-handler"))).status, 404);
        QCOMPARE(m_engine.request("DELETE", api(QStringLiteral("rules/dfail-rule"))).status, 200);
        QCOMPARE(m_engine.request("DELETE", api(QStringLiteral("triggers/other"))).status, 200);
        QCOMPARE(m_engine.request("DELETE", actionPath(QStringLiteral("nothing"))).status, 200);
    }

    // Cancelled while the feed trigger's step runs (its PUT and the feed's CREATE, which makes
    // the polling feed's own tick trigger, poll action, rule and alarm): nothing of it is left.
    void cancelMidDeployLeavesNothing()
    {
        auto designer = open(DesignKind::Polling);
        toInputs(*designer, QStringLiteral("dcancel"));
        designer->next();
        const DeployPlan plan = designer->reviewPage()->plan();
        int triggerStep = -1;
        for (int i = 0; i < plan.steps.size(); ++i) {
            if (plan.steps.at(i).entity.hasFeed())
                triggerStep = i;
        }
        QVERIFY(triggerStep > 0);
        DesignerDeployPage *page = designer->deployPage();
        QTreeWidget *steps = page->stepList();
        designer->next();
        QVERIFY(waitUntil([&] {
            return steps->topLevelItemCount() > triggerStep
                   && steps->topLevelItem(triggerStep)->text(0) != QObject::tr("waiting");
        }));
        QTest::mouseClick(page->cancelButton(), Qt::LeftButton);
        QVERIFY(waitUntil([page] { return !page->isBusy(); }));
        QCOMPARE(page->state(), DesignerDeployPage::State::Failed);
        QVERIFY(page->lastReport().cancelled);
        expectEntities(plan, 404);
        for (const char *made :
             {"triggers/dcancel-tick", "actions/dcancel-poll", "rules/dcancel-poll-rule"})
            QCOMPARE(m_engine.get(api(QString::fromLatin1(made))).status, 404);
        QVERIFY(alarmEntry(m_engine, QStringLiteral("dcancel-tick")).isEmpty());
    }

    void closingDuringADeployWaitsForTheRollback()
    {
        auto designer = open(DesignKind::Hook);
        toInputs(*designer, QStringLiteral("dclose"));
        designer->next();
        const DeployPlan plan = designer->reviewPage()->plan();
        designer->next();
        designer->reject(); // the window's close button while the first steps run
        QVERIFY(designer->isVisible() || !designer->deployPage()->isBusy());
        QVERIFY(waitUntil([&] { return !designer->isVisible(); }));
        QVERIFY(!designer->deployPage()->isBusy());
        expectEntities(plan, 404);
        QByteArray hooks;
        QCOMPARE(ServiceProcess::httpRequest(
                     "GET", m_service.baseUrl() + QStringLiteral("/webhooks"), {}, &hooks),
                 200);
        QVERIFY2(!hooks.contains("/triggers/dclose"), hooks.constData());
    }

    void triggerOnAnAlarmsFeedAction()
    {
        auto designer = open(DesignKind::FeedAction);
        toInputs(*designer, QStringLiteral("dalarm"));
        DesignerInputsPage *inputs = designer->inputsPage();
        inputs->feedCombo()->setCurrentText(QStringLiteral("/whisk.system/alarms/alarm"));
        // The form is generated from the feed action's `parameters` annotation.
        QVERIFY(waitUntil(
            [inputs] { return inputs->feedForm()->field(QStringLiteral("cron")) != nullptr; }));
        inputs->feedForm()->field(QStringLiteral("cron"))->setText(QStringLiteral("* * * * * *"));
        QVERIFY(waitUntil([inputs] {
            return inputs->schedulePreview()->fires().size() == SchedulePreview::shownFires;
        }));
        QVERIFY2(unnamedControls(designer.get()).isEmpty(),
                 qPrintable(unnamedControls(designer.get()).join(u' ')));
        deploy(*designer);
        QVERIFY(!alarmEntry(m_engine, QStringLiteral("dalarm")).isEmpty());
        QVERIFY2(waitUntil([&] {
                     return activationsOf(m_engine, QStringLiteral("dalarm-handler")).size() >= 2;
                 }),
                 "the alarm never reached the handler");
        DesignerDeployPage *page = designer->deployPage();
        QTest::mouseClick(page->undoButton(), Qt::LeftButton);
        QVERIFY(waitUntil([page] { return !page->isBusy(); }));
        QCOMPARE(page->state(), DesignerDeployPage::State::Undone);
        QVERIFY(alarmEntry(m_engine, QStringLiteral("dalarm")).isEmpty());
        QCOMPARE(m_engine.get(api(QStringLiteral("triggers/dalarm"))).status, 404);
    }
};

QTEST_MAIN(TestFeedDesigner)
#include "tst_feeddesigner.moc"
