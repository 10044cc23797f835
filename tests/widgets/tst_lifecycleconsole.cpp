// SPDX-License-Identifier: GPL-3.0-or-later
// The lifecycle console (widgets/lifecycle/) driven as a user drives it, against a real engine:
// all six events sent to an alarms feed on a one-second cron, with the provider's state
// following (PAUSE stops the trigger's activations, UNPAUSE resumes them, READ shows the
// status, DELETE removes the provider's entry); the exact request with the key redacted; a
// feed without PAUSE soft-paused and labelled as such.
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "editors/editorarea.h"
#include "editors/triggereditor.h"
#include "explorer/explorerpanel.h"
#include "lifecycle/feedcallview.h"
#include "lifecycle/lifecycleconsole.h"
#include "widgettesting.h"

#include <QAction>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QToolButton>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

class TestLifecycleConsole : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    LifecycleJournalPtr m_lifecycleJournal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<Session> m_session;
    std::unique_ptr<LifecycleConsole> m_console;

    void click(const QString &event)
    {
        auto *button
            = m_console->findChild<QToolButton *>(QStringLiteral("send%1Button").arg(event));
        QVERIFY2(button && button->isEnabled(), qPrintable(event));
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(waitUntil([&] { return !m_console->isBusy(); }));
    }
    // Types into the parameters field as a user does (replacing what is there).
    void typeParameters(const QString &json)
    {
        QPlainTextEdit *edit = m_console->parametersField()->editor();
        edit->setFocus();
        edit->clear();
        QTest::keyClicks(edit, json);
        QVERIFY2(m_console->parametersField()->isValid(),
                 qPrintable(m_console->parametersField()->errorText()));
    }
    int activations(const QString &trigger) { return int(activationsOf(m_engine, trigger).size()); }
    QString callSummary() const { return m_console->callView()->summary()->text(); }
    QString requestText() const { return m_console->callView()->requestText()->toPlainText(); }
    QString ruleStatus(const QString &rule)
    {
        return m_engine.get(api(QStringLiteral("rules/") + rule))
            .object()
            .value(QLatin1String("status"))
            .toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_session = openSession(m_engine, &m_journal, m_lifecycleJournal);
        m_console = std::make_unique<LifecycleConsole>();
        m_console->setSession(m_session.get());
        m_console->resize(1100, 800);
        m_console->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_console.get()));
    }

    void sendsAllSixEventsToAnAlarm()
    {
        // "tick": a feed trigger whose feed has not heard of it yet, with a rule, so that every
        // fire leaves a trigger activation. "control" fires on the same cron the whole time:
        // the clock the pause is judged by, instead of a time limit.
        const QString alarm = QStringLiteral("/whisk.system/alarms/alarm");
        QVERIFY(setUpFeedTrigger(m_engine, QStringLiteral("tick"), alarm, QStringLiteral("echo")));
        QVERIFY(setUpFeedTrigger(
            m_engine, QStringLiteral("control"), alarm, QStringLiteral("echo-control")));
        const FeedCall control
            = invokeSystemFeed(m_engine,
                               QStringLiteral("alarms/alarm"),
                               QStringLiteral("CREATE"),
                               QStringLiteral("control"),
                               {{QStringLiteral("cron"), QStringLiteral("*/1 * * * * *")}});
        QVERIFY2(control.success(), qPrintable(control.describe()));

        m_console->openTrigger(QStringLiteral("tick"));
        QVERIFY(waitUntil([&] { return !m_console->isBusy(); }));
        // No provider entry yet: the READ fails, and the parameters come from the feed action's
        // declared ones.
        QVERIFY2(m_console->feedStatus()->text().contains(QLatin1String("READ failed")),
                 qPrintable(m_console->feedStatus()->text()));
        QVERIFY(waitUntil([&] {
            return m_console->parametersField()->object().contains(QLatin1String("cron"));
        }));

        // CREATE with typed parameters: the exact request, the key redacted; fires follow.
        typeParameters(QStringLiteral("{\"cron\": \"*/1 * * * * *\"}"));
        click(QStringLiteral("CREATE"));
        QVERIFY2(callSummary().startsWith(QLatin1String("success")), qPrintable(callSummary()));
        QVERIFY(callSummary().contains(QLatin1String(" ms")));
        QVERIFY(callSummary().contains(QLatin1String("activation ")));
        QVERIFY2(requestText().startsWith(
                     m_engine.baseUrl().prepend(QStringLiteral("POST "))
                     + QStringLiteral("/api/v1/namespaces/whisk.system/actions/alarms/alarm")),
                 qPrintable(requestText()));
        QVERIFY(requestText().contains(QLatin1String("\"lifecycleEvent\": \"CREATE\"")));
        QVERIFY(requestText().contains(QLatin1String("\"triggerName\": \"/guest/tick\"")));
        QVERIFY(requestText().contains(QLatin1String("\"authKey\": \"***\"")));
        QVERIFY(!requestText().contains(QString::fromLatin1(guestKey.split(':').last())));
        QCOMPARE(alarmEntry(m_engine, QStringLiteral("tick"))
                     .value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("cron"))
                     .toString(),
                 QStringLiteral("*/1 * * * * *"));
        QVERIFY(waitFor([&] { return activations(QStringLiteral("tick")) >= 2; }));

        // READ, merged with the trigger: config, status, rules.
        click(QStringLiteral("READ"));
        QVERIFY2(m_console->feedStatus()->text().startsWith(QLatin1String("Active")),
                 qPrintable(m_console->feedStatus()->text()));
        const QJsonObject merged = m_console->mergedField()->value().toObject();
        QCOMPARE(merged.value(QLatin1String("config")).toObject().value(QLatin1String("cron")),
                 QJsonValue(QStringLiteral("*/1 * * * * *")));
        QCOMPARE(merged.value(QLatin1String("status")).toObject().value(QLatin1String("active")),
                 QJsonValue(true));
        QCOMPARE(
            merged.value(QLatin1String("rules")).toObject().value(QLatin1String("guest/r_tick")),
            QJsonValue(QStringLiteral("active")));
        QVERIFY(requestText().contains(QLatin1String("\"lifecycleEvent\": \"READ\"")));

        // UPDATE: the provider takes the new payload.
        typeParameters(
            QStringLiteral("{\"cron\": \"*/1 * * * * *\", \"trigger_payload\": {\"round\": 2}}"));
        click(QStringLiteral("UPDATE"));
        QVERIFY2(callSummary().startsWith(QLatin1String("success")), qPrintable(callSummary()));
        QCOMPARE(alarmEntry(m_engine, QStringLiteral("tick"))
                     .value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("payload"))
                     .toObject()
                     .value(QLatin1String("round"))
                     .toInt(),
                 2);

        // PAUSE at the feed: the trigger gets no activation while the control gets three.
        click(QStringLiteral("PAUSE"));
        QVERIFY2(m_console->pauseMode()->text().startsWith(QLatin1String("Paused at the feed")),
                 qPrintable(m_console->pauseMode()->text()));
        QVERIFY(requestText().contains(QLatin1String("\"lifecycleEvent\": \"PAUSE\"")));
        // The status follows the provider after every event (a READ of its own).
        QVERIFY2(m_console->feedStatus()->text().startsWith(QLatin1String("Paused at the feed")),
                 qPrintable(m_console->feedStatus()->text()));
        QCOMPARE(alarmEntry(m_engine, QStringLiteral("tick"))
                     .value(QLatin1String("status"))
                     .toObject()
                     .value(QLatin1String("active")),
                 QJsonValue(false));
        int controlSeen = activations(QStringLiteral("control"));
        // A fire already under way when the pause landed is over once the control fired again.
        QVERIFY(waitFor([&] { return activations(QStringLiteral("control")) > controlSeen; }));
        const int paused = activations(QStringLiteral("tick"));
        controlSeen = activations(QStringLiteral("control"));
        QVERIFY(waitFor([&] { return activations(QStringLiteral("control")) >= controlSeen + 3; }));
        QCOMPARE(activations(QStringLiteral("tick")), paused);

        click(QStringLiteral("READ"));
        QVERIFY2(m_console->feedStatus()->text().startsWith(QLatin1String("Paused at the feed")),
                 qPrintable(m_console->feedStatus()->text()));

        // UNPAUSE: fires resume.
        click(QStringLiteral("UNPAUSE"));
        QVERIFY2(m_console->pauseMode()->text().startsWith(QLatin1String("Resumed at the feed")),
                 qPrintable(m_console->pauseMode()->text()));
        QVERIFY(waitFor([&] { return activations(QStringLiteral("tick")) > paused; }));

        // DELETE: the provider forgets the trigger, the trigger stays.
        click(QStringLiteral("DELETE"));
        QVERIFY2(callSummary().startsWith(QLatin1String("success")), qPrintable(callSummary()));
        QVERIFY(requestText().contains(QLatin1String("\"lifecycleEvent\": \"DELETE\"")));
        QVERIFY(alarmEntry(m_engine, QStringLiteral("tick")).isEmpty());
        QCOMPARE(m_engine.get(api(QStringLiteral("triggers/tick"))).status, 200);
        QVERIFY2(m_console->feedStatus()->text().contains(QLatin1String("READ failed")),
                 qPrintable(m_console->feedStatus()->text()));
        // The call view still shows the DELETE, not the status READ that followed it.
        QVERIFY(requestText().contains(QLatin1String("\"lifecycleEvent\": \"DELETE\"")));

        const QStringList unnamed = unnamedControls(m_console.get());
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    }

    void softPauseIsLabelled()
    {
        // A feed that refuses PAUSE and UNPAUSE, as the upstream feeds do.
        FeedMisbehaviour noPause;
        noPause.refused = {QStringLiteral("PAUSE"), QStringLiteral("UNPAUSE")};
        QVERIFY(
            ok(m_engine.put(api(QStringLiteral("actions/nopause")), misbehavingAlarmFeed(noPause)),
               "nopause"));
        QVERIFY(setUpFeedTrigger(m_engine,
                                 QStringLiteral("soft"),
                                 QStringLiteral("/guest/nopause"),
                                 QStringLiteral("echo-soft")));
        m_console->openTrigger(QStringLiteral("soft"));
        QVERIFY(waitUntil([&] { return !m_console->isBusy(); }));
        typeParameters(QStringLiteral("{\"cron\": \"0 0 1 1 *\"}"));
        click(QStringLiteral("CREATE"));
        QVERIFY2(callSummary().startsWith(QLatin1String("success")), qPrintable(callSummary()));

        click(QStringLiteral("PAUSE"));
        QVERIFY2(m_console->pauseMode()->text().startsWith(QLatin1String("Soft pause")),
                 qPrintable(m_console->pauseMode()->text()));
        QVERIFY(m_console->pauseMode()->text().contains(QLatin1String("r_soft")));
        // The refused PAUSE is what the call view shows.
        QVERIFY2(callSummary().contains(QLatin1String("unsupported lifecycleEvent")),
                 qPrintable(callSummary()));
        QCOMPARE(ruleStatus(QStringLiteral("r_soft")), QStringLiteral("inactive"));
        click(QStringLiteral("READ"));
        QVERIFY2(m_console->feedStatus()->text().contains(QLatin1String("Soft-paused")),
                 qPrintable(m_console->feedStatus()->text()));

        click(QStringLiteral("UNPAUSE"));
        QVERIFY2(m_console->pauseMode()->text().startsWith(QLatin1String("Soft pause ended")),
                 qPrintable(m_console->pauseMode()->text()));
        QCOMPARE(ruleStatus(QStringLiteral("r_soft")), QStringLiteral("active"));
    }

    void openedFromTheExplorer()
    {
        // As the main window wires them: the explorer's command names the selected trigger.
        ExplorerPanel explorer;
        explorer.setSession(m_session.get());
        connect(&explorer,
                &ExplorerPanel::lifecycleConsoleRequested,
                m_console.get(),
                &LifecycleConsole::openTrigger);
        QSignalSpy check(&explorer, &ExplorerPanel::checkFeedRequested);
        QVERIFY(waitUntil([&] {
            return explorer.selectEntity(
                EntityRef{ExplorerEntry::Kind::Trigger, QStringLiteral("tick")});
        }));
        QVERIFY(waitUntil([&] { return explorer.lifecycleConsoleAction()->isEnabled(); }));
        explorer.lifecycleConsoleAction()->trigger();
        QCOMPARE(m_console->triggerCombo()->currentText(), QStringLiteral("tick"));
        QVERIFY(waitUntil([&] { return !m_console->isBusy(); }));
        QVERIFY(m_console->eventAction(QStringLiteral("READ"))->isEnabled());
        explorer.checkFeedAction()->trigger();
        QCOMPARE(check.size(), 1);
        QCOMPARE(check.first().first().toString(), QStringLiteral("/whisk.system/alarms/alarm"));
        // A rule is no feed trigger: the command is off.
        QVERIFY(
            explorer.selectEntity(EntityRef{ExplorerEntry::Kind::Rule, QStringLiteral("r_tick")}));
        QVERIFY(!explorer.lifecycleConsoleAction()->isEnabled());
    }

    void openedFromTheTriggerEditor()
    {
        EditorArea area;
        area.setSession(m_session.get());
        connect(&area,
                &EditorArea::lifecycleConsoleRequested,
                m_console.get(),
                &LifecycleConsole::openTrigger);
        auto *editor = qobject_cast<TriggerEditor *>(
            area.open(EntityRef{ExplorerEntry::Kind::Trigger, QStringLiteral("soft")}));
        QVERIFY(editor);
        QVERIFY(waitUntil([&] { return editor->lifecycleConsoleAction()->isEnabled(); }));
        editor->lifecycleConsoleAction()->trigger();
        QCOMPARE(m_console->triggerCombo()->currentText(), QStringLiteral("soft"));
        QVERIFY(waitUntil([&] { return !m_console->isBusy(); }));
    }

    void typedParametersAreKept()
    {
        // Reloading the same trigger keeps what the user typed.
        m_console->openTrigger(QStringLiteral("soft"));
        QVERIFY(waitUntil([&] { return !m_console->isBusy(); }));
        typeParameters(QStringLiteral("{\"cron\": \"5 5 5 5 *\"}"));
        m_console->openTrigger(QStringLiteral("soft"));
        QVERIFY(waitUntil([&] { return !m_console->isBusy(); }));
        QCOMPARE(m_console->parametersField()->object().value(QLatin1String("cron")).toString(),
                 QStringLiteral("5 5 5 5 *"));
        // A plain trigger has no lifecycle: the events are off, and the console says why.
        QVERIFY(ok(m_engine.put(api(QStringLiteral("triggers/plain")), QJsonObject{}), "plain"));
        m_console->openTrigger(QStringLiteral("plain"));
        QVERIFY(waitUntil([&] { return !m_console->isBusy(); }));
        QVERIFY(m_console->feedStatus()->text().contains(QLatin1String("no feed")));
        QVERIFY(!m_console->eventAction(QStringLiteral("CREATE"))->isEnabled());
    }
};

QTEST_MAIN(TestLifecycleConsole)
#include "tst_lifecycleconsole.moc"
