// SPDX-License-Identifier: GPL-3.0-or-later
// The orphans panel (widgets/health/orphanspanel) against a real engine, asked for by the
// explorer as the main window wires them: orphans made on purpose — a feed trigger deleted with
// a bare DELETE (its provider entry left behind), a feed entry the provider lost, a rule whose
// action is gone — are found, badged in the explorer, and each fixed with one click through the
// lifecycle, with its step report; a scan can be cancelled.
#include "common/messagebar.h"
#include "common/operationview.h"
#include "common/reportview.h"
#include "explorer/explorerpanel.h"
#include "health/orphanspanel.h"
#include "widgettesting.h"

#include <QAction>
#include <QHBoxLayout>
#include <QPushButton>
#include <QTreeWidget>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

class TestOrphansPanel : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    LifecycleJournalPtr m_lifecycleJournal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<Session> m_session;
    std::unique_ptr<QWidget> m_window;
    ExplorerPanel *m_explorer = nullptr;
    OrphansPanel *m_orphans = nullptr;

    bool createFeedTrigger(const QString &name)
    {
        Operation *op = m_session->lifecycle()->create(
            *QualifiedName::parse(QStringLiteral("/_/") + name),
            *QualifiedName::parse(QStringLiteral("/whisk.system/alarms/alarm")),
            {},
            QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}});
        const std::optional<OperationReport> report = reportOf(op);
        return report && report->ok;
    }
    void scanFromTheExplorer()
    {
        m_explorer->scanOrphansAction()->trigger();
        QVERIFY(m_orphans->isScanning());
        QVERIFY(waitUntil([&] { return !m_orphans->isScanning(); }, 120000));
    }
    void fixAndWait(QPushButton *button)
    {
        QVERIFY(button && button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(waitUntil([&] { return !m_orphans->operationView()->isRunning(); }));
    }
    QString report() const { return m_orphans->operationView()->report()->reportText(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_session = openSession(m_engine, &m_journal, m_lifecycleJournal);
        m_window = std::make_unique<QWidget>();
        m_explorer = new ExplorerPanel(m_window.get());
        m_orphans = new OrphansPanel(m_window.get());
        auto *layout = new QHBoxLayout(m_window.get());
        layout->addWidget(m_explorer);
        layout->addWidget(m_orphans, 2);
        m_explorer->setSession(m_session.get());
        m_orphans->setSession(m_session.get());
        connect(m_explorer, &ExplorerPanel::orphanScanRequested, m_orphans, &OrphansPanel::scan);
        m_window->resize(1400, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void findsAndFixesOrphansMadeOnPurpose()
    {
        // 1. A feed trigger deleted with a bare DELETE: the provider keeps its entry.
        QVERIFY(createFeedTrigger(QStringLiteral("left")));
        QVERIFY(ok(m_engine.del(api(QStringLiteral("triggers/left"))), "bare DELETE"));
        QVERIFY(!alarmEntry(m_engine, QStringLiteral("left")).isEmpty());
        // 2. A feed entry the provider lost (removed behind the trigger's back).
        QVERIFY(createFeedTrigger(QStringLiteral("lost")));
        QVERIFY(ok(m_engine.del(QStringLiteral("/feedscope/v1/providers/alarms/feeds/guest/lost")),
                   "provider entry"));
        // 3. A rule whose action is gone.
        QVERIFY(ok(m_engine.put(api(QStringLiteral("actions/doomed")), nodeAction()), "doomed"));
        QVERIFY(ok(m_engine.put(api(QStringLiteral("triggers/door")), QJsonObject{}), "door"));
        QVERIFY(
            ok(m_engine.put(api(QStringLiteral("rules/dangling")),
                            QJsonObject{{QStringLiteral("trigger"), QStringLiteral("/_/door")},
                                        {QStringLiteral("action"), QStringLiteral("/_/doomed")}}),
               "rule"));
        QVERIFY(ok(m_engine.del(api(QStringLiteral("actions/doomed"))), "action gone"));

        scanFromTheExplorer();
        QVERIFY2(m_orphans->summary()->text().contains(QLatin1String("finding")),
                 qPrintable(m_orphans->summary()->text()));
        QPushButton *leftover
            = m_orphans->fixButton(Finding::Kind::LeftoverFeed, QStringLiteral("/guest/left"));
        QPushButton *lost
            = m_orphans->fixButton(Finding::Kind::FeedUnreadable, QStringLiteral("/guest/lost"));
        QPushButton *dangling = m_orphans->fixButton(Finding::Kind::RuleActionMissing,
                                                     QStringLiteral("/guest/dangling"));
        QVERIFY(leftover && lost && dangling);
        QCOMPARE(leftover->text(), QStringLiteral("Delete the leftover entry"));
        QCOMPARE(lost->text(), QStringLiteral("Re-create the feed entry"));
        QCOMPARE(dangling->text(), QStringLiteral("Delete the rule"));
        // Each finding says its cause; the explorer badges what it still lists.
        QVERIFY(!m_orphans->findingsView()
                     ->findItems(QStringLiteral("without its feed's DELETE"), Qt::MatchContains, 2)
                     .isEmpty());
        QVERIFY(waitUntil([&] {
            return m_session->tree()
                       ->indexOf(EntityTreeModel::Group::Triggers, QStringLiteral("lost"))
                       .data(EntityTreeModel::BadgesRole)
                       .toInt()
                   & EntityTreeModel::OrphanedBadge;
        }));
        const QStringList unnamed = unnamedControls(m_window.get());
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));

        // One click each, through the lifecycle, with the step report.
        fixAndWait(leftover);
        QVERIFY2(report().contains(QLatin1String("done")), qPrintable(report()));
        QVERIFY(report().contains(QLatin1String("DELETE")));
        QVERIFY(alarmEntry(m_engine, QStringLiteral("left")).isEmpty());
        QVERIFY(!m_orphans->fixButton(Finding::Kind::LeftoverFeed, QStringLiteral("/guest/left")));

        fixAndWait(
            m_orphans->fixButton(Finding::Kind::FeedUnreadable, QStringLiteral("/guest/lost")));
        QVERIFY2(report().contains(QLatin1String("done")), qPrintable(report()));
        QCOMPARE(alarmEntry(m_engine, QStringLiteral("lost"))
                     .value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("cron"))
                     .toString(),
                 QStringLiteral("0 0 1 1 *"));

        // Deleting is confirmed first.
        answerNextMessageBox(QMessageBox::Yes);
        fixAndWait(m_orphans->fixButton(Finding::Kind::RuleActionMissing,
                                        QStringLiteral("/guest/dangling")));
        QVERIFY(waitUntil([&] { return !m_orphans->operationView()->isHidden(); }));
        QVERIFY(waitUntil(
            [&] { return m_engine.get(api(QStringLiteral("rules/dangling"))).status == 404; }));

        // Scanned again: those three are gone.
        scanFromTheExplorer();
        QVERIFY(!m_orphans->fixButton(Finding::Kind::LeftoverFeed, QStringLiteral("/guest/left")));
        QVERIFY(
            !m_orphans->fixButton(Finding::Kind::FeedUnreadable, QStringLiteral("/guest/lost")));
        QVERIFY(!m_orphans->fixButton(Finding::Kind::RuleActionMissing,
                                      QStringLiteral("/guest/dangling")));
        // (It has no rule, which is still worth its badge; its feed is fine.)
        QVERIFY(!m_session->tree()
                     ->indexOf(EntityTreeModel::Group::Triggers, QStringLiteral("lost"))
                     .data(EntityTreeModel::BadgeReasonRole)
                     .toString()
                     .contains(QLatin1String("cannot READ")));
    }

    void scanCanBeCancelled()
    {
        m_orphans->scanAction()->trigger();
        QVERIFY(m_orphans->cancelAction()->isEnabled());
        m_orphans->cancelAction()->trigger();
        QVERIFY(waitUntil([&] { return !m_orphans->isScanning(); }));
        QVERIFY(!m_orphans->findingsView()
                     ->findItems(QStringLiteral("Scan incomplete"), Qt::MatchExactly, 0)
                     .isEmpty());
        QVERIFY(m_orphans->scanAction()->isEnabled());
    }
};

QTEST_MAIN(TestOrphansPanel)
#include "tst_orphanspanel.moc"
