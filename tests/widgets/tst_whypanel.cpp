// SPDX-License-Identifier: GPL-3.0-or-later
// The "why didn't my action run?" panel (widgets/monitor/whypanel) against a real engine: a
// trigger whose only rule is inactive is checked from the panel, the answer names the rule, the
// fix button enables it, and the check that follows finds nothing wrong; a fire Feedscope
// recorded as 204 is explained as an event of its own; the schedule view checks an alarm. With
// FEEDSCOPE_SCREENSHOTS=DIR set it also saves both as DIR/feedscope-why-panel.png and
// DIR/feedscope-schedule-check.png.
#include "activationstream.h"
#include "monitor/schedulecheckview.h"
#include "monitor/whypanel.h"
#include "widgettesting.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTreeWidget>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;
using namespace Qt::StringLiterals;

class TestWhyPanel : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    LifecycleJournalPtr m_lifecycleJournal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<Session> m_session;

    static int problems(const WhyPanel &panel)
    {
        int count = 0;
        QTreeWidget *facts = panel.factsView();
        for (int i = 0; i < facts->topLevelItemCount(); ++i)
            count += facts->topLevelItem(i)->data(0, Qt::UserRole).toInt()
                             == int(DiagnosisFact::State::Problem)
                         ? 1
                         : 0;
        return count;
    }
    static void screenshot(QWidget &widget, const QString &file)
    {
        if (qEnvironmentVariableIsSet("FEEDSCOPE_SCREENSHOTS"))
            QVERIFY(
                widget.grab().save(qEnvironmentVariable("FEEDSCOPE_SCREENSHOTS") + u'/' + file));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_session = openSession(m_engine, &m_journal, m_lifecycleJournal);
    }

    void explainsAnInactiveRuleAndEnablesIt()
    {
        QVERIFY(setUpTrigger(m_engine, u"idle"_s, u"idle_echo"_s));
        QVERIFY(ok(m_engine.post(api(u"rules/r_idle"_s), {{u"status"_s, u"inactive"_s}}), "rule"));

        WhyPanel panel;
        panel.setSession(m_session.get());
        panel.resize(720, 460);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY2(unnamedControls(&panel).isEmpty(),
                 qPrintable(unnamedControls(&panel).join(u", ")));

        panel.setTrigger(u"idle"_s);
        QTest::mouseClick(panel.checkButton(), Qt::LeftButton);
        QVERIFY(panel.isChecking());
        QVERIFY(waitUntil([&] { return !panel.isChecking(); }));
        QVERIFY2(panel.answerLabel()->text().contains(u"Rule r_idle is inactive"_s),
                 qPrintable(panel.answerLabel()->text()));
        QVERIFY(panel.answerLabel()->font().bold());
        QVERIFY(problems(panel) >= 1);
        QVERIFY(panel.fixButton()->isVisible());
        QCOMPARE(panel.fixButton()->text(), u"Enable rule r_idle"_s);
        screenshot(panel, u"feedscope-why-panel.png"_s);

        QTest::mouseClick(panel.fixButton(), Qt::LeftButton);
        // The fix runs, then the check again: it ends with no problem and no fix to offer.
        QVERIFY(waitUntil([&] {
            return !panel.isChecking() && !panel.fixButton()->isVisible()
                   && panel.answerLabel()->text().contains(u"is in place"_s);
        }));
        QCOMPARE(problems(panel), 0);
        QCOMPARE(m_engine.get(api(u"rules/r_idle"_s)).object().value(u"status"_s).toString(),
                 u"active"_s);
    }

    void explainsAFireRecordedAs204()
    {
        QVERIFY(setUpTrigger(m_engine, u"alone"_s));
        QCOMPARE(m_engine.post(api(u"triggers/alone"_s)).status, 204);
        ActivationStream stream(m_session->client());
        WhyPanel panel;
        panel.setSession(m_session.get());
        connect(&stream, &ActivationStream::activations, &panel, &WhyPanel::ingest);
        QList<ActivationRecord> seen;
        connect(&stream, &ActivationStream::activations, this, [&](const auto &r) { seen += r; });
        stream.recordLocalFire(u"alone"_s, 204, {});
        QVERIFY(waitUntil([&] { return !seen.isEmpty(); }));

        panel.setEvent(seen.first());
        QCOMPARE(panel.trigger(), u"alone"_s);
        panel.check();
        QVERIFY(waitUntil([&] { return !panel.isChecking(); }));
        QVERIFY2(panel.answerLabel()->text().contains(u"answered 204"_s),
                 qPrintable(panel.answerLabel()->text()));
        QCOMPARE(panel.fixButton()->text(), u"Create a rule for alone"_s);
        QSignalSpy create(&panel, &WhyPanel::createRuleRequested);
        QTest::mouseClick(panel.fixButton(), Qt::LeftButton);
        QCOMPARE(create.count(), 1);
        QCOMPARE(create.first().first().toString(), u"/guest/alone"_s);
    }

    void schedulesAnAlarm()
    {
        const auto created = reportOf(
            m_session->lifecycle()->create(*QualifiedName::parse(u"/_/tick"_s),
                                           *QualifiedName::parse(u"/whisk.system/alarms/alarm"_s),
                                           {},
                                           {{u"cron"_s, u"* * * * * *"_s}}));
        QVERIFY(created && created->ok);
        QVERIFY(ok(m_engine.put(actionPath(u"tock"_s), nodeAction()), "action"));
        QVERIFY(ok(m_engine.put(api(u"rules/r_tick"_s),
                                {{u"trigger"_s, u"/_/tick"_s}, {u"action"_s, u"/_/tock"_s}}),
                   "rule"));
        QVERIFY(waitFor([&] { return activationsOf(m_engine, u"tick"_s).size() >= 3; }));

        ScheduleCheckView view;
        view.setSession(m_session.get());
        view.resize(720, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY2(unnamedControls(&view).isEmpty(), qPrintable(unnamedControls(&view).join(u", ")));
        view.setTrigger(u"tick"_s);
        QTest::mouseClick(view.checkButton(), Qt::LeftButton);
        QVERIFY(waitUntil([&] { return view.checkButton()->isEnabled() && view.result().ok; }));
        QVERIFY2(view.summaryLabel()->text().contains(u" expected, "_s),
                 qPrintable(view.summaryLabel()->text()));
        QVERIFY(view.table()->rowCount() >= 3);
        screenshot(view, u"feedscope-schedule-check.png"_s);
        const auto removed
            = reportOf(m_session->lifecycle()->remove(*QualifiedName::parse(u"/_/tick"_s)));
        QVERIFY(removed && removed->ok);
    }
};

QTEST_MAIN(TestWhyPanel)
#include "tst_whypanel.moc"
