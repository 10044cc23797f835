// SPDX-License-Identifier: GPL-3.0-or-later
// The feed check (widgets/lifecycle/conformancepanel) against a real engine: the alarms feed
// gets a clean card; a deliberately broken feed action's card shows its failures; a running
// check shows its progress and, cancelled, cleans up its scratch trigger.
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "lifecycle/conformancepanel.h"
#include "widgettesting.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QToolButton>
#include <QTreeWidget>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

namespace {

// How long one check may take before the test fails (a healthy one takes about a second): the
// three checks fit in the suite's ctest TIMEOUT, so a hang is a failure with a message.
constexpr int checkDeadlineMs = 60000;

} // namespace

class TestConformancePanel : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    LifecycleJournalPtr m_lifecycleJournal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<Session> m_session;
    std::unique_ptr<ConformancePanel> m_panel;

    // The verdict the card shows for `step`, or "" when it has no such row.
    QString verdict(const QString &step) const
    {
        const auto items = m_panel->cardView()->findItems(step, Qt::MatchExactly, 1);
        return items.isEmpty() ? QString() : items.first()->text(0);
    }
    void typeSample(const QString &json)
    {
        QPlainTextEdit *edit = m_panel->sampleField()->editor();
        edit->setFocus();
        edit->clear();
        QTest::keyClicks(edit, json);
    }
    // Clicks Run and waits for the card; callers return when it failed (no card to look at).
    void runCheck()
    {
        auto *run = m_panel->findChild<QToolButton *>(QStringLiteral("runConformanceButton"));
        QVERIFY(run && run->isEnabled());
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(m_panel->isRunning());
        QVERIFY(m_panel->progressBar()->isVisible());
        QVERIFY2(waitUntil([&] { return !m_panel->isRunning(); }, checkDeadlineMs),
                 "the check did not finish");
        QVERIFY(m_panel->lastCard().has_value());
        QVERIFY(!m_panel->progressBar()->isVisible());
    }
    int scratchTriggers()
    {
        int n = 0;
        for (const QJsonValue &t : m_engine.get(api(QStringLiteral("triggers"))).array())
            n += t[QLatin1String("name")].toString().startsWith(QLatin1String("feedscope-check-"));
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_session = openSession(m_engine, &m_journal, m_lifecycleJournal);
        m_panel = std::make_unique<ConformancePanel>();
        m_panel->setSession(m_session.get());
        m_panel->resize(1100, 700);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    }

    void alarmsFeedPasses()
    {
        m_panel->setFeed(QStringLiteral("/whisk.system/alarms/alarm"));
        // Prefilled from the feed's sampleInput annotation.
        QVERIFY(waitUntil(
            [&] { return m_panel->sampleField()->object().contains(QLatin1String("cron")); }));
        typeSample(QStringLiteral("{\"cron\": \"0 0 1 1 *\"}"));
        runCheck();
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(m_panel->lastCard()->allPassed(), qPrintable(m_panel->lastCard()->toText()));
        QCOMPARE(verdict(QStringLiteral("CREATE")), QStringLiteral("PASS"));
        QCOMPARE(verdict(QStringLiteral("READ after PAUSE")), QStringLiteral("PASS"));
        QCOMPARE(verdict(QStringLiteral("Clean up")), QStringLiteral("PASS"));
        QVERIFY2(m_panel->summary()->text().contains(QLatin1String("passed")),
                 qPrintable(m_panel->summary()->text()));
        QCOMPARE(m_panel->summary()->role(), Theme::Role::Success);
        QCOMPARE(scratchTriggers(), 0);
        const QStringList unnamed = unnamedControls(m_panel.get());
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    }

    void brokenFeedShowsItsFailures()
    {
        // Refuses READ and UPDATE; refuses PAUSE as upstream feeds do (a warning, not a failure).
        FeedMisbehaviour broken;
        broken.refused = {QStringLiteral("READ"),
                          QStringLiteral("UPDATE"),
                          QStringLiteral("PAUSE"),
                          QStringLiteral("UNPAUSE")};
        broken.refusal = QStringLiteral("unsupported lifecycleEvent");
        QVERIFY(
            ok(m_engine.put(api(QStringLiteral("actions/broken")), misbehavingAlarmFeed(broken)),
               "broken"));
        m_panel->setFeed(QStringLiteral("broken"));
        typeSample(QStringLiteral("{\"cron\": \"0 0 1 1 *\"}"));
        runCheck();
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!m_panel->lastCard()->allPassed());
        QCOMPARE(verdict(QStringLiteral("CREATE")), QStringLiteral("PASS"));
        QCOMPARE(verdict(QStringLiteral("READ after CREATE")), QStringLiteral("FAIL"));
        QCOMPARE(verdict(QStringLiteral("UPDATE")), QStringLiteral("FAIL"));
        QCOMPARE(verdict(QStringLiteral("READ after UPDATE")), QStringLiteral("FAIL"));
        QCOMPARE(verdict(QStringLiteral("PAUSE")), QStringLiteral("WARN"));
        QCOMPARE(verdict(QStringLiteral("DELETE")), QStringLiteral("PASS"));
        // What happened is on the card: the feed's own refusal.
        const auto update
            = m_panel->cardView()->findItems(QStringLiteral("UPDATE"), Qt::MatchExactly, 1);
        QVERIFY(!update.isEmpty());
        QVERIFY(update.first()->text(3).contains(QLatin1String("unsupported lifecycleEvent")));
        QCOMPARE(m_panel->summary()->role(), Theme::Role::Error);
        QVERIFY2(m_panel->summary()->text().contains(QLatin1String("failed")),
                 qPrintable(m_panel->summary()->text()));
        QCOMPARE(scratchTriggers(), 0);
    }

    void cancelledCheckCleansUp()
    {
        // Every CREATE takes two seconds after the provider stored it: time to press Cancel.
        FeedMisbehaviour slow;
        slow.slow = {QStringLiteral("CREATE")};
        slow.delayMs = 2000;
        QVERIFY(ok(m_engine.put(api(QStringLiteral("actions/slow")), misbehavingAlarmFeed(slow)),
                   "slow"));
        m_panel->setFeed(QStringLiteral("slow"));
        typeSample(QStringLiteral("{\"cron\": \"0 0 1 1 *\"}"));
        auto *run = m_panel->findChild<QToolButton *>(QStringLiteral("runConformanceButton"));
        QTest::mouseClick(run, Qt::LeftButton);
        auto *step = m_panel->findChild<QLabel *>(QStringLiteral("conformanceStep"));
        QVERIFY(waitUntil([&] { return step->text().endsWith(QLatin1String(": CREATE")); }));
        QVERIFY(m_panel->progressBar()->maximum() > 10);
        auto *cancel = m_panel->findChild<QToolButton *>(QStringLiteral("cancelConformanceButton"));
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY2(waitUntil([&] { return !m_panel->isRunning(); }, checkDeadlineMs),
                 "the cancelled check did not finish");
        QVERIFY(m_panel->lastCard() && m_panel->lastCard()->cancelled);
        QVERIFY2(m_panel->summary()->text().contains(QLatin1String("cancelled")),
                 qPrintable(m_panel->summary()->text()));
        QCOMPARE(verdict(QStringLiteral("READ after CREATE")), QString());
        QCOMPARE(verdict(QStringLiteral("Clean up")), QStringLiteral("PASS"));
        QCOMPARE(scratchTriggers(), 0);
        const QString scratch = m_panel->lastCard()->scratchTrigger.section(u'/', -1);
        QVERIFY(alarmEntry(m_engine, scratch).isEmpty());
    }
};

QTEST_MAIN(TestConformancePanel)
#include "tst_conformancepanel.moc"
